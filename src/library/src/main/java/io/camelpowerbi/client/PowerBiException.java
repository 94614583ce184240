package io.camelpowerbi.client;

import io.camelpowerbi.CamelPowerBiException;
import java.time.Duration;
import java.util.Optional;

/**
 * Power BI refused a request. Carries the HTTP status, Power BI's error code, its {@code RequestId} (quote it to
 * Microsoft support) and a hint naming what to change. Never holds a token.
 */
public class PowerBiException extends CamelPowerBiException {

    private final int httpStatus;
    private final String errorCode;
    private final String requestId;
    private final String hint;
    private final long retryAfterSeconds;

    public PowerBiException(
            String request,
            int httpStatus,
            String errorCode,
            String detail,
            String requestId,
            String hint,
            long retryAfterSeconds) {
        this(Service.POWER_BI, request, httpStatus, errorCode, detail, requestId, hint, retryAfterSeconds);
    }

    /** {@code service} refused {@code request} (Fabric's or OneLake's refusals are of this type too). */
    public PowerBiException(
            Service service,
            String request,
            int httpStatus,
            String errorCode,
            String detail,
            String requestId,
            String hint,
            long retryAfterSeconds) {
        super(format(service, request, httpStatus, errorCode, detail, requestId, hint));
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.requestId = requestId;
        this.hint = hint;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** For subclasses that word the whole message themselves. */
    protected PowerBiException(
            String message, int httpStatus, String errorCode, String requestId, String hint, long retryAfterSeconds) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.requestId = requestId;
        this.hint = hint;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    private static String format(
            Service service, String request, int status, String code, String detail, String requestId, String hint) {
        StringBuilder sb = new StringBuilder(service.displayName())
                .append(" refused ")
                .append(request)
                .append(" (HTTP ")
                .append(status);
        if (code != null) {
            sb.append(", ").append(code);
        }
        sb.append(')');
        if (detail != null && !detail.isBlank()) {
            sb.append(": ").append(detail);
        }
        if (hint != null) {
            sb.append("\nFix: ").append(hint);
        }
        if (requestId != null) {
            sb.append("\n[RequestId ").append(requestId).append(']');
        }
        return sb.toString();
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Power BI's code, e.g. {@code PowerBINotAuthorizedException}, or the {@code x-powerbi-error-info} reason. */
    public String errorCode() {
        return errorCode;
    }

    public String requestId() {
        return requestId;
    }

    public String hint() {
        return hint;
    }

    /** Seconds Power BI asked us to wait (429), or -1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** How long Power BI asked us to wait (429, or 503 with Retry-After), when it said. */
    public Optional<Duration> retryAfter() {
        return retryAfterSeconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(retryAfterSeconds));
    }
}
