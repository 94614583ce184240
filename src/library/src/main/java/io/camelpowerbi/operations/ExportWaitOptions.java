package io.camelpowerbi.operations;

import java.time.Duration;

/**
 * How an export is waited for.
 *
 * @param pollInterval used when Power BI sends no {@code Retry-After} with a status (it "is not always populated")
 * @param timeout      the whole export, restarts included
 * @param maxRestarts  how often a job that failed with {@code Retry-After} (Power BI busy) is started again
 */
public record ExportWaitOptions(Duration pollInterval, Duration timeout, int maxRestarts) {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_RESTARTS = 3;

    public ExportWaitOptions {
        pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
        Api.requirePositive(pollInterval, "pollInterval");
        Api.requirePositive(timeout, "waitTimeout");
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must not be negative, was " + maxRestarts);
        }
    }

    /** Poll every 5 s (or as Power BI says), restart up to 3 times. */
    public ExportWaitOptions(Duration timeout) {
        this(DEFAULT_POLL_INTERVAL, timeout, DEFAULT_MAX_RESTARTS);
    }
}
