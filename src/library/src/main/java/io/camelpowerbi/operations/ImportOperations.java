package io.camelpowerbi.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.client.Idempotency;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiOutcomeUnknownException;
import io.camelpowerbi.client.PowerBiRequest;
import io.camelpowerbi.client.PowerBiResponse;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.hc.client5.http.entity.mime.ByteArrayBody;
import org.apache.hc.client5.http.entity.mime.ContentBody;
import org.apache.hc.client5.http.entity.mime.FileBody;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports .pbix, .rdl and .xlsx files into a workspace. Files up to the large-file threshold (1 GB, Power BI's limit for
 * a direct upload) are posted as multipart/form-data; bigger ones (up to 10 GB, Premium only) go to a temporary blob
 * location first (see {@link BlobUploader}) and Power BI imports them from there.
 *
 * <p>An import is not idempotent: when its answer is lost (the connection broke after sending, 500, 502, 504), the
 * import of that name that was not in the workspace's list before the submit is looked for, for up to
 * {@link #RECONCILE_WINDOW}, and followed; only when none shows up is the import sent once more.
 */
public final class ImportOperations {

    private static final Logger LOG = LoggerFactory.getLogger(ImportOperations.class);
    public static final long DEFAULT_LARGE_FILE_THRESHOLD = 1024L * 1024 * 1024;
    /** Power BI's upper limit, for the large-file path. */
    public static final long MAX_SIZE = 10L * 1024 * 1024 * 1024;

    private static final Set<String> EXTENSIONS = Set.of("pbix", "rdl", "xlsx");
    /** How long an import whose answer was lost is looked for before it counts as not made. */
    static final Duration RECONCILE_WINDOW = Duration.ofMinutes(2);
    /** An import whose answer was lost and that did not show up is sent once more, no more. */
    private static final int MAX_SUBMITS = 2;

    private final PowerBiClient client;
    private final Poller poller;
    private final long largeFileThreshold;
    private final BlobUploader blobs;

    public ImportOperations(PowerBiClient client) {
        this(client, Poller.SYSTEM, DEFAULT_LARGE_FILE_THRESHOLD, new BlobUploader());
    }

    /**
     * @param largeFileThreshold files bigger than this go through the temporary upload location
     * @param blobs              uploads to that location
     */
    public ImportOperations(PowerBiClient client, Poller poller, long largeFileThreshold, BlobUploader blobs) {
        this.client = Objects.requireNonNull(client, "client");
        this.poller = Objects.requireNonNull(poller, "poller");
        if (largeFileThreshold < 1) {
            throw new IllegalArgumentException("largeFileThreshold must be positive");
        }
        this.largeFileThreshold = largeFileThreshold;
        this.blobs = Objects.requireNonNull(blobs, "blobs");
    }

    /** As {@link #importFile(String, ImportSource, String, NameConflict, boolean, ImportWaitOptions)} for a file on disk. */
    public ImportResult importFile(
            String groupId,
            Path file,
            String datasetDisplayName,
            NameConflict nameConflict,
            boolean skipReport,
            ImportWaitOptions wait) {
        return importFile(groupId, ImportSource.of(file), datasetDisplayName, nameConflict, skipReport, wait);
    }

    /**
     * Imports a file.
     *
     * @param datasetDisplayName the name in Power BI; null for the file's name (for .pbix without its extension; an .rdl
     *                           name always keeps or gains ".rdl", as Power BI requires)
     * @param nameConflict       null for Power BI's default (Ignore), except for .rdl files, which get Abort (the only
     *                           other value they accept is Overwrite)
     * @param skipReport         import only the dataset of a .pbix
     * @param wait               how to wait for the import to finish, or null to return once Power BI accepted it
     * @throws ImportFailedException     when Power BI reports the import Failed
     * @throws OperationTimeoutException when it is still publishing after {@code wait.timeout()}
     */
    public ImportResult importFile(
            String groupId,
            ImportSource source,
            String datasetDisplayName,
            NameConflict nameConflict,
            boolean skipReport,
            ImportWaitOptions wait) {
        Objects.requireNonNull(source, "source");
        String extension = source.extension();
        if (!EXTENSIONS.contains(extension)) {
            throw new IllegalArgumentException(
                    "the file to import must be a .pbix, .rdl or .xlsx file, not '" + source.fileName() + "'");
        }
        if ("rdl".equals(extension)) {
            if (nameConflict == null) {
                nameConflict = NameConflict.Abort;
            } else if (nameConflict != NameConflict.Abort && nameConflict != NameConflict.Overwrite) {
                throw new InvalidOptionException(
                        "nameConflict",
                        nameConflict + " is not accepted for .rdl files",
                        "use Abort or Overwrite, or leave it unset (Abort)");
            }
        }
        if (skipReport && !"pbix".equals(extension)) {
            throw new InvalidOptionException(
                    "skipReport", "applies to .pbix files only", "drop it for " + extension + " files");
        }
        long size = source.size();
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException(
                    source.fileName() + " has " + size + " bytes; Power BI imports files up to 10 GB");
        }
        String displayName = displayName(datasetDisplayName, source.fileName(), extension);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("datasetDisplayName", displayName);
        if (nameConflict != null) {
            query.put("nameConflict", nameConflict.name());
        }
        if (skipReport) {
            query.put("skipReport", "true"); // Power BI only accepts true here
        }
        String imports = Api.group(groupId) + "/imports";
        // not idempotent: a second POST makes a second import (with Ignore, a second dataset); a lost answer is
        // reconciled
        PowerBiRequest post = size > largeFileThreshold
                ? PowerBiRequest.json(
                        "POST",
                        imports,
                        query,
                        Api.bytes(Map.of("fileUrl", uploadLarge(groupId, source))),
                        "workspace " + groupId)
                : new PowerBiRequest("POST", imports, query, multipart(source), "workspace " + groupId);
        ImportWaitOptions look = wait != null ? wait : ImportWaitOptions.defaults();
        JsonNode job = null;
        for (int submit = 1; job == null; submit++) {
            Set<String> before = importIds(groupId);
            try {
                PowerBiResponse accepted = client.send(post);
                job = accepted.json();
                if (Api.text(job, "id") == null) {
                    throw new ImportFailedException(
                            "Power BI accepted the import of " + source.fileName() + " but sent no import id "
                                    + "[RequestId " + accepted.requestId() + "]",
                            null);
                }
            } catch (PowerBiOutcomeUnknownException lost) {
                job = reconcile(groupId, displayName, before, look, lost);
                if (job == null && submit >= MAX_SUBMITS) {
                    throw lost;
                }
                if (job == null) {
                    LOG.info(
                            "no import named '{}' showed up in workspace {} within {}: it was not made; sending it again",
                            displayName,
                            groupId,
                            RECONCILE_WINDOW);
                }
            }
        }
        String importId = Api.text(job, "id");
        LOG.info("import {} of {} ({} bytes) as '{}' accepted", importId, source.fileName(), size, displayName);
        if (wait == null) {
            return result(importId, job);
        }
        return await(groupId, importId, job, wait, source.fileName());
    }

    /** The ids of the workspace's imports: what was there before a submit. */
    private Set<String> importIds(String groupId) {
        Set<String> ids = new HashSet<>();
        for (JsonNode i : client.getJson(Api.group(groupId) + "/imports", Map.of(), "workspace " + groupId)
                .path("value")) {
            String id = Api.text(i, "id");
            if (id != null) {
                ids.add(id.toLowerCase(Locale.ROOT));
            }
        }
        return ids;
    }

    /**
     * The answer to an import was lost, so Power BI may be publishing it: it is the import of that name the workspace
     * did not have before the submit (the import's name is the display name, with or without its extension), looked
     * for until it shows up or {@link #RECONCILE_WINDOW} passes. Null when none showed up.
     */
    private JsonNode reconcile(
            String groupId,
            String displayName,
            Set<String> before,
            ImportWaitOptions wait,
            PowerBiOutcomeUnknownException lost) {
        LOG.warn(
                "the answer to importing '{}' into workspace {} was lost ({}); looking the import up by name instead of "
                        + "importing again",
                displayName,
                groupId,
                lost.httpStatus() == 0 ? "no answer" : "HTTP " + lost.httpStatus());
        String bare = displayName.contains(".") ? displayName.substring(0, displayName.lastIndexOf('.')) : displayName;
        JsonNode found = poller.lookFor(
                () -> {
                    JsonNode earliest = null;
                    for (JsonNode i : client.getJson(Api.group(groupId) + "/imports", Map.of(), "workspace " + groupId)
                            .path("value")) {
                        String id = Api.text(i, "id");
                        String name = Api.text(i, "name");
                        if (id != null
                                && !before.contains(id.toLowerCase(Locale.ROOT))
                                && name != null
                                && (name.equalsIgnoreCase(displayName) || name.equalsIgnoreCase(bare))
                                && (earliest == null
                                        || String.valueOf(Api.text(i, "createdDateTime"))
                                                        .compareTo(
                                                                String.valueOf(Api.text(earliest, "createdDateTime")))
                                                < 0)) {
                            earliest = i;
                        }
                    }
                    return earliest;
                },
                wait.pollInterval(),
                poller.deadline(RECONCILE_WINDOW));
        if (found != null) {
            LOG.info(
                    "import {} of '{}' was made by the request whose answer was lost; following it",
                    Api.text(found, "id"),
                    displayName);
        }
        return found;
    }

    private ImportResult await(String groupId, String importId, JsonNode job, ImportWaitOptions wait, String fileName) {
        Poller.Deadline deadline = poller.deadline(wait.timeout());
        while (true) {
            String state = Api.text(job, "importState");
            if ("Succeeded".equals(state)) {
                LOG.info("import {} of {} succeeded", importId, fileName);
                return result(importId, job);
            }
            if ("Failed".equals(state)) {
                throw new ImportFailedException(
                        "import " + importId + " of " + fileName + " failed" + error(job)
                                + ". Fix: check the file opens in Power BI Desktop, that nameConflict fits (Abort fails on an existing name, "
                                + "Overwrite fails without one), and that it has no protected sensitivity label (service principals).",
                        importId);
            }
            Poller.checkInterrupted();
            if (poller.expired(deadline)) {
                throw new OperationTimeoutException(
                        "import " + importId + " of " + fileName + " was still " + state + " after " + wait.timeout()
                                + "; Power BI keeps working on it",
                        importId,
                        state,
                        wait.timeout());
            }
            poller.pause(wait.pollInterval(), deadline);
            job = client.getJson(Api.group(groupId) + "/imports/" + Api.seg(importId), Map.of(), "import " + importId);
        }
    }

    private String uploadLarge(String groupId, ImportSource source) {
        // sent again after a lost answer: a second location is an unused SAS URL that expires, nothing in the workspace
        JsonNode location = client.send(PowerBiRequest.emptyPost(
                                Api.group(groupId) + "/imports/createTemporaryUploadLocation",
                                Map.of(),
                                "workspace " + groupId)
                        .with(Idempotency.IDEMPOTENT))
                .json();
        String url = Api.text(location, "Url", "url");
        if (url == null) {
            throw new PowerBiOperationException(
                    "Power BI sent no Url for the temporary upload location of workspace " + groupId);
        }
        URI sas = URI.create(url);
        LOG.info(
                "uploading {} ({} bytes) to the temporary upload location on {} (expires {})",
                source.fileName(),
                source.size(),
                sas.getHost(),
                Api.text(location, "ExpirationTime", "expirationTime"));
        blobs.upload(sas, source);
        return url;
    }

    private static HttpEntity multipart(ImportSource source) {
        // Power BI names the import after datasetDisplayName; the part's file name only needs the right extension, so
        // it
        // is kept ASCII and the multipart headers need no charset.
        String partName = source.fileName().replaceAll("[^A-Za-z0-9._-]", "_");
        ContentBody body = source.path() != null
                ? new FileBody(source.path().toFile(), ContentType.APPLICATION_OCTET_STREAM, partName)
                : new ByteArrayBody(source.bytes(), ContentType.APPLICATION_OCTET_STREAM, partName);
        // Both bodies know their length, so the entity is repeatable and the client can send it again on a retry.
        return MultipartEntityBuilder.create()
                .setMode(HttpMultipartMode.STRICT)
                // Without this the builder adds "charset=ISO-8859-1" to the multipart Content-Type, which means nothing
                // there.
                .setContentType(ContentType.create("multipart/form-data"))
                .addPart("file", body)
                .build();
    }

    static String displayName(String given, String fileName, String extension) {
        String name = given == null || given.isBlank() ? fileName : given.trim();
        if (given == null || given.isBlank()) {
            int sep = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
            name = name.substring(sep + 1);
            if ("pbix".equals(extension) && name.toLowerCase(Locale.ROOT).endsWith(".pbix")) {
                name = name.substring(0, name.length() - 5);
            }
        }
        if ("rdl".equals(extension) && !name.toLowerCase(Locale.ROOT).endsWith(".rdl")) {
            name = name + ".rdl"; // Power BI requires the extension in an RDL's display name
        }
        return name;
    }

    private static ImportResult result(String importId, JsonNode job) {
        return new ImportResult(
                importId,
                Api.text(job, "name"),
                Api.text(job, "importState"),
                list(job.path("datasets")),
                list(job.path("reports")));
    }

    private static List<Map<String, Object>> list(JsonNode array) {
        List<Map<String, Object>> out = new ArrayList<>();
        array.forEach(n -> out.add(Api.map(n)));
        return out;
    }

    private static String error(JsonNode job) {
        JsonNode error = job.get("error");
        if (error == null || error.isNull()) {
            return "";
        }
        if (!error.isObject()) {
            return ": " + error.asText();
        }
        String code = Api.text(error, "code");
        String details = Api.text(error, "message", "details");
        return ": " + (code == null ? details : details == null ? code : code + " " + details);
    }
}
