package io.camelpowerbi.operations;

import io.camelpowerbi.client.Sleeper;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Deadlines and the waits within them, for every asynchronous operation (refresh, export, import), on one
 * {@link Sleeper}: a test's sleeper moves its own clock, so a test "waits" an hour in no time and still proves the
 * timeout is honoured.
 */
public final class Poller {

    /** Real time and real sleeping. */
    public static final Poller SYSTEM = new Poller(Sleeper.SYSTEM);

    private final Sleeper sleeper;

    public Poller(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** The time the deadlines are on. */
    public Sleeper sleeper() {
        return sleeper;
    }

    /** A deadline {@code timeout} from now. */
    public Deadline deadline(Duration timeout) {
        return new Deadline(sleeper.nanoTime() + timeout.toNanos(), timeout);
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
        return sleeper.nanoTime() - deadline.endNanos() >= 0;
    }

    public Duration remaining(Deadline deadline) {
        long left = deadline.endNanos() - sleeper.nanoTime();
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
