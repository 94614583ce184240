package io.camelpowerbi.client;

/**
 * A {@link Idempotency#NOT_IDEMPOTENT} request may have reached Power BI, but its answer was lost: the connection broke
 * after it was sent, the answer timed out, or Power BI (or a gateway before it) answered 500, 502, 504 or 503 without
 * {@code Retry-After}. Power BI may or may not have done it, so it was not sent again: look for what it would have
 * created (a refresh in the history, an import or a dataset by name) before sending it once more.
 */
public final class PowerBiOutcomeUnknownException extends PowerBiException {

    public PowerBiOutcomeUnknownException(String request, int httpStatus, String cause, String requestId) {
        this(Service.POWER_BI, request, httpStatus, cause, requestId);
    }

    public PowerBiOutcomeUnknownException(
            Service service, String request, int httpStatus, String cause, String requestId) {
        super(
                "the answer to " + request + " was lost ("
                        + (httpStatus == 0 ? cause : "HTTP " + httpStatus + (cause == null ? "" : ", " + cause)) + "): "
                        + service.displayName() + " may have done it or not, so it"
                        + " was not sent again\nFix: check whether it happened (" + service.lostAdvice() + ") before "
                        + "sending it again" + (requestId == null ? "" : "\n[RequestId " + requestId + "]"),
                httpStatus,
                null,
                requestId,
                "check whether it happened before sending it again",
                -1);
    }
}
