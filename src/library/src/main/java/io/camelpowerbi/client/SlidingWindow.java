package io.camelpowerbi.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A client-side sliding-window limit, as Power BI counts its own: weighted events (a request weighs 1, a POST rows
 * request may weigh its rows) may add up to at most {@code capacity} within any {@code window}. Events are counted
 * when they are {@linkplain #add added}, or, for requests in flight, from when they are {@linkplain #settle settled}
 * (see {@link #addUnsettled}); {@link #nanosUntilRoom(long)} says how long until more fits, and the waits
 * ({@link #awaitRoom}, {@link #acquire}) sleep on the window's {@link Sleeper} until it does. Thread-safe; waiters are
 * not queued fairly (a caller that needs first come, first served puts a fair lock around it).
 */
public final class SlidingWindow {

    private final long capacity;
    private final long windowNanos;
    private final Sleeper sleeper;
    /** (time on the sleeper's clock, weight) of the events still in the window, oldest first. */
    private final ArrayDeque<long[]> events = new ArrayDeque<>();
    /** Weights of the events added unsettled and not settled yet, oldest first: they stay until a window after settling. */
    private final ArrayDeque<Long> unsettled = new ArrayDeque<>();
    /** What the settled and the unsettled events weigh. */
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
            throw new IllegalArgumentException(
                    "a weight of " + weight + " never fits a window of capacity " + capacity);
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
        // only unsettled events can make room: the soonest is a window after one settles now (callers check again)
        return windowNanos;
    }

    /** Counts an event of {@code weight} now, whether it fits or not (it was sent). */
    public synchronized void add(long weight) {
        long now = sleeper.nanoTime();
        expire(now);
        events.addLast(new long[] {now, weight});
        total += weight;
    }

    /**
     * Counts an event of {@code weight} that is not over yet, e.g. a request in flight: it takes room now and keeps it
     * until a window after {@link #settle()} settles it. Power BI counts a request when it has arrived and been read,
     * which can be long after we let it go (a busy sender, a slow network); its answer comes after that, so a window
     * counted from the answer never starts before Power BI's did, whatever the latency.
     */
    public synchronized void addUnsettled(long weight) {
        expire(sleeper.nanoTime());
        unsettled.addLast(weight);
        total += weight;
    }

    /**
     * The oldest unsettled event is over (its answer came, or it failed): it counts from now. With several in flight,
     * settling the oldest first keeps every window's count at least what it would be with each settled at its own
     * answer (exactly so when they weigh the same).
     *
     * @throws IllegalStateException when no event is unsettled
     */
    public synchronized void settle() {
        Long weight = unsettled.pollFirst();
        if (weight == null) {
            throw new IllegalStateException("settle() without addUnsettled() on " + this);
        }
        events.addLast(new long[] {sleeper.nanoTime(), weight});
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
