package io.camelpowerbi.component;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * A client-side sliding-window request budget for the admin APIs' hourly limits (activityevents 200, the scanner's
 * modified 30, getInfo 500, scanStatus 10,000, scanResult 500; https://learn.microsoft.com/en-us/power-bi/enterprise/service-admin-auditing, https://learn.microsoft.com/en-us/power-bi/enterprise/service-admin-metadata-scanning, https://learn.microsoft.com/en-us/power-bi/developer/embedded/troubleshoot-rest-api): a request may go out only when fewer than
 * {@code max} went out during the last {@code period}. Waiting is done in short steps so a stopping consumer is not held
 * up.
 */
final class RequestBudget {

    private static final long STEP_NANOS = 50_000_000L;

    private final int max;
    private final long periodNanos;
    private final ArrayDeque<Long> sent = new ArrayDeque<>();

    /** @param option the option {@code max} came from, named in the error when it is below 1 */
    RequestBudget(String option, int max, Duration period) {
        if (max < 1) {
            throw new IllegalArgumentException(option + " must be at least 1: " + max);
        }
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("requestLimitPeriod must be positive: " + period);
        }
        this.max = max;
        this.periodNanos = period.toNanos();
    }

    /** Nanoseconds until a request may go out (0: now). */
    synchronized long waitNanos() {
        long now = System.nanoTime();
        while (!sent.isEmpty() && now - sent.peekFirst() >= periodNanos) {
            sent.pollFirst();
        }
        return sent.size() < max ? 0 : sent.peekFirst() + periodNanos - now;
    }

    /** Takes a slot if one is free now: 0; otherwise takes nothing and returns the nanoseconds until one is. */
    synchronized long tryAcquire() {
        long wait = waitNanos();
        if (wait <= 0) {
            sent.addLast(System.nanoTime());
            return 0;
        }
        return wait;
    }

    /**
     * Takes a slot, waiting for one while {@code running} holds.
     *
     * @return the milliseconds waited, or -1 when {@code running} turned false (no slot taken)
     */
    long acquire(BooleanSupplier running) throws InterruptedException {
        long started = System.nanoTime();
        while (true) {
            if (tryAcquire() == 0) {
                return (System.nanoTime() - started) / 1_000_000L;
            }
            if (!running.getAsBoolean()) {
                return -1;
            }
            long wait = Math.min(waitNanos(), STEP_NANOS);
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            }
        }
    }

    /** Requests counted in the current period. */
    synchronized int used() {
        waitNanos();
        return sent.size();
    }
}
