package io.camelpowerbi.operations;

/**
 * Power BI runs one refresh per dataset at a time and refused another (400 today, 409 in older service versions).
 * Carries the id of the refresh that is running, when the history showed it.
 */
public class RefreshAlreadyRunningException extends PowerBiOperationException {

    private final String runningRefreshId;

    public RefreshAlreadyRunningException(String message, String runningRefreshId, Throwable cause) {
        super(message, cause);
        this.runningRefreshId = runningRefreshId;
    }

    /** The request id of the running refresh, or null when the history did not show one. */
    public String runningRefreshId() {
        return runningRefreshId;
    }
}
