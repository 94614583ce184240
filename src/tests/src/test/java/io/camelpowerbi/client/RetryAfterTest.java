package io.camelpowerbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Both forms of Retry-After (RFC 9110 §10.2.3), and what is not one. */
class RetryAfterTest {

    static final Instant NOW = Instant.parse("1994-11-06T08:49:30Z");

    @Test
    void delaySeconds() {
        assertEquals(Duration.ofSeconds(120), RetryAfter.parse("120", NOW));
        assertEquals(Duration.ZERO, RetryAfter.parse("0", NOW));
        assertEquals(Duration.ofSeconds(3392), RetryAfter.parse(" 3392 ", NOW));
    }

    @Test
    void aDelayTooLargeToRepresentIsTwoToTheThirtyFirstSeconds() {
        // RFC 9111 §1.2.2, for delta-seconds that overflow
        assertEquals(Duration.ofSeconds(2_147_483_648L), RetryAfter.parse("99999999999999999999999", NOW));
        assertEquals(Duration.ofSeconds(2_147_483_648L), RetryAfter.parse("2147483649", NOW));
    }

    @Test
    void anHttpDateInEachFormARecipientMustAccept() {
        Duration seven = Duration.ofSeconds(7);
        assertEquals(seven, RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW), "IMF-fixdate");
        assertEquals(seven, RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW), "obsolete RFC 850 format");
        assertEquals(seven, RetryAfter.parse("Sun Nov  6 08:49:37 1994", NOW), "obsolete asctime format");
    }

    @Test
    void aTwoDigitYearMoreThanFiftyYearsAheadIsInThePast() {
        Instant in2026 = Instant.parse("2026-11-18T14:00:00Z");
        assertEquals(Duration.ofSeconds(2), RetryAfter.parse("Wednesday, 18-Nov-26 14:00:02 GMT", in2026));
        // 2076 is 50 years ahead: still the future; 2077 would be 51, so '77 is 1977: passed
        assertEquals(
                Duration.ofDays(18262).plusHours(10), RetryAfter.parse("Wednesday, 18-Nov-76 00:00:00 GMT", in2026));
        assertEquals(Duration.ZERO, RetryAfter.parse("Friday, 18-Nov-77 14:00:00 GMT", in2026));
    }

    @Test
    void aDateThatHasPassedIsNoWait() {
        assertEquals(Duration.ZERO, RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", NOW));
    }

    @Test
    void whatIsNeitherFormIsNoRetryAfter() {
        assertNull(RetryAfter.parse(null, NOW));
        assertNull(RetryAfter.parse(" ", NOW));
        assertNull(RetryAfter.parse("-5", NOW));
        assertNull(RetryAfter.parse("1.5", NOW));
        assertNull(RetryAfter.parse("soon", NOW));
        assertNull(RetryAfter.parse("2026-11-18T14:00:00Z", NOW), "ISO-8601 is not an HTTP-date");
    }

    @Test
    void secondsRoundUp() {
        assertEquals(-1, RetryAfter.seconds(null));
        assertEquals(2, RetryAfter.seconds(Duration.ofMillis(1_200)));
        assertEquals(1, RetryAfter.seconds(Duration.ofSeconds(1)));
    }
}
