package io.camelpowerbi.auth;

import io.camelpowerbi.CamelPowerBiException;

/**
 * A token request failed: Entra refused it (or, as {@link EntraUnreachableException}, could not be reached). Carries what Entra said (AADSTS code, {@code error}, trace and correlation ids,
 * timestamp) and a hint naming what to change. The message never holds a secret, assertion or token.
 */
public class EntraException extends CamelPowerBiException {

    private final int httpStatus;
    private final String error;
    private final int code;
    private final String description;
    private final String traceId;
    private final String correlationId;
    private final String timestamp;
    private final String hint;
    private final boolean throttled;

    public EntraException(
            int httpStatus,
            String error,
            int code,
            String description,
            String traceId,
            String correlationId,
            String timestamp,
            String hint) {
        this(httpStatus, error, code, description, traceId, correlationId, timestamp, hint, false);
    }

    /** @param throttled the answer carried {@code Retry-After}: the server asked us to come back later */
    public EntraException(
            int httpStatus,
            String error,
            int code,
            String description,
            String traceId,
            String correlationId,
            String timestamp,
            String hint,
            boolean throttled) {
        super(format(httpStatus, error, code, description, traceId, correlationId, timestamp, hint));
        this.throttled = throttled;
        this.httpStatus = httpStatus;
        this.error = error;
        this.code = code;
        this.description = description;
        this.traceId = traceId;
        this.correlationId = correlationId;
        this.timestamp = timestamp;
        this.hint = hint;
    }

    /** A token request that failed without an answer from Entra ({@link EntraUnreachableException}). */
    protected EntraException(String message, String description, String hint, Throwable cause) {
        super(message, cause);
        this.throttled = false;
        this.httpStatus = 0;
        this.error = null;
        this.code = 0;
        this.description = description;
        this.traceId = null;
        this.correlationId = null;
        this.timestamp = null;
        this.hint = hint;
    }

    private static String format(
            int status,
            String error,
            int code,
            String description,
            String traceId,
            String correlationId,
            String timestamp,
            String hint) {
        StringBuilder sb = new StringBuilder("Entra refused the token request");
        sb.append(" (HTTP ").append(status);
        if (error != null) {
            sb.append(", ").append(error);
        }
        sb.append("): ");
        sb.append(code > 0 ? "AADSTS" + code + ": " : "").append(description == null ? "no description" : description);
        if (hint != null) {
            sb.append("\nFix: ").append(hint);
        }
        if (traceId != null || correlationId != null) {
            sb.append("\n[trace id ")
                    .append(traceId)
                    .append(", correlation id ")
                    .append(correlationId)
                    .append(", timestamp ")
                    .append(timestamp)
                    .append(']');
        }
        return sb.toString();
    }

    /** Entra's HTTP status; 0 when no answer came ({@link EntraUnreachableException}). */
    public int httpStatus() {
        return httpStatus;
    }

    /** The OAuth {@code error} value, e.g. {@code invalid_client}: branch on this, not on the text. */
    public String error() {
        return error;
    }

    /** The AADSTS number, e.g. 700023; 0 when Entra sent none. */
    public int code() {
        return code;
    }

    /** Entra's text without the trace/correlation/timestamp suffix. */
    public String description() {
        return description;
    }

    public String traceId() {
        return traceId;
    }

    public String correlationId() {
        return correlationId;
    }

    public String timestamp() {
        return timestamp;
    }

    public String hint() {
        return hint;
    }

    /** The server sent {@code Retry-After} or 429: do not hammer it. */
    public boolean isThrottled() {
        return throttled || httpStatus == 429;
    }

    /** Worth retrying later: throttling or a server-side failure, not a configuration mistake. */
    public boolean isTransient() {
        return httpStatus == 429 || httpStatus >= 500 || "temporarily_unavailable".equals(error);
    }
}
