package io.camelpowerbi.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A client-side sliding-window limit, as Power BI counts its own: weighted events (a request weighs 1, a POST rows
 * request may weigh its rows) may add up to at most {@code capacity} within any {@code window}. Events are counted
 * when they are {@linkplain #add added}; {@link #nanosUntilRoom(long)} says how long until more fits, and the waits
 * ({@link #awaitRoom}, {@link #acquire}) sleep on the window's {@link Sleeper} until it does. Thread-safe; waiters are
 * not queued fairly (a caller that needs first come, first served puts a fair lock around it).
 */
public final class SlidingWindow {

    private final long capacity;
    private final long windowNanos;
    private final Sleeper sleeper;
    /** (time on the sleeper's clock, weight) of the events still in the window, oldest first. */
    private final ArrayDeque<long[]> events = new ArrayDeque<>();
    private long total;

    /**
     * @param capacity the most the events within one window may weigh, at least 1
     * @param window   the window's length, positive
     * @throws IllegalArgumentException when one of them is out of range (callers name their option first)
     */
    public SlidingWindow(long capacity, Duration window, Sleeper sleeper) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the capacity of a sliding window must be at least 1: " + capacity);
        }
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("the length of a sliding window must be positive: " + window);
        }
        this.capacity = capacity;
        this.windowNanos = window.toNanos();
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    public long capacity() {
        return capacity;
    }

    /**
     * Nanoseconds until {@code weight} more fits (0: now), i.e. until enough of the oldest events have left the window.
     *
     * @throws IllegalArgumentException when {@code weight} exceeds the capacity: it never fits
     */
    public synchronized long nanosUntilRoom(long weight) {
        if (weight > capacity) {
            throw new IllegalArgumentException("a weight of " + weight + " never fits a window of capacity " + capacity);
        }
        long now = sleeper.nanoTime();
        expire(now);
        long excess = total + weight - capacity;
        if (excess <= 0) {
            return 0;
        }
        for (long[] event : events) {
            excess -= event[1];
            if (excess <= 0) {
                return event[0] + windowNanos - now; // the event that must leave for the weight to fit
            }
        }
        throw new IllegalStateException("unreachable: the events weigh " + total); // weight <= capacity
    }

    /** Counts an event of {@code weight} now, whether it fits or not (it was sent). */
    public synchronized void add(long weight) {
        long now = sleeper.nanoTime();
        expire(now);
        events.addLast(new long[] {now, weight});
        total += weight;
    }

    /** Counts an event of {@code weight} if it fits now: 0; otherwise counts nothing and returns the nanoseconds to wait. */
    public synchronized long tryAdd(long weight) {
        long wait = nanosUntilRoom(weight);
        if (wait == 0) {
            add(weight);
        }
        return wait;
    }

    /**
     * Sleeps until {@code weight} fits, without counting it.
     *
     * @return the time waited; zero when it fitted at once
     */
    public Duration awaitRoom(long weight) throws InterruptedException {
        long wait = nanosUntilRoom(weight);
        if (wait == 0) {
            return Duration.ZERO;
        }
        long started = sleeper.nanoTime();
        for (; wait > 0; wait = nanosUntilRoom(weight)) {
            sleeper.sleep(Duration.ofNanos(wait));
        }
        return sleeper.since(started);
    }

    /**
     * Waits until {@code weight} fits, in short steps while {@code running} holds, and counts it.
     *
     * @return the time waited (zero when it fitted at once), or null when {@code running} turned false first (nothing
     *         counted)
     */
    public Duration acquire(long weight, BooleanSupplier running) throws InterruptedException {
        long wait = tryAdd(weight);
        if (wait == 0) {
            return Duration.ZERO;
        }
        long started = sleeper.nanoTime();
        for (; wait > 0; wait = tryAdd(weight)) {
            if (!sleeper.sleep(Duration.ofNanos(wait), running)) {
                return null;
            }
        }
        return sleeper.since(started);
    }

    /** What the events in the window weigh now. */
    public synchronized long used() {
        expire(sleeper.nanoTime());
        return total;
    }

    private void expire(long now) {
        while (!events.isEmpty() && now - events.peekFirst()[0] >= windowNanos) {
            total -= events.pollFirst()[1];
        }
    }

    @Override
    public String toString() {
        return "SlidingWindow[" + capacity + " per " + Duration.ofNanos(windowNanos) + "]";
    }
}
