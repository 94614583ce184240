package io.camelpowerbi.client;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * The time every wait of the library is measured and made with: a monotonic reading for deadlines and windows, the
 * current instant for dates a server sends ({@code Retry-After} as an HTTP-date), and sleeping. One object, so a test
 * swaps all three at once: a sleeper whose sleep moves its own clock lets a test "wait" an hour in no time and still
 * prove the wait was an hour. Sleeping must be interruptible: a Camel shutdown interrupts the route's thread, and a
 * wait must end promptly rather than sleep out a five-minute refresh interval.
 */
public interface Sleeper {

    /** Real time: {@link System#nanoTime()}, {@link Instant#now()} and {@link Thread#sleep}. */
    Sleeper SYSTEM = new Sleeper() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (duration.isNegative() || duration.isZero()) {
                return;
            }
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }

        @Override
        public String toString() {
            return "Sleeper.SYSTEM";
        }
    };

    /** How long {@link #sleep(Duration, BooleanSupplier)} sleeps between looks at its condition. */
    Duration STEP = Duration.ofMillis(50);

    /** Nanoseconds on a monotonic clock, like {@link System#nanoTime()}: only differences mean anything. */
    long nanoTime();

    /** The current instant. */
    Instant now();

    /** Sleeps {@code duration} on the calling thread (nothing when it is zero or negative). */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Sleeps {@code duration} in steps of at most {@link #STEP} while {@code running} holds, so a stopping consumer is
     * not held up by a long wait.
     *
     * @return true when it slept the whole duration, false when {@code running} turned false first
     */
    default boolean sleep(Duration duration, BooleanSupplier running) throws InterruptedException {
        long until = nanoTime() + duration.toNanos();
        while (true) {
            if (!running.getAsBoolean()) {
                return false;
            }
            long left = until - nanoTime();
            if (left <= 0) {
                return true;
            }
            sleep(Duration.ofNanos(Math.min(left, STEP.toNanos())));
        }
    }

    /** The time from {@code startNanos} (a {@link #nanoTime()} reading) to now. */
    default Duration since(long startNanos) {
        return Duration.ofNanos(nanoTime() - startNanos);
    }
}
