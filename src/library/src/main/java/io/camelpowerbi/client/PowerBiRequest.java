package io.camelpowerbi.client;

import java.util.Map;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * One call to the Power BI REST API.
 *
 * @param path   under {@code /v1.0/myorg}, e.g. {@code /groups}; or from the host when it starts with {@code /v1.0/}; or
 *               an absolute {@code https://} URL that Power BI handed out (an export's {@code resourceLocation})
 * @param query  unencoded query parameters, in order; may be empty
 * @param body   a repeatable entity (it may be sent again on a retry), or null
 * @param what   what the call looks for, for "not found" messages (e.g. "workspace 'Sales'"), or null
 * @param accept the {@code Accept} header: {@code application/json} for API calls, {@code *}{@code /*} for file downloads
 * @param idempotency whether it may be sent again after a failure that leaves open whether Power BI processed it;
 *                    by default {@link Idempotency#of(String) by method}
 */
public record PowerBiRequest(
        String method,
        String path,
        Map<String, String> query,
        HttpEntity body,
        String what,
        String accept,
        Idempotency idempotency) {

    static final String JSON = "application/json";
    /** Export files are PDF, PPTX, PNG, XLSX, CSV, XML or MHTML (SW produces application/*, image/*, text/csv, ...). */
    static final String ANY = "*/*";

    public PowerBiRequest {
        if (body != null && !body.isRepeatable()) {
            throw new IllegalArgumentException(
                    "a Power BI request body must be repeatable, so a retry can send it again");
        }
        query = query == null ? Map.of() : query;
        accept = accept == null ? JSON : accept;
        idempotency = idempotency == null ? Idempotency.of(method) : idempotency;
    }

    /** A call answered with JSON, idempotent or not by its method. */
    public PowerBiRequest(String method, String path, Map<String, String> query, HttpEntity body, String what) {
        this(method, path, query, body, what, JSON, null);
    }

    /** This request with another {@link Idempotency}; say in the calling code why. */
    public PowerBiRequest with(Idempotency value) {
        return new PowerBiRequest(method, path, query, body, what, accept, value);
    }

    public static PowerBiRequest get(String path, Map<String, String> query, String what) {
        return new PowerBiRequest("GET", path, query, null, what);
    }

    /** A file download: any content type is acceptable, and {@code pathOrUrl} may be a URL Power BI returned. */
    public static PowerBiRequest download(String pathOrUrl, String what) {
        return new PowerBiRequest("GET", pathOrUrl, Map.of(), null, what, ANY, Idempotency.IDEMPOTENT);
    }

    /**
     * A request with a JSON body given as bytes. A zero-length body goes out as {@code Content-Length: 0} without a
     * {@code Content-Type}: there is no JSON to describe, and calls without a body (a plain refresh, a temporary upload
     * location) are documented without one.
     */
    public static PowerBiRequest json(String method, String path, Map<String, String> query, byte[] json, String what) {
        HttpEntity entity = json == null
                ? null
                : json.length == 0
                        ? new ByteArrayEntity(json, null)
                        : new ByteArrayEntity(json, ContentType.APPLICATION_JSON);
        return new PowerBiRequest(method, path, query, entity, what);
    }

    /** A POST without a body ({@code Content-Length: 0}, no {@code Content-Type}). */
    public static PowerBiRequest emptyPost(String path, Map<String, String> query, String what) {
        return json("POST", path, query, new byte[0], what);
    }

    /** Method and path; of an absolute URL only its path, so a log line never carries a query string. */
    @Override
    public String toString() {
        if (PowerBiClient.isAbsolute(path)) {
            try {
                return method + " " + java.net.URI.create(path).getRawPath();
            } catch (IllegalArgumentException e) {
                return method + " (a URL that is not valid)";
            }
        }
        return method + " " + path;
    }
}
