package io.camelpowerbi.push;

import java.time.Duration;
import java.util.List;

/**
 * How a push went. Every row counted in {@code rowsSent} was accepted by Power BI (HTTP 200).
 *
 * @param rowsRead       rows read from the input
 * @param rowsSent       rows Power BI accepted
 * @param batches        POST rows requests Power BI accepted
 * @param rejected       rows not sent because they do not fit the table ({@link InvalidRowPolicy#SKIP}), in input order
 * @param throttledWaits sends that had to wait for the dataset's rate limits
 * @param throttledTime  time spent waiting for them
 * @param duration       the whole push, reading included
 * @param rowsResumed    rows of the same, unchanged file that an earlier push, cut short, had got accepted: not sent
 *                       again (see {@link PushCheckpoints})
 */
public record PushResult(
        long rowsRead,
        long rowsSent,
        int batches,
        List<RejectedRow> rejected,
        long throttledWaits,
        Duration throttledTime,
        Duration duration,
        long rowsResumed) {

    public PushResult {
        rejected = List.copyOf(rejected);
    }

    /** A push that resumed nothing. */
    public PushResult(
            long rowsRead,
            long rowsSent,
            int batches,
            List<RejectedRow> rejected,
            long throttledWaits,
            Duration throttledTime,
            Duration duration) {
        this(rowsRead, rowsSent, batches, rejected, throttledWaits, throttledTime, duration, 0);
    }

    public int rejectedCount() {
        return rejected.size();
    }

    /** Rows accepted per second over the whole push. */
    public double rowsPerSecond() {
        double seconds = duration.toNanos() / 1e9;
        return seconds <= 0 ? 0 : rowsSent / seconds;
    }

    @Override
    public String toString() {
        return "PushResult[read=" + rowsRead + ", sent=" + rowsSent + ", batches=" + batches + ", rejected="
                + rejected.size() + ", throttledWaits=" + throttledWaits + ", throttledTime=" + throttledTime
                + ", duration=" + duration + (rowsResumed > 0 ? ", resumed=" + rowsResumed : "") + "]";
    }
}
