package io.camelpowerbi.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The clock behind every time decision of the sandbox (assertion validity, token lifetime, bearer expiry, secret and
 * certificate dates, error timestamps, the seeded activity history). It follows a base clock (the system clock, or
 * one {@link #startingAt(Instant) started at a fixed instant}) plus an offset that tests move forward, so a token can
 * expire without anybody waiting.
 */
public final class SandboxClock extends Clock {

    private final Clock base;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    public SandboxClock(Clock base) {
        this.base = base;
    }

    /** A base clock that reads {@code start} now and runs with real time from there. */
    public static Clock startingAt(Instant start) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), start));
    }

    public Instant now() {
        return base.instant().plus(offset.get());
    }

    /** Moves the sandbox's time forward (or backward, with a negative duration). */
    public void advance(Duration duration) {
        offset.accumulateAndGet(duration, Duration::plus);
    }

    /** Jumps to an absolute instant; the clock keeps running from there. */
    public void set(Instant instant) {
        offset.set(Duration.between(base.instant(), instant));
    }

    /** Back to the base clock. */
    public void reset() {
        offset.set(Duration.ZERO);
    }

    public Duration offset() {
        return offset.get();
    }

    @Override
    public Instant instant() {
        return now();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        // a zone changes formatting only; callers of the sandbox use UTC instants
        return Clock.offset(base.withZone(zone), offset.get());
    }

    @Override
    public String toString() {
        return "SandboxClock[offset=" + offset.get() + "]";
    }
}
