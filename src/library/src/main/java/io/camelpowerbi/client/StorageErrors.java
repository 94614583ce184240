package io.camelpowerbi.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads OneLake's (ADLS Gen2's) error answers: the code of the {@code x-ms-error-code} header first, which every
 * storage answer carries (a HEAD answer has no body), else the body's {@code error.code} (the swagger spells it
 * {@code Code}, the service writes it in lower case: read either); the message without the
 * {@code RequestId:}/{@code Time:} lines the service appends. Adds the hint for each cause.
 */
final class StorageErrors {

    /** Microsoft Learn, Fabric admin portal, OneLake settings. */
    static final String TENANT_SETTING = "Users can access data stored in OneLake with apps external to Fabric";

    private StorageErrors() {}

    static ServiceError read(int status, Map<String, String> headers, JsonNode body, String what) {
        String code = PowerBiClient.header(headers, "x-ms-error-code");
        String detail = null;
        JsonNode error = field(body, "error");
        if (error != null && error.isObject()) {
            if (code == null) {
                JsonNode c = field(error, "code");
                code = c == null ? null : c.asText();
            }
            JsonNode m = field(error, "message");
            if (m != null) {
                detail = m.asText()
                        .lines()
                        .filter(l -> !l.startsWith("RequestId:") && !l.startsWith("Time:"))
                        .reduce((a, b) -> a + " " + b)
                        .orElse(null);
            }
        }
        // guess: the service says "expired" in an expired token's message (Azure Storage's "Lifetime validation
        // failed")
        boolean expired = status == 401
                && detail != null
                && detail.toLowerCase(java.util.Locale.ROOT).contains("expired");
        return new ServiceError(code, detail, hint(status, code, what), expired);
    }

    private static String hint(int status, String code, String what) {
        if (status == 401) {
            return "OneLake takes tokens for the storage audience (https://storage.azure.com) only, from an app of the "
                    + "workspace's tenant: check the credential, and oneLakeBaseUrl";
        }
        if (status == 403) {
            return "a Fabric administrator must turn on the tenant setting '" + TENANT_SETTING + "' (Admin portal, "
                    + "Tenant settings, OneLake settings), and the app must be a member of the workspace (Contributor or "
                    + "more to write files)";
        }
        if ("PathNotFound".equals(code) || "FilesystemNotFound".equals(code) || status == 404) {
            return (what == null ? "the path" : what) + " was not found: check workspace, lakehouse and path";
        }
        if ("InvalidFlushPosition".equals(code)) {
            return "the appended data did not add up to the flushed length (another writer on the same file?)";
        }
        if (status == 429 || status == 503) {
            return "OneLake is throttling: wait as Retry-After says, or write fewer files at once";
        }
        return null;
    }

    /** A field by name, ignoring case: the swagger and the service spell them differently. */
    private static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
