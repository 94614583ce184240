package io.camelpowerbi.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /_sandbox/blob/{id}}: the blob-storage side of SAS URLs (Azure Blob service behaviour, not Power BI's).
 * {@code PUT} uploads (Put Blob with {@code x-ms-blob-type: BlockBlob}, or Put Block / Put Block List with
 * {@code comp=block|blocklist}); {@code GET} downloads export files when {@code exports.redirectFileDownload} is on.
 * The signature ({@code sig}) and expiry ({@code se}, sandbox clock) are checked, and a request that carries an
 * {@code Authorization} header is refused with 400: the SAS is the credential, and a bearer token sent here is a leak.
 * Errors use the Blob service's XML shape.
 */
final class BlobEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(BlobEndpoint.class);
    static final String VERSION = "2020-10-02";
    /** The blob store's paths, served by the storage listener only. */
    static final String PATH = "/_sandbox/blob/";

    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final Pattern LATEST = Pattern.compile("<(Latest|Committed|Uncommitted)>([^<]*)</\\1>");

    private final PowerBiApi api;

    BlobEndpoint(PowerBiApi api) {
        this.api = api;
    }

    void register(Router router) {
        router.put(PATH + "{blobId}", this::put);
        router.get(PATH + "{blobId}", this::get);
    }

    /** The SAS URL of a blob, on the storage listener (see {@link PowerBiApi#blobOrigin}). */
    static String url(SandboxExchange ex, PowerBiApi api, BlobStore.Blob blob) {
        String expiry =
                DateTimeFormatter.ISO_INSTANT.format(blob.expiresAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        return api.blobOrigin(ex) + PATH + blob.id + "?sv=" + VERSION + "&sr=b&sp="
                + (blob.content == null ? "rcw" : "r") + "&se=" + enc(expiry) + "&sig=" + enc(blob.signature);
    }

    private void put(SandboxExchange ex) throws IOException {
        BlobStore.Blob blob = authorize(ex);
        if (blob.content != null) {
            throw error(
                    403,
                    "AuthorizationPermissionMismatch",
                    "This request is not authorized to perform this operation " + "using this permission.");
        }
        String comp = ex.query("comp");
        if (comp == null) {
            if (!"BlockBlob".equalsIgnoreCase(ex.header("x-ms-blob-type"))) {
                throw error(
                        400,
                        "MissingRequiredHeader",
                        "An HTTP header that's mandatory for this request is not "
                                + "specified. (x-ms-blob-type: BlockBlob)");
            }
            long[] size = new long[1];
            byte[] head = read(ex, size);
            blob.put(size[0], head);
            LOG.info("blob {}: {} bytes uploaded (Put Blob)", blob.id, size[0]);
        } else if (comp.equalsIgnoreCase("block")) {
            String blockId = ex.query("blockid");
            if (blockId == null || blockId.isEmpty()) {
                throw error(
                        400,
                        "MissingRequiredQueryParameter",
                        "A query parameter that's mandatory for this " + "request is not specified. (blockid)");
            }
            long[] size = new long[1];
            byte[] head = read(ex, size);
            blob.putBlock(blockId, size[0], head);
            LOG.debug("blob {}: block {} of {} bytes", blob.id, blockId, size[0]);
        } else if (comp.equalsIgnoreCase("blocklist")) {
            String xml = new String(ex.body(), StandardCharsets.UTF_8);
            List<String> ids = new ArrayList<>();
            Matcher m = LATEST.matcher(xml);
            while (m.find()) {
                ids.add(m.group(2).trim());
            }
            if (!blob.commit(ids)) {
                throw error(400, "InvalidBlockList", "The specified block list is invalid.");
            }
            LOG.info("blob {}: {} blocks committed, {} bytes", blob.id, ids.size(), blob.size());
        } else {
            throw error(
                    400,
                    "InvalidQueryParameterValue",
                    "Value for one of the query parameters specified in the " + "request URI is invalid. (comp=" + comp
                            + ")");
        }
        ex.setResponseHeader(
                "ETag", "\"0x8DC" + Long.toHexString(System.nanoTime()).toUpperCase(Locale.ROOT) + "\"");
        ex.setResponseHeader("Last-Modified", RFC_1123.format(api.now()));
        ex.setResponseHeader("x-ms-request-server-encrypted", "true");
        ex.sendEmpty(201);
    }

    private void get(SandboxExchange ex) throws IOException {
        BlobStore.Blob blob = authorize(ex);
        if (blob.content == null) {
            throw error(404, "BlobNotFound", "The specified blob does not exist.");
        }
        ex.setResponseHeader("x-ms-blob-type", "BlockBlob");
        ex.send(200, blob.contentType, blob.content);
    }

    /** The blob, after the Blob service's checks: no bearer token, a matching signature, not expired. */
    private BlobStore.Blob authorize(SandboxExchange ex) {
        ex.setResponseHeader("x-ms-request-id", UUID.randomUUID().toString());
        ex.setResponseHeader("x-ms-version", VERSION);
        if (ex.header("Authorization") != null) {
            // guess: the Blob service's exact answer to SAS + Authorization; the point is to catch leaked tokens
            LOG.warn(
                    "{} {}: refused, the request carries an Authorization header (a bearer token sent to blob "
                            + "storage is a leak)",
                    ex.method(),
                    ex.path());
            throw error(
                    400,
                    "InvalidAuthenticationInfo",
                    "Authentication information is not given in the correct "
                            + "format: a request with a SAS token must not carry an Authorization header.");
        }
        BlobStore.Blob blob = api.blobs().get(ex.pathParam("blobId")).orElse(null);
        String sig = ex.query("sig");
        if (blob == null || sig == null || !sig.equals(blob.signature)) {
            throw error(
                    403,
                    "AuthenticationFailed",
                    "Server failed to authenticate the request. Make sure the value "
                            + "of Authorization header is formed correctly including the signature.");
        }
        Instant now = api.now();
        if (!now.isBefore(blob.expiresAt)) {
            throw error(
                    403,
                    "AuthenticationFailed",
                    "Signed expiry time [" + blob.expiresAt + "] must be after " + "signed start time [" + now + "]");
        }
        return blob;
    }

    /** Reads the body to its end without keeping it; returns its first bytes and puts its length in {@code size[0]}. */
    private static byte[] read(SandboxExchange ex, long[] size) throws IOException {
        byte[] head = new byte[Multipart.HEAD_BYTES];
        int headLength = 0;
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = ex.bodyStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (headLength < head.length) {
                    int copy = Math.min(n, head.length - headLength);
                    System.arraycopy(buffer, 0, head, headLength, copy);
                    headLength += copy;
                }
                total += n;
            }
        }
        size[0] = total;
        return java.util.Arrays.copyOf(head, headLength);
    }

    private static SandboxHttpException error(int status, String code, String message) {
        return new SandboxHttpException(code + ": " + message) {
            @Override
            public int status() {
                return status;
            }

            @Override
            public void writeTo(SandboxExchange exchange) throws IOException {
                exchange.setResponseHeader("x-ms-error-code", code);
                exchange.sendText(
                        status,
                        "application/xml",
                        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>"
                                + code + "</Code><Message>" + ExportFiles.xml(message) + "\nRequestId:"
                                + exchange.responseHeader("x-ms-request-id") + "\nTime:" + Json.time(Instant.now())
                                + "</Message></Error>");
            }
        };
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
