package io.camelpowerbi.operations;

import java.time.Duration;

/**
 * An asynchronous Power BI job (export, import, refresh) did not finish within the time the route allowed. The job may
 * still be running in Power BI; {@link #jobId()} identifies it for a later look.
 */
public class OperationTimeoutException extends PowerBiOperationException {

    private final String jobId;
    private final String lastState;
    private final Duration timeout;

    public OperationTimeoutException(String message, String jobId, String lastState, Duration timeout) {
        super(message);
        this.jobId = jobId;
        this.lastState = lastState;
        this.timeout = timeout;
    }

    public String jobId() {
        return jobId;
    }

    /** The last state Power BI reported, or null if it never reported one. */
    public String lastState() {
        return lastState;
    }

    public Duration timeout() {
        return timeout;
    }
}
