package io.camelpowerbi.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written DateTime ways agree with java.time on random values in every form they take. */
class IsoDateTimesTest {

    static final DateTimeFormatter JAVA_UTC_MILLIS = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @Test
    void agreesWithJavaTime() {
        Random random = new Random(42);
        long min = Instant.parse("0001-01-02T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-30T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(
                    min + (long) (random.nextDouble() * (max - min)), random.nextInt(1_000_000_000));
            assertEquals(JAVA_UTC_MILLIS.format(instant), IsoDateTimes.formatUtcMillis(instant));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(145) - 72) * 900); // -18:00 to +18:00
            OffsetDateTime odt = instant.atOffset(offset);
            assertEquals(instant, IsoDateTimes.parseSimple(odt.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
            LocalDateTime utc = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
            assertEquals(instant, IsoDateTimes.parseSimple(utc.toString()));
            assertEquals(
                    instant.truncatedTo(ChronoUnit.SECONDS),
                    IsoDateTimes.parseSimple(
                            utc.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ')
                                    + (utc.getSecond() == 0 ? ":00" : "")));
            // UTC text is written from its fields as the way through the instant writes it (year 9999 takes that way)
            for (String text : List.of(
                    utc + "Z",
                    utc.toString(),
                    utc + "+00:00",
                    utc + "-0000",
                    utc.toString().replace('T', ' '))) {
                assertEquals(
                        utc.getYear() < 9999 ? IsoDateTimes.formatUtcMillis(instant) : null,
                        IsoDateTimes.utcMillis(text));
            }
        }
        assertEquals("2024-02-29T00:00:00.000Z", IsoDateTimes.utcMillis("2024-02-29"));
    }

    /** Another offset, a day or hour that does not exist, the years at the edges: the general way decides and words. */
    @Test
    void leavesOffsetsAndWhatDoesNotExistToTheGeneralWay() {
        for (String text : List.of(
                "2026-11-30T10:15:30+01:00",
                "2023-02-29T00:00:00Z",
                "2026-04-31",
                "2026-13-01",
                "2026-11-30T24:00:00Z",
                "2026-11-30T23:60:00Z",
                "2026-11-30T23:59:60Z",
                "0000-12-31T23:59:59Z",
                "9999-12-31T23:59:59.9999Z",
                "2026-11-30T10")) {
            assertNull(IsoDateTimes.utcMillis(text), text);
        }
    }

    @Test
    void leavesUnusualFormsToTheFormatter() {
        assertNull(IsoDateTimes.parseSimple("2026-11-30T10:15:30+01:00[Europe/Paris]"));
        assertNull(IsoDateTimes.parseSimple("20261130"));
        assertNull(IsoDateTimes.parseSimple("2026-11-30T10"));
        assertNull(IsoDateTimes.parseSimple("2026-11-30Z"));
        assertNull(IsoDateTimes.parseSimple("2026-11-30T10:15:30.Z"));
        assertNull(IsoDateTimes.parseSimple("2026-11-30T10:15:30+1"));
    }
}
