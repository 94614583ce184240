package io.camelpowerbi;

import java.time.Instant;
import java.util.List;

/**
 * Fixed instants for tests whose outcome depends on the time of day or the date. The sandbox's seeded activity log has
 * a day profile (quiet nights, weekends a third of a working day) and its windows stop at UTC midnight, so such tests
 * start the sandbox at one of these ({@code Sandbox.start(config, SandboxClock.startingAt(instant))}) and take "now"
 * from the sandbox's clock, never from the wall clock. The component follows the sandbox's clock through
 * {@code LocalSandbox.configure}.
 */
public final class TestClocks {

    /** 00:30 on a month's last day, a Tuesday: today's log is still empty, yesterday was a working day. */
    public static final Instant MONTH_END_AFTER_MIDNIGHT = Instant.parse("2026-03-31T00:30:00Z");
    /** 02:45 on a Monday: the night hours after a weekend (the hour CI once went red at). */
    public static final Instant MONDAY_NIGHT = Instant.parse("2026-06-15T02:45:00Z");
    /** 23:59 on the last day of February, a Saturday: midnight and the month's end pass while the test runs. */
    public static final Instant BEFORE_MIDNIGHT = Instant.parse("2026-02-28T23:59:00Z");
    /** 14:00 on a Wednesday: office hours, for tests that need no particular edge. */
    public static final Instant WORKING_AFTERNOON = Instant.parse("2026-11-18T14:00:00Z");

    private TestClocks() {}

    /** The edges a time-sensitive test class runs under ({@code @ParameterizedClass @MethodSource}). */
    public static List<Instant> dayEdges() {
        return List.of(MONTH_END_AFTER_MIDNIGHT, MONDAY_NIGHT, BEFORE_MIDNIGHT);
    }
}
