package io.camelpowerbi.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the error bodies Power BI actually sends (https://learn.microsoft.com/en-us/power-bi/developer/embedded/troubleshoot-rest-api): {@code error.code} + {@code message},
 * {@code error.code} + {@code pbi.error.details[]}, a top-level {@code Message} or {@code message}, and an empty body
 * whose reason is only in the {@code x-powerbi-error-info} header. Adds the hint for each known cause.
 */
record PowerBiError(String code, String detail) {

    static PowerBiError parse(JsonNode body, String errorInfoHeader) {
        String code = null;
        String detail = null;
        if (body != null && body.isObject()) {
            JsonNode error = body.get("error");
            if (error != null && error.isObject()) {
                code = text(error.get("code"));
                detail = text(error.get("message"));
                JsonNode pbi = error.get("pbi.error");
                if (pbi != null) {
                    List<String> details = new ArrayList<>();
                    for (JsonNode d : pbi.path("details")) {
                        String v = text(d.path("detail").get("value"));
                        if (v != null) {
                            details.add(v);
                        }
                    }
                    if (!details.isEmpty()) {
                        detail = (detail == null ? "" : detail + " ") + String.join("; ", details);
                    }
                    code = code == null ? text(pbi.get("code")) : code;
                }
            } else if (error != null) {
                detail = text(error);
            }
            if (detail == null) {
                detail = text(body.has("Message") ? body.get("Message") : body.get("message"));
            }
        }
        if (code == null && errorInfoHeader != null && !errorInfoHeader.isBlank()) {
            code = errorInfoHeader.trim();
        }
        return new PowerBiError(code, detail);
    }

    /** What to change, by cause; {@code what} names the entity that was looked for, e.g. "dataset Sales". */
    String hint(int status, String errorInfo, String what) {
        String info = errorInfo == null ? "" : errorInfo;
        String text = detail == null ? "" : detail;
        if (info.contains("ServicePrincipalIsNotAllowedByTenantAdminSwitch")
                || text.contains("API is not accessible for application")) {
            return "a Fabric administrator must turn on the tenant setting 'Service principals can use Fabric APIs' "
                    + "(Admin portal, Tenant settings, Developer settings; formerly 'Allow service principals to use Power BI APIs') "
                    + "for a security group that contains this app.";
        }
        if ("TokenExpired".equals(code)) {
            return "the access token expired; it was refreshed and the request replayed once. If this persists, check this "
                    + "machine's clock.";
        }
        if ("PowerBINotAuthorizedException".equals(code) || status == 401) {
            return "add the app's service principal to the workspace as Member or Admin (Workspace, Manage access), and check "
                    + "that the tenant setting 'Service principals can use Fabric APIs' includes it. Power BI API permissions "
                    + "on the app registration are not needed.";
        }
        if (status == 403) {
            return "the service principal lacks permission here: make it Member or Admin of the workspace"
                    + " (admin APIs also need the tenant setting 'Service principals can access read-only admin APIs').";
        }
        if (status == 404 || "PowerBIEntityNotFound".equals(code) || "ItemNotFound".equals(code)) {
            return (what == null ? "the item" : what)
                    + " was not found: check the name or id, and that the service principal "
                    + "is a member of its workspace.";
        }
        if (status == 429) {
            return "Power BI's rate limit was hit; wait as Retry-After says or lower the request rate.";
        }
        return null;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
    }
}
