package io.camelpowerbi.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * The one reading of a {@code Retry-After} header (RFC 9110 §10.2.3): delay-seconds ({@code 120}, what Power BI
 * sends) or an HTTP-date ({@code Wed, 18 Nov 2026 14:02:00 GMT}, and the obsolete RFC 850 and asctime forms a
 * recipient must accept, RFC 9110 §5.6.7), taken relative to now. (HttpClient's {@code DateUtils} reads only the first
 * of the three dates.)
 */
public final class RetryAfter {

    /** RFC 9111 §1.2.2: a delay too large to represent is taken as 2^31 seconds. */
    private static final long MAX_SECONDS = 2_147_483_648L;

    /** IMF-fixdate, {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    /** asctime, {@code Sun Nov  6 08:49:37 1994}. */
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

    private RetryAfter() {}

    /**
     * The wait {@code value} asks for: its seconds, or the time from {@code now} to its date (zero for a date passed).
     *
     * @return null when the header is absent or neither form (e.g. a negative or fractional number)
     */
    public static Duration parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // beyond 19 digits Long.parseLong fails; anything of 11 digits or more is past the cap anyway
            return Duration.ofSeconds(v.length() > 10 ? MAX_SECONDS : Math.min(Long.parseLong(v), MAX_SECONDS));
        }
        Instant date = date(v, now);
        if (date == null) {
            return null;
        }
        return date.isAfter(now) ? Duration.between(now, date) : Duration.ZERO;
    }

    private static Instant date(String v, Instant now) {
        for (DateTimeFormatter format : new DateTimeFormatter[] {IMF_FIXDATE, rfc850(now), ASCTIME}) {
            try {
                return format.parse(v, Instant::from);
            } catch (DateTimeParseException notThisForm) {
                // the next
            }
        }
        return null;
    }

    /**
     * RFC 850, {@code Sunday, 06-Nov-94 08:49:37 GMT}: a two-digit year more than 50 years ahead of {@code now} is the
     * latest past year with those digits (RFC 9110 §5.6.7).
     */
    private static DateTimeFormatter rfc850(Instant now) {
        int base = now.atZone(ZoneOffset.UTC).getYear() - 49;
        return new DateTimeFormatterBuilder()
                .appendPattern("EEEE, dd-MMM-")
                .appendValueReduced(ChronoField.YEAR, 2, 2, base)
                .appendPattern(" HH:mm:ss 'GMT'")
                .toFormatter(Locale.US)
                .withZone(ZoneOffset.UTC);
    }

    /** {@link #parse} in whole seconds, rounded up (a wait of 1.2 s is not 1 s); -1 when there is none. */
    public static long seconds(Duration retryAfter) {
        if (retryAfter == null) {
            return -1;
        }
        return retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
    }
}
