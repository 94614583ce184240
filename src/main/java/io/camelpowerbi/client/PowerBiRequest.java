package io.camelpowerbi.client;

import java.util.Map;

/**
 * One call to the Power BI REST API.
 *
 * @param path        under {@code /v1.0/myorg}, e.g. {@code /groups}; or absolute from the host when it starts with
 *                    {@code /v1.0/}
 * @param query       unencoded query parameters, in order; may be empty
 * @param body        request body, or null
 * @param contentType of the body, or null
 * @param what        what the call looks for, for "not found" messages (e.g. "workspace 'Sales'"), or null
 */
public record PowerBiRequest(String method, String path, Map<String, String> query, byte[] body, String contentType, String what) {

    public static PowerBiRequest get(String path, Map<String, String> query, String what) {
        return new PowerBiRequest("GET", path, query, null, null, what);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
