package io.camelpowerbi.push;

import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs how a long push is going, at most once per interval: rows, rows per second and, once the total is known, the
 * time left. A push that ends within the interval logs nothing at INFO. Row contents are never logged.
 */
final class PushProgress {

    private static final Logger LOG = LoggerFactory.getLogger(PushProgress.class);

    private final String what;
    private final long intervalNanos;
    private final long started;
    private long lastLog;
    private boolean logged;

    PushProgress(String what, Duration interval, long startedNanos) {
        this.what = what;
        this.intervalNanos = Math.max(1, interval.toNanos());
        this.started = startedNanos;
        this.lastLog = startedNanos;
    }

    /** While validating before sending ({@link InvalidRowPolicy#FAIL}). */
    void validating(long rowsRead) {
        long now = System.nanoTime();
        if (now - lastLog >= intervalNanos) {
            lastLog = now;
            logged = true;
            LOG.info(
                    "{}: checking rows before sending, {} read so far ({} rows/s)",
                    what,
                    PushException.n(rowsRead),
                    rate(rowsRead, now - started));
        }
    }

    /**
     * @param total rows to send in all, or -1 while unknown
     */
    void sent(long rowsSent, int batches, long total, long throttledWaits, Duration throttled) {
        long now = System.nanoTime();
        if (now - lastLog < intervalNanos) {
            return;
        }
        lastLog = now;
        logged = true;
        long elapsed = now - started;
        double perSecond = rowsSent / Math.max(1e-9, elapsed / 1e9);
        String eta;
        if (total >= 0 && perSecond > 0) {
            eta = "ETA " + human(Duration.ofSeconds((long) Math.ceil(Math.max(0, total - rowsSent) / perSecond)))
                    + " for " + PushException.n(total) + " rows";
        } else {
            eta = "total not known yet";
        }
        LOG.info(
                "{}: {} rows sent in {} batches, {} rows/s, {}{}",
                what,
                PushException.n(rowsSent),
                batches,
                rate(rowsSent, elapsed),
                eta,
                throttledWaits > 0 ? ", waited " + human(throttled) + " for Power BI's rate limits" : "");
    }

    void done(PushResult result) {
        if (logged) {
            LOG.info(
                    "{}: done, {} rows sent in {} batches in {} ({} rows/s), {} rejected",
                    what,
                    PushException.n(result.rowsSent()),
                    result.batches(),
                    human(result.duration()),
                    String.format(Locale.ROOT, "%,.0f", result.rowsPerSecond()),
                    result.rejectedCount());
        } else {
            LOG.debug("{}: done, {}", what, result);
        }
    }

    private static String rate(long rows, long nanos) {
        return String.format(Locale.ROOT, "%,.0f", rows / Math.max(1e-9, nanos / 1e9));
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
