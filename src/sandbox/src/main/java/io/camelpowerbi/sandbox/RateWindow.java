package io.camelpowerbi.sandbox;

import java.util.ArrayDeque;

/**
 * A sliding window of weighted events in real time ({@link System#nanoTime()}): "at most {@code max} per window". The
 * window length is given per call, so a changed time scale applies at once to what is already recorded.
 */
final class RateWindow {

    private final ArrayDeque<long[]> entries = new ArrayDeque<>();
    private long total;

    /**
     * Records {@code weight} at {@code now} and returns 0 when the window still has room for it; otherwise records
     * nothing and returns the nanoseconds until enough of the window has expired.
     */
    synchronized long tryAcquire(long now, long windowNanos, long max, long weight) {
        long wait = waitTime(now, windowNanos, max, weight);
        if (wait == 0) {
            entries.addLast(new long[] {now, weight});
            total += weight;
        }
        return wait;
    }

    /** 0 when {@code weight} fits into the window now, else the nanoseconds until it would; records nothing. */
    synchronized long waitTime(long now, long windowNanos, long max, long weight) {
        expire(now, windowNanos);
        if (total + weight <= max) {
            return 0;
        }
        if (weight > max) {
            return windowNanos;
        }
        long needed = total + weight - max;
        long freed = 0;
        for (long[] e : entries) {
            freed += e[1];
            if (freed >= needed) {
                return Math.max(1, e[0] + windowNanos - now);
            }
        }
        return windowNanos;
    }

    /** The weight recorded within the window. */
    synchronized long total(long now, long windowNanos) {
        expire(now, windowNanos);
        return total;
    }

    synchronized void clear() {
        entries.clear();
        total = 0;
    }

    private void expire(long now, long windowNanos) {
        while (!entries.isEmpty() && now - entries.peekFirst()[0] >= windowNanos) {
            total -= entries.pollFirst()[1];
        }
    }

    /** Seconds for a Retry-After header: rounded up, at least 1. */
    static long retryAfterSeconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
