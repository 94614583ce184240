package io.camelpowerbi.operations;

import java.time.Duration;

/**
 * How a refresh is waited for.
 *
 * @param pollInterval    time between status calls; Power BI's own guidance is not to poll more than every few seconds
 * @param timeout         the whole wait, including waiting for a refresh that was already running
 * @param cancelOnTimeout cancel an enhanced refresh that outlives the timeout (a plain refresh cannot be cancelled)
 * @param historyDepth    how many history entries a plain-refresh poll reads to find its own entry
 */
public record WaitOptions(Duration pollInterval, Duration timeout, boolean cancelOnTimeout, int historyDepth) {

    public static final int DEFAULT_HISTORY_DEPTH = 20;

    public WaitOptions {
        Api.requirePositive(pollInterval, "pollInterval");
        Api.requirePositive(timeout, "waitTimeout");
        if (historyDepth < 1) {
            throw new IllegalArgumentException("historyDepth must be at least 1, was " + historyDepth);
        }
    }

    public WaitOptions(Duration pollInterval, Duration timeout, boolean cancelOnTimeout) {
        this(pollInterval, timeout, cancelOnTimeout, DEFAULT_HISTORY_DEPTH);
    }

    /** Poll every 15 s for up to 2 h, never cancel. */
    public static WaitOptions defaults() {
        return new WaitOptions(Duration.ofSeconds(15), Duration.ofHours(2), false);
    }
}
