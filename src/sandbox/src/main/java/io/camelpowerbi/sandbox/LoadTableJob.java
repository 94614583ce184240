package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Load Table request as a Fabric long-running operation (Microsoft Learn, "Long running operations"; platform
 * swagger {@code OperationState}). Its state is a function of the sandbox clock: {@code NotStarted} for the first
 * quarter of its duration, {@code Running} until its end, then {@code Succeeded} or {@code Failed}. At its end (the
 * first time anyone looks after it) it reads the file or folder from OneLake as it is then and replaces (Overwrite) or
 * extends (Append) the table; a file that is missing, not CSV, or does not fit the table ends it {@code Failed} with the
 * reason. Parquet files are checked for Parquet's magic number and then refused: the sandbox reads no Parquet (its
 * failure says so).
 */
public final class LoadTableJob {

    private static final Logger LOG = LoggerFactory.getLogger(LoadTableJob.class);

    private final String id;
    private final Lakehouse lakehouse;
    private final String tableName;
    private final JsonNode request;
    private final Instant created;
    private final Duration duration;
    private String status;
    private Instant lastUpdated;
    private String errorCode;
    private String errorMessage;

    LoadTableJob(
            String id, Lakehouse lakehouse, String tableName, JsonNode request, Instant created, Duration duration) {
        this.id = id.toLowerCase(Locale.ROOT);
        this.lakehouse = lakehouse;
        this.tableName = tableName;
        this.request = request.deepCopy();
        this.created = created;
        this.duration = duration;
        this.lastUpdated = created;
    }

    public String id() {
        return id;
    }

    public Lakehouse lakehouse() {
        return lakehouse;
    }

    public String tableName() {
        return tableName;
    }

    /** {@code NotStarted}, {@code Running}, {@code Succeeded} or {@code Failed} at {@code now}. */
    public synchronized String status(Instant now) {
        if (status != null) {
            return status;
        }
        if (now.isBefore(created.plus(duration.dividedBy(4)))) {
            return "NotStarted";
        }
        if (now.isBefore(created.plus(duration))) {
            return "Running";
        }
        finish(created.plus(duration));
        return status;
    }

    /** Whole seconds until the end (at least 1 while it runs), for {@code Retry-After}. */
    synchronized long secondsLeft(Instant now) {
        Duration left = Duration.between(now, created.plus(duration));
        return Math.max(1, (left.toMillis() + 999) / 1000);
    }

    /** The {@code OperationState} body. */
    synchronized ObjectNode stateJson(Instant now) {
        String s = status(now);
        ObjectNode json = Json.object();
        json.put("status", s);
        json.put("createdTimeUtc", Json.time(created));
        json.put("lastUpdatedTimeUtc", Json.time(status != null ? lastUpdated : now));
        json.put(
                "percentComplete",
                switch (s) {
                    case "NotStarted" -> 0;
                    case "Running" ->
                        (int) Math.min(
                                99, Duration.between(created, now).toMillis() * 100 / Math.max(1, duration.toMillis()));
                    default -> 100;
                });
        if ("Failed".equals(s)) {
            ObjectNode error = json.putObject("error");
            error.put("errorCode", errorCode);
            error.put("message", errorMessage);
        }
        return json;
    }

    private void finish(Instant at) {
        lastUpdated = at;
        try {
            load();
            status = "Succeeded";
            LOG.info(
                    "load of table '{}' in lakehouse {} succeeded ({})",
                    tableName,
                    lakehouse.id(),
                    lakehouse.table(tableName).map(LakehouseTable::toString).orElse("?"));
        } catch (LakehouseTable.LoadException e) {
            status = "Failed";
            // guess: the code; the service documents none for a failed load
            errorCode = "LoadTableFailed";
            errorMessage = "Loading " + request.path("relativePath").asText() + " into table '" + tableName
                    + "' failed: " + e.getMessage();
            LOG.info("load of table '{}' in lakehouse {} failed: {}", tableName, lakehouse.id(), e.getMessage());
        }
    }

    private void load() throws LakehouseTable.LoadException {
        String path = request.path("relativePath").asText();
        boolean folder = "Folder".equals(request.path("pathType").asText());
        JsonNode format = request.path("formatOptions");
        String kind = format.path("format").asText("Csv");
        List<String> files = new ArrayList<>();
        if (folder) {
            if (!lakehouse.files().exists(path)) {
                throw new LakehouseTable.LoadException("the folder " + path + " does not exist");
            }
            String extension = request.path("fileExtension").asText(kind.equals("Parquet") ? "parquet" : "csv");
            for (String f :
                    lakehouse.files().files(path, request.path("recursive").asBoolean(false))) {
                // Learn: "File extension case doesn't matter"
                if (f.toLowerCase(Locale.ROOT).endsWith("." + extension.toLowerCase(Locale.ROOT))) {
                    files.add(f);
                }
            }
            if (files.isEmpty()) {
                throw new LakehouseTable.LoadException("the folder " + path + " holds no ." + extension + " file");
            }
        } else {
            files.add(path);
        }
        boolean append = "Append".equals(request.path("mode").asText("Overwrite"));
        LakehouseTable table = lakehouse.table(tableName).orElse(null);
        for (String f : files) {
            byte[] content;
            try {
                content = lakehouse.files().read(f);
            } catch (StorageError e) {
                throw new LakehouseTable.LoadException("the file " + f + " does not exist");
            }
            if (kind.equals("Parquet")) {
                boolean magic = content.length >= 8
                        && new String(content, 0, 4, StandardCharsets.US_ASCII).equals("PAR1")
                        && new String(content, content.length - 4, 4, StandardCharsets.US_ASCII).equals("PAR1");
                throw new LakehouseTable.LoadException(
                        magic
                                ? "the sandbox reads CSV files only; " + f + " is Parquet, which the service would load"
                                : f + " is not a Parquet file");
            }
            String delimiter = format.path("delimiter").asText(",");
            if (delimiter.length() != 1) {
                throw new LakehouseTable.LoadException("the delimiter must be one character, was '" + delimiter + "'");
            }
            table = LakehouseTable.load(
                    table == null ? tableName : table.name(),
                    table,
                    content,
                    format.path("header").asBoolean(false),
                    delimiter.charAt(0),
                    append || table != null && files.size() > 1 && !f.equals(files.get(0)));
        }
        lakehouse.put(table);
    }

    @Override
    public String toString() {
        return "LoadTableJob[" + id + " " + tableName + "]";
    }
}
