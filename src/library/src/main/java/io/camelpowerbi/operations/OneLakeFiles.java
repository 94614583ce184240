package io.camelpowerbi.operations;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.client.Idempotency;
import io.camelpowerbi.client.PathSegment;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiRequest;
import io.camelpowerbi.client.PowerBiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes files into a Lakehouse's {@code Files/} in OneLake with the DFS (ADLS Gen2) Path API, as Microsoft Learn shows
 * it for OneLake: {@code PUT ?resource=file} (an empty body, {@code Content-Length: 0}; an existing file is replaced),
 * then the data in appends of at most {@code chunkSize} at contiguous positions ({@code PATCH ?action=append&position=n}),
 * then {@code PATCH ?action=flush&position=length} (an empty body again). The data is read from its stream one chunk at
 * a time, so a file of any size costs one chunk of memory. Paths use ids ({@code /{workspaceId}/{lakehouseId}/Files/...}),
 * the form that needs no item type.
 *
 * <p>Every one of these requests may be sent twice with the same effect: a create replaces the file, an append at a
 * position replaces what an earlier one put there, and a flush at the same length commits nothing new (ADLS, "Path -
 * Update": data appended at a position is uncommitted until flushed). So they are retried after any transient failure
 * ({@link Idempotency#IDEMPOTENT}).
 */
public final class OneLakeFiles {

    /** 4 MiB per append: small enough to hold, large enough to keep requests few (the service takes up to 4000 MiB). */
    public static final int DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
    /** A path below {@code Files/}: segments of letters, digits, spaces, dots, dashes and underscores. */
    private static final Pattern PATH = Pattern.compile("^Files(/[\\p{L}\\w]([ \\p{L}\\w.-]*[\\p{L}\\w.-])?)+$");

    private static final Logger LOG = LoggerFactory.getLogger(OneLakeFiles.class);

    private final PowerBiClient oneLake;
    private final int chunkSize;

    public OneLakeFiles(PowerBiClient oneLake) {
        this(oneLake, DEFAULT_CHUNK_SIZE);
    }

    public OneLakeFiles(PowerBiClient oneLake, int chunkSize) {
        this.oneLake = Objects.requireNonNull(oneLake, "oneLake");
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be positive");
        }
        this.chunkSize = chunkSize;
    }

    /**
     * The path as Fabric's Load Table takes it ({@code relativePath}: below {@code Files/}, each segment starting and
     * ending with a letter, digit or underscore); a leading slash is dropped.
     *
     * @throws InvalidOptionException naming {@code option}
     */
    public static String checkPath(String path, String option) {
        String p = path == null ? "" : path.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (!PATH.matcher(p).matches()) {
            throw new InvalidOptionException(
                    option,
                    "'" + path + "' is not a file path below Files/ of a lakehouse",
                    "give a path such as Files/landing/orders.csv: segments of letters, digits, spaces, dots, dashes and "
                            + "underscores, not starting with a dot, space or dash");
        }
        return p;
    }

    /** Writes {@code data} (read to its end, not closed) as {@code path} of the lakehouse. */
    public OneLakeFile write(String workspaceId, String lakehouseId, String path, InputStream data) {
        String file = checkPath(path, "oneLakePath");
        StringBuilder url = new StringBuilder("/")
                .append(PathSegment.encode(workspaceId))
                .append('/')
                .append(PathSegment.encode(lakehouseId));
        for (String segment : file.split("/")) {
            url.append('/').append(PathSegment.encode(segment));
        }
        String target = url.toString();
        String what = "OneLake file " + file;
        oneLake.send(empty("PUT", target, Map.of("resource", "file"), what));
        long position = 0;
        int appends = 0;
        try {
            byte[] chunk;
            while ((chunk = data.readNBytes(chunkSize)).length > 0) {
                Map<String, String> query = new LinkedHashMap<>();
                query.put("action", "append");
                query.put("position", String.valueOf(position));
                oneLake.send(new PowerBiRequest(
                        "PATCH",
                        target,
                        query,
                        new ByteArrayEntity(chunk, ContentType.APPLICATION_OCTET_STREAM),
                        what,
                        null,
                        Idempotency.IDEMPOTENT));
                position += chunk.length;
                appends++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the data for " + what + " failed after " + position + " bytes", e);
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("action", "flush");
        query.put("position", String.valueOf(position));
        PowerBiResponse flushed = oneLake.send(empty("PATCH", target, query, what));
        LOG.info("{} written to lakehouse {}: {} bytes in {} appends", file, lakehouseId, position, appends);
        return new OneLakeFile(workspaceId, lakehouseId, file, position, appends, flushed.header("ETag"));
    }

    /** A request without a body that says so: {@code Content-Length: 0}, as create and flush must send. */
    private static PowerBiRequest empty(String method, String path, Map<String, String> query, String what) {
        return new PowerBiRequest(
                method, path, query, new ByteArrayEntity(new byte[0], null), what, null, Idempotency.IDEMPOTENT);
    }
}
