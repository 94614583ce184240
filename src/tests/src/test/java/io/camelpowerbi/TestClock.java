package io.camelpowerbi;

import io.camelpowerbi.client.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one test clock: a {@link Clock} a test sets or advances by hand, and the library's {@link Sleeper} on the same
 * time, whose sleeping advances it. A limiter, poller or retry "waits" an hour in no time and the test still sees the
 * hour pass, and which waits were made ({@link #sleeps()}). Starts at a fixed instant ({@link TestClocks}), never the
 * wall clock. Sleeping honours interruption, as real sleeping does.
 */
public final class TestClock extends Clock implements Sleeper {

    /** Nanoseconds since the epoch (a long holds them until 2262). */
    private final AtomicLong nanos;

    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    public TestClock(Instant start) {
        this.nanos = new AtomicLong(epochNanos(start));
    }

    /** At {@link TestClocks#WORKING_AFTERNOON}. */
    public TestClock() {
        this(TestClocks.WORKING_AFTERNOON);
    }

    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    public void set(Instant instant) {
        nanos.set(epochNanos(instant));
    }

    /** Every sleep so far, in order. */
    public List<Duration> sleeps() {
        return sleeps;
    }

    /** The sum of {@link #sleeps()}. */
    public Duration slept() {
        return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        sleeps.add(duration);
        advance(duration);
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public Instant now() {
        return instant();
    }

    @Override
    public Instant instant() {
        long n = nanos.get();
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    private static long epochNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    @Override
    public String toString() {
        return "TestClock[" + instant() + "]";
    }
}
