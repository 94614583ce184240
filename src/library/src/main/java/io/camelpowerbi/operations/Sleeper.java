package io.camelpowerbi.operations;

import java.time.Duration;

/**
 * Waits between polls. Injected so tests can poll with millisecond intervals, or with no real waiting at all, while
 * production code sleeps for real. Implementations must be interruptible: a Camel shutdown interrupts the route thread
 * and a poll loop must end promptly rather than sleep out a five-minute refresh interval.
 */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps on the calling thread with {@link Thread#sleep}. */
    Sleeper SYSTEM = duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
