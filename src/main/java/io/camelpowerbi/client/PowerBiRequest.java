package io.camelpowerbi.client;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

import java.util.Map;

/**
 * One call to the Power BI REST API.
 *
 * @param path  under {@code /v1.0/myorg}, e.g. {@code /groups}; or from the host when it starts with {@code /v1.0/}
 * @param query unencoded query parameters, in order; may be empty
 * @param body  a repeatable entity (it may be sent again on a retry), or null
 * @param what  what the call looks for, for "not found" messages (e.g. "workspace 'Sales'"), or null
 */
public record PowerBiRequest(String method, String path, Map<String, String> query, HttpEntity body, String what) {

    public PowerBiRequest {
        if (body != null && !body.isRepeatable()) {
            throw new IllegalArgumentException("a Power BI request body must be repeatable, so a retry can send it again");
        }
        query = query == null ? Map.of() : query;
    }

    public static PowerBiRequest get(String path, Map<String, String> query, String what) {
        return new PowerBiRequest("GET", path, query, null, what);
    }

    /** A request with a JSON body given as bytes. */
    public static PowerBiRequest json(String method, String path, Map<String, String> query, byte[] json, String what) {
        return new PowerBiRequest(method, path, query, json == null ? null : new ByteArrayEntity(json, ContentType.APPLICATION_JSON), what);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
