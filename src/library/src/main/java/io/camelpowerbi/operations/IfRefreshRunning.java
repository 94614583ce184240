package io.camelpowerbi.operations;

/**
 * What {@code refreshDataset} does when Power BI refuses it because the dataset is already refreshing (one refresh per
 * dataset at a time).
 */
public enum IfRefreshRunning {
    /** Fail with {@link RefreshAlreadyRunningException} (the default). */
    FAIL,
    /** Wait for the running refresh to end, then start ours; the wait counts against the wait timeout. */
    WAIT,
    /**
     * Cancel the running refresh, wait for it to stop, then start ours ("force refresh"). Power BI cancels only refreshes
     * started through the enhanced refresh API; a plain or scheduled one fails the exchange, naming it.
     */
    CANCEL_AND_RESTART
}
