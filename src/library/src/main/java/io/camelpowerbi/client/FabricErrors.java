package io.camelpowerbi.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the Fabric REST API's {@code ErrorResponse} (Fabric's OpenAPI, common/definitions.json: {@code errorCode},
 * {@code message}, {@code moreDetails[]}, {@code requestId}, {@code isRetriable}) and adds the hint for each cause. A
 * 401 or 403 names the tenant setting and the workspace role, whatever the code: Fabric documents the setting, not the
 * code it answers with when the setting is off.
 */
final class FabricErrors {

    /** Microsoft Learn, Fabric admin portal, Developer settings. */
    static final String TENANT_SETTING = "Service principals can call Fabric public APIs";

    private FabricErrors() {}

    static ServiceError read(int status, Map<String, String> headers, JsonNode body, String what) {
        String code = null;
        String detail = null;
        if (body != null && body.isObject()) {
            code = text(body.get("errorCode"));
            detail = text(body.get("message"));
            List<String> more = new ArrayList<>();
            for (JsonNode d : body.path("moreDetails")) {
                String m = text(d.get("message"));
                if (m != null) {
                    more.add(m);
                }
            }
            if (!more.isEmpty()) {
                detail = (detail == null ? "" : detail + " ") + String.join("; ", more);
            }
        }
        if (code == null) {
            code = PowerBiClient.header(headers, "x-ms-public-api-error-code");
        }
        return new ServiceError(code, detail, hint(status, code, what), status == 401 && "TokenExpired".equals(code));
    }

    private static String hint(int status, String code, String what) {
        if ("UnsupportedOperationForSchemasEnabledLakehouse".equals(code)) {
            return "the lakehouse was created with schemas, and Fabric's Load Table API does not take such a lakehouse: "
                    + "load into a lakehouse created without schemas (set lakehouse)";
        }
        if (status == 401 || status == 403) {
            return "a Fabric administrator must include this app in the tenant setting '" + TENANT_SETTING + "' (Admin "
                    + "portal, Tenant settings, Developer settings), and the app must be a member of the workspace "
                    + "(Contributor or more to write to a lakehouse)";
        }
        if (status == 404) {
            return (what == null ? "the item" : what) + " was not found: check the name or id, and that the app is a "
                    + "member of its workspace";
        }
        if (status == 429) {
            return "Fabric's rate limit was hit; wait as Retry-After says or lower the request rate";
        }
        return null;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
    }
}
