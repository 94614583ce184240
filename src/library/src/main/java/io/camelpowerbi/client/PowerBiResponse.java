package io.camelpowerbi.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A successful answer: status, the response headers worth keeping ({@code RequestId}, {@code Location},
 * {@code Retry-After}, {@code Content-Type}, ... never {@code Authorization} or cookies) and the body.
 */
public record PowerBiResponse(int status, Map<String, String> headers, byte[] body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String header(String name) {
        return PowerBiClient.header(headers, name);
    }

    /** The wait its {@code Retry-After} asks for (see {@link RetryAfter}), or null. */
    public Duration retryAfter(Instant now) {
        return RetryAfter.parse(header("Retry-After"), now);
    }

    public String requestId() {
        String id = header("RequestId");
        return id != null ? id : header("x-ms-request-id");
    }

    /** The body as JSON; an empty body reads as a missing node. */
    public JsonNode json() {
        if (body == null || body.length == 0) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("Power BI answered with a body that is not JSON", e);
        }
    }
}
