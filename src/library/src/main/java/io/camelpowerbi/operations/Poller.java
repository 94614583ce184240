package io.camelpowerbi.operations;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The clock and the sleeper that every asynchronous operation (refresh, export, import) waits with. One object so a
 * test can swap both at once: a fake sleeper that advances a fake clock lets a test "wait" an hour in no time and still
 * prove the timeout is honoured.
 */
public final class Poller {

    /** Real time and real sleeping. */
    public static final Poller SYSTEM = new Poller(Sleeper.SYSTEM, System::nanoTime);

    private final Sleeper sleeper;
    private final LongSupplier nanoClock;

    /**
     * @param sleeper   how to wait
     * @param nanoClock a monotonic clock in nanoseconds, like {@link System#nanoTime()}
     */
    public Poller(Sleeper sleeper, LongSupplier nanoClock) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** A deadline {@code timeout} from now. */
    public Deadline deadline(Duration timeout) {
        return new Deadline(nanoClock.getAsLong() + timeout.toNanos(), timeout);
    }

    /** Sleeps {@code wait} but never past the deadline; does nothing once it has passed. */
    public void pause(Duration wait, Deadline deadline) {
        Duration remaining = remaining(deadline);
        Duration actual = wait.compareTo(remaining) < 0 ? wait : remaining;
        if (actual.isNegative() || actual.isZero()) {
            checkInterrupted();
            return;
        }
        try {
            sleeper.sleep(actual);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaitInterruptedException("interrupted while waiting for Power BI", e);
        }
    }

    public boolean expired(Deadline deadline) {
        return nanoClock.getAsLong() - deadline.endNanos() >= 0;
    }

    public Duration remaining(Deadline deadline) {
        long left = deadline.endNanos() - nanoClock.getAsLong();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /**
     * Asks {@code probe} every {@code interval} until it answers non-null or {@code window} has passed, and returns
     * the answer, or null when none came. For looking up what a request whose answer was lost may have created.
     */
    public <T> T lookFor(Supplier<T> probe, Duration interval, Deadline window) {
        while (true) {
            checkInterrupted();
            T found = probe.get();
            if (found != null || expired(window)) {
                return found;
            }
            pause(interval, window);
        }
    }

    /** Ends a poll loop between HTTP calls too, not only inside sleeps. */
    static void checkInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new WaitInterruptedException("interrupted while waiting for Power BI", null);
        }
    }

    /**
     * The instant a wait gives up.
     *
     * @param endNanos on the poller's clock
     * @param timeout  the budget it was made from, for messages
     */
    public record Deadline(long endNanos, Duration timeout) {

        /** Whichever of the two ends first. */
        public Deadline earlier(Deadline other) {
            return other.endNanos - endNanos < 0 ? other : this;
        }
    }
}
