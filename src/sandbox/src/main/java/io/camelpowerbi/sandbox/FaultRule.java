package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One fault to inject: which requests it matches and what happens to them.
 *
 * <p>Match: {@code method} (optional, any when null) and {@code path}, a regular expression searched in the request
 * path without the query (anchor it with {@code ^...$} to match the whole path). Effects, applied in this order:
 * {@code delayMs} (wait, then go on), {@code dropConnection} (close the connection without a response), {@code status}
 * (answer with that status, the optional {@code body} and {@code Retry-After}). A rule with only a delay slows the
 * request and then lets it through. {@code probability} (0..1, default 1) and {@code maxCount} (default unlimited)
 * limit how often it fires.
 *
 * <p>{@code afterProcessing}: the request is served first (whatever it changes is changed) and only its answer is
 * replaced by the drop or the status: "done, but the answer was lost", the failure that decides whether a client may
 * send a request again.
 *
 * <p>A textual {@code body} is sent as is ({@code contentType}, default text/plain); an object or array as JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FaultRule(
        String id,
        String method,
        String path,
        Integer status,
        JsonNode body,
        String contentType,
        Integer retryAfterSeconds,
        Long delayMs,
        boolean dropConnection,
        double probability,
        Integer maxCount,
        Map<String, String> headers,
        boolean afterProcessing)
        implements Copyable<FaultRule> {

    public FaultRule {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("fault rule needs a 'path' regular expression");
        }
        try {
            Pattern.compile(path);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("fault rule 'path' is not a valid regular expression: " + path, e);
        }
        if (status == null && delayMs == null && !dropConnection) {
            throw new IllegalArgumentException(
                    "fault rule for '" + path + "' has no effect: set status, delayMs or dropConnection");
        }
        if (afterProcessing && status == null && !dropConnection) {
            throw new IllegalArgumentException(
                    "fault rule for '" + path + "' has afterProcessing but nothing to replace the "
                            + "answer with: set status or dropConnection");
        }
        if (status != null && (status < 100 || status > 599)) {
            throw new IllegalArgumentException("fault rule status out of range: " + status);
        }
        if (delayMs != null && delayMs < 0) {
            throw new IllegalArgumentException("fault rule delayMs must not be negative: " + delayMs);
        }
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("fault rule probability must be within 0..1: " + probability);
        }
        if (maxCount != null && maxCount < 1) {
            throw new IllegalArgumentException("fault rule maxCount must be at least 1: " + maxCount);
        }
        method = method == null || method.isBlank() ? null : method.toUpperCase(Locale.ROOT);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    @JsonCreator
    static FaultRule fromJson(
            @JsonProperty("id") String id,
            @JsonProperty("method") String method,
            @JsonProperty("path") String path,
            @JsonProperty("status") Integer status,
            @JsonProperty("body") JsonNode body,
            @JsonProperty("contentType") String contentType,
            @JsonProperty("retryAfterSeconds") Integer retryAfterSeconds,
            @JsonProperty("retryAfter") Integer retryAfter,
            @JsonProperty("delayMs") Long delayMs,
            @JsonProperty("dropConnection") Boolean dropConnection,
            @JsonProperty("probability") Double probability,
            @JsonProperty("maxCount") Integer maxCount,
            @JsonProperty("headers") Map<String, String> headers,
            @JsonProperty("afterProcessing") Boolean afterProcessing) {
        return new FaultRule(
                id,
                method,
                path,
                status,
                body,
                contentType,
                retryAfterSeconds != null ? retryAfterSeconds : retryAfter,
                delayMs,
                dropConnection != null && dropConnection,
                probability == null ? 1.0 : probability,
                maxCount,
                headers,
                afterProcessing != null && afterProcessing);
    }

    /** Answer requests whose path matches {@code pathRegex} with {@code status}. */
    public static FaultRule status(String pathRegex, int status) {
        return new FaultRule(null, null, pathRegex, status, null, null, null, null, false, 1.0, null, null, false);
    }

    /** Delay matching requests by {@code millis}, then serve them normally. */
    public static FaultRule delay(String pathRegex, long millis) {
        return new FaultRule(null, null, pathRegex, null, null, null, null, millis, false, 1.0, null, null, false);
    }

    /** Close the connection of matching requests without answering. */
    public static FaultRule drop(String pathRegex) {
        return new FaultRule(null, null, pathRegex, null, null, null, null, null, true, 1.0, null, null, false);
    }

    public FaultRule withId(String newId) {
        return with(FaultRule::id, newId);
    }

    public FaultRule onMethod(String httpMethod) {
        return with(FaultRule::method, httpMethod);
    }

    public FaultRule withBody(JsonNode json) {
        return with(FaultRule::body, json);
    }

    public FaultRule withBody(String text, String type) {
        return with(FaultRule::body, (JsonNode) TextNode.valueOf(text)).with(FaultRule::contentType, type);
    }

    public FaultRule withRetryAfter(int seconds) {
        return with(FaultRule::retryAfterSeconds, seconds);
    }

    public FaultRule withDelay(long millis) {
        return with(FaultRule::delayMs, millis);
    }

    public FaultRule times(int count) {
        return with(FaultRule::maxCount, count);
    }

    public FaultRule withProbability(double p) {
        return with(FaultRule::probability, p);
    }

    public FaultRule withHeaders(Map<String, String> extra) {
        return with(FaultRule::headers, extra);
    }

    /** The same drop or status, but after the request was served: it did its work, and its answer is lost. */
    public FaultRule afterServing() {
        return with(FaultRule::afterProcessing, true);
    }

    Pattern pattern() {
        return Pattern.compile(path);
    }
}
