package io.camelpowerbi.push;

import io.camelpowerbi.client.Sleeper;
import io.camelpowerbi.client.SlidingWindow;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the POST rows requests of one dataset within Power BI's limits, whichever endpoint, route or thread sends
 * them: at most {@code requestsPerMinute} sends in any 60 s, {@code rowsPerHour} rows in any 3,600 s (two
 * {@link SlidingWindow}s, as Power BI counts them) and {@code maxPending} requests in flight. Waiting here is cheaper
 * and kinder than a 429 from Power BI, whose Retry-After can be close to an hour.
 *
 * <p>Callers are served first come, first served: a fair turnstile lets one caller at a time wait for the windows, so
 * a big batch is not starved by small ones. Time and waiting come from a {@link Sleeper}, so tests move time instead
 * of waiting minutes.
 */
public final class DatasetRateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetRateLimiter.class);
    // Power BI counts a request when it has arrived and been read, after we let it go: a send is counted in the windows
    // from when its answer came (SlidingWindow.addUnsettled), which is never earlier. Each also stays 1 % longer, for
    // Power BI's own slack.
    private static final Duration MINUTE = Duration.ofMillis(60_000 + 600);
    private static final Duration HOUR = Duration.ofMillis(3_600_000 + 36_000);
    /** {@link #tryAcquire(int)}: {@code maxPending} requests are in flight; a {@link #release()} frees a slot. */
    public static final long NO_SLOT = -1;
    /** {@link #tryAcquire(int)}'s answer while a blocking {@link #acquire(int)} is first in line: try again this soon. */
    private static final long BEHIND_A_WAITER_MS = 10;

    private final String datasetId;
    private final RateLimits limits;
    private final Sleeper sleeper;
    private final SlidingWindow requestWindow;
    private final SlidingWindow rowWindow;

    private final ReentrantLock turnstile = new ReentrantLock(true);
    private final ReentrantLock state = new ReentrantLock();
    private final Condition slotFreed = state.newCondition();
    private int pending;

    private final AtomicLong throttledWaits = new AtomicLong();
    private final AtomicLong throttledNanos = new AtomicLong();
    private final AtomicLong throttledResponses = new AtomicLong();

    public DatasetRateLimiter(String datasetId, RateLimits limits) {
        this(datasetId, limits, Sleeper.SYSTEM);
    }

    public DatasetRateLimiter(String datasetId, RateLimits limits, Sleeper sleeper) {
        this(datasetId, limits, sleeper, 1);
    }

    /**
     * @param timeScale the windows last {@code 1 / timeScale} of a minute and an hour: for a time-scaled sandbox
     *                  (its {@code limits.timeScale}), never for Power BI
     */
    public DatasetRateLimiter(String datasetId, RateLimits limits, Sleeper sleeper, double timeScale) {
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("timeScale must be a positive number, got " + timeScale);
        }
        this.datasetId = datasetId;
        this.limits = limits == null ? RateLimits.DEFAULTS : limits;
        this.sleeper = sleeper;
        this.requestWindow = new SlidingWindow(this.limits.requestsPerMinute(), scaled(MINUTE, timeScale), sleeper);
        this.rowWindow = new SlidingWindow(this.limits.rowsPerHour(), scaled(HOUR, timeScale), sleeper);
    }

    private static Duration scaled(Duration window, double timeScale) {
        return Duration.ofMillis(Math.max(1, Math.round(window.toMillis() / timeScale)));
    }

    public String datasetId() {
        return datasetId;
    }

    public RateLimits limits() {
        return limits;
    }

    /**
     * Blocks until a request of {@code rows} rows may be sent, then counts it as sent and pending. Call
     * {@link #release()} when its answer came (in a finally block).
     *
     * @return how long it waited; zero when it was not throttled
     * @throws IllegalArgumentException when {@code rows} alone exceeds {@code rowsPerHour}: it could never be sent
     */
    public Duration acquire(int rows) throws InterruptedException {
        requireFits(rows);
        long waitedNanos = 0;
        turnstile.lockInterruptibly();
        try {
            // one caller at a time between the waits and the adds: time only frees room, so once both windows had
            // room for this request they still have when it is counted
            waitedNanos += requestWindow.awaitRoom(1).toNanos();
            waitedNanos += rowWindow.awaitRoom(rows).toNanos();
            state.lockInterruptibly();
            try {
                if (pending >= limits.maxPending()) {
                    LOG.debug("dataset {}: {} requests pending, waiting for one to finish", datasetId, pending);
                    long start = sleeper.nanoTime();
                    while (pending >= limits.maxPending()) {
                        slotFreed.await();
                    }
                    waitedNanos += Math.max(1, sleeper.nanoTime() - start);
                }
                requestWindow.addUnsettled(1);
                rowWindow.addUnsettled(rows);
                pending++;
            } finally {
                state.unlock();
            }
        } finally {
            turnstile.unlock();
        }
        if (waitedNanos > 0) {
            LOG.debug("dataset {}: waited {} ms for the POST rows limits", datasetId, waitedNanos / 1_000_000);
            throttledWaits.incrementAndGet();
            throttledNanos.addAndGet(waitedNanos);
        }
        return Duration.ofNanos(waitedNanos);
    }

    /**
     * Counts a request of {@code rows} rows as sent and pending if the limits allow it now, without waiting, for a
     * scheduler that serves many datasets from a few threads. Call {@link #release()} when its answer came. Callers of
     * {@link #acquire(int)} waiting for the windows go first.
     *
     * @return 0 when the request was counted (send it now); else the milliseconds until the windows may admit it, or
     *         {@link #NO_SLOT} when {@code maxPending} requests are in flight
     * @throws IllegalArgumentException when {@code rows} alone exceeds {@code rowsPerHour}: it could never be sent
     */
    public long tryAcquire(int rows) {
        requireFits(rows);
        if (!turnstile.tryLock()) {
            return BEHIND_A_WAITER_MS;
        }
        try {
            state.lock();
            try {
                long waitNanos = Math.max(requestWindow.nanosUntilRoom(1), rowWindow.nanosUntilRoom(rows));
                if (waitNanos > 0) {
                    return Math.max(1, Duration.ofNanos(waitNanos).toMillis());
                }
                if (pending >= limits.maxPending()) {
                    return NO_SLOT;
                }
                requestWindow.addUnsettled(1);
                rowWindow.addUnsettled(rows);
                pending++;
                return 0;
            } finally {
                state.unlock();
            }
        } finally {
            turnstile.unlock();
        }
    }

    private void requireFits(int rows) {
        if (rows < 0 || rows > limits.rowsPerHour()) {
            throw new IllegalArgumentException("a batch of " + rows + " rows can never fit within rowsPerHour="
                    + limits.rowsPerHour() + ": lower batchSize or raise rowsPerHour");
        }
    }

    /**
     * The request from {@link #acquire(int)} got its answer (or failed): frees its pending slot, and it counts in the
     * windows from now.
     */
    public void release() {
        state.lock();
        try {
            if (pending == 0) {
                throw new IllegalStateException(
                        "release() without acquire() on the rate limiter of dataset " + datasetId);
            }
            pending--;
            requestWindow.settle();
            rowWindow.settle();
            slotFreed.signal();
        } finally {
            state.unlock();
        }
    }

    /**
     * Power BI still answered 429 (its own count differs from ours, e.g. another application pushes to the same
     * dataset). {@code PowerBiClient} waits Retry-After and resends by itself; this only counts it, so the numbers
     * show that the limits configured here are too generous.
     */
    public void onThrottled(Duration retryAfter) {
        throttledResponses.incrementAndGet();
        LOG.info(
                "dataset {}: Power BI answered 429 to POST rows despite the local limits {} (Retry-After {} s); "
                        + "lower requestsPerMinute or rowsPerHour if this repeats",
                datasetId,
                limits,
                retryAfter == null ? "?" : retryAfter.toSeconds());
    }

    /** Requests now in flight. */
    public int pending() {
        state.lock();
        try {
            return pending;
        } finally {
            state.unlock();
        }
    }

    /** Acquisitions that had to wait, since this limiter was made. */
    public long throttledWaits() {
        return throttledWaits.get();
    }

    /** Total time acquisitions waited. */
    public Duration throttledTime() {
        return Duration.ofNanos(throttledNanos.get());
    }

    /** 429 answers reported through {@link #onThrottled(Duration)}. */
    public long throttledResponses() {
        return throttledResponses.get();
    }

    @Override
    public String toString() {
        return "DatasetRateLimiter[" + datasetId + ", " + limits + "]";
    }
}
