package io.camelpowerbi.push;

import static io.camelpowerbi.push.ColumnType.BOOLEAN;
import static io.camelpowerbi.push.ColumnType.DATETIME;
import static io.camelpowerbi.push.ColumnType.DECIMAL;
import static io.camelpowerbi.push.ColumnType.DOUBLE;
import static io.camelpowerbi.push.ColumnType.INT64;
import static io.camelpowerbi.push.ColumnType.STRING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every accepted form and every documented limit of every column type. */
class ColumnTypeTest {

    @ParameterizedTest
    @CsvSource({
        "Int64,INT64",
        "int64,INT64",
        "INT64,INT64",
        "Double,DOUBLE",
        "double,DOUBLE",
        "Decimal,DECIMAL",
        "Boolean,BOOLEAN",
        "bool,BOOLEAN",
        "Bool,BOOLEAN",
        "DateTime,DATETIME",
        "Datetime,DATETIME",
        "dateTime,DATETIME",
        "String,STRING",
        "string,STRING",
        "' String ',STRING"
    })
    void parsesPowerBiTypeNamesIgnoringCase(String name, ColumnType expected) {
        assertEquals(expected, ColumnType.parse(name));
    }

    @Test
    void unknownTypeNameListsTheAcceptedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ColumnType.parse("Integer"));
        assertTrue(
                e.getMessage().contains("'Integer'") && e.getMessage().contains("Int64, Double, Decimal"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ColumnType.parse(null));
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                // Int64
                Arguments.of(INT64, 42, 42L),
                Arguments.of(INT64, 42L, 42L),
                Arguments.of(INT64, (short) 7, 7L),
                Arguments.of(INT64, "42", 42L),
                Arguments.of(INT64, " -42 ", -42L),
                Arguments.of(INT64, "12.0", 12L),
                Arguments.of(INT64, "1e3", 1000L),
                Arguments.of(INT64, 12.0d, 12L),
                Arguments.of(INT64, new BigDecimal("12.000"), 12L),
                Arguments.of(INT64, new BigInteger("9223372036854775806"), Long.MAX_VALUE - 1),
                Arguments.of(INT64, Long.MAX_VALUE - 1, Long.MAX_VALUE - 1),
                Arguments.of(INT64, Long.MIN_VALUE + 1, Long.MIN_VALUE + 1),
                Arguments.of(INT64, "-9223372036854775807", Long.MIN_VALUE + 1),
                // Double
                Arguments.of(DOUBLE, 3.14d, 3.14d),
                Arguments.of(DOUBLE, 3.5f, 3.5d),
                Arguments.of(DOUBLE, 3, 3.0d),
                Arguments.of(DOUBLE, "3.14", 3.14d),
                Arguments.of(DOUBLE, "-1.5e3", -1500.0d),
                Arguments.of(DOUBLE, new BigDecimal("2.5"), 2.5d),
                Arguments.of(DOUBLE, Math.nextDown(Double.MAX_VALUE), Math.nextDown(Double.MAX_VALUE)),
                Arguments.of(DOUBLE, Double.MIN_VALUE, Double.MIN_VALUE), // the smallest positive value is fine
                // Decimal
                Arguments.of(DECIMAL, "1234.5678", new BigDecimal("1234.5678")),
                Arguments.of(DECIMAL, new BigDecimal("1.50000"), new BigDecimal("1.5")), // trailing zeros are not scale
                Arguments.of(DECIMAL, 10, new BigDecimal("10")),
                Arguments.of(DECIMAL, 0.1d, new BigDecimal("0.1")),
                Arguments.of(DECIMAL, "1E+3", new BigDecimal("1000")),
                Arguments.of(DECIMAL, "0.0000", BigDecimal.ZERO),
                Arguments.of(
                        DECIMAL,
                        "123456789012345678901234.5678",
                        new BigDecimal("123456789012345678901234.5678")), // 28 digits
                // Boolean
                Arguments.of(BOOLEAN, true, true),
                Arguments.of(BOOLEAN, "TRUE", true),
                Arguments.of(BOOLEAN, "False", false),
                Arguments.of(BOOLEAN, "1", true),
                Arguments.of(BOOLEAN, "0", false),
                Arguments.of(BOOLEAN, "Yes", true),
                Arguments.of(BOOLEAN, " no ", false),
                Arguments.of(BOOLEAN, 1, true),
                Arguments.of(BOOLEAN, 0L, false),
                // DateTime, written as ISO-8601 UTC with milliseconds
                Arguments.of(DATETIME, "2026-11-30T10:15:30.123Z", "2026-11-30T10:15:30.123Z"),
                Arguments.of(DATETIME, "2026-11-30T10:15:30Z", "2026-11-30T10:15:30.000Z"),
                Arguments.of(DATETIME, "2026-11-30T11:15:30.5+01:00", "2026-11-30T10:15:30.500Z"),
                Arguments.of(DATETIME, "2026-11-30T10:15:30", "2026-11-30T10:15:30.000Z"),
                Arguments.of(DATETIME, "2026-11-30T10:15", "2026-11-30T10:15:00.000Z"),
                Arguments.of(DATETIME, "2026-11-30 10:15:30", "2026-11-30T10:15:30.000Z"),
                Arguments.of(DATETIME, "2026-11-30", "2026-11-30T00:00:00.000Z"),
                Arguments.of(DATETIME, "2026-11-30T10:15:30.123456789Z", "2026-11-30T10:15:30.123Z"),
                Arguments.of(DATETIME, "2026-11-30t10:15:30z", "2026-11-30T10:15:30.000Z"),
                Arguments.of(DATETIME, "2026-11-30T00:15:30-02:30", "2026-11-30T02:45:30.000Z"),
                Arguments.of(DATETIME, "2026-11-30T10:15:30+0100", "2026-11-30T09:15:30.000Z"),
                Arguments.of(DATETIME, "2026-11-30T10:15:30+01", "2026-11-30T09:15:30.000Z"),
                Arguments.of(DATETIME, "0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000Z"),
                Arguments.of(DATETIME, "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"),
                Arguments.of(DATETIME, "2024-02-29", "2024-02-29T00:00:00.000Z"),
                Arguments.of(DATETIME, "2026-07-01T12:00:00+02:00[Europe/Paris]", "2026-07-01T10:00:00.000Z"),
                Arguments.of(DATETIME, Instant.parse("2026-11-30T10:15:30.123Z"), "2026-11-30T10:15:30.123Z"),
                Arguments.of(
                        DATETIME,
                        OffsetDateTime.of(2026, 11, 30, 5, 15, 30, 0, ZoneOffset.ofHours(-5)),
                        "2026-11-30T10:15:30.000Z"),
                Arguments.of(
                        DATETIME,
                        ZonedDateTime.of(2026, 1, 15, 11, 0, 0, 0, ZoneId.of("Europe/Paris")),
                        "2026-01-15T10:00:00.000Z"),
                Arguments.of(DATETIME, LocalDateTime.of(2026, 11, 30, 10, 15, 30), "2026-11-30T10:15:30.000Z"),
                Arguments.of(DATETIME, LocalDate.of(2026, 11, 30), "2026-11-30T00:00:00.000Z"),
                Arguments.of(
                        DATETIME, Date.from(Instant.parse("2026-11-30T10:15:30.123Z")), "2026-11-30T10:15:30.123Z"),
                Arguments.of(DATETIME, java.sql.Date.valueOf("2026-11-30"), "2026-11-30T00:00:00.000Z"),
                // String: any scalar
                Arguments.of(STRING, "hello", "hello"),
                Arguments.of(STRING, "", ""),
                Arguments.of(STRING, 42, "42"),
                Arguments.of(STRING, new BigDecimal("1E+3"), "1000"),
                Arguments.of(STRING, true, "true"),
                Arguments.of(STRING, 'x', "x"),
                Arguments.of(STRING, "x".repeat(4000), "x".repeat(4000)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("accepted")
    void coerces(ColumnType type, Object input, Object expected) throws Exception {
        Object actual = type.coerce(input);
        assertEquals(expected, actual);
        if (expected != null) {
            assertEquals(expected.getClass(), actual.getClass());
        }
    }

    @ParameterizedTest
    @CsvSource({"INT64", "DOUBLE", "DECIMAL", "BOOLEAN", "DATETIME"})
    void nullAndEmptyBecomeNullForNonStringTypes(ColumnType type) throws Exception {
        assertNull(type.coerce(null));
        assertNull(type.coerce(""));
        assertNull(type.coerce("   "));
    }

    @Test
    void nullStaysNullAndEmptyStaysEmptyForString() throws Exception {
        assertNull(STRING.coerce(null));
        assertEquals("", STRING.coerce(""));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                // Int64: fractions, overflow and the two extremes Power BI refuses
                Arguments.of(INT64, "12.5", "fraction", "Double or Decimal"),
                Arguments.of(INT64, 12.5d, "fraction", "round it"),
                Arguments.of(INT64, Long.MAX_VALUE, "Long.MAX_VALUE", "9223372036854775806"),
                Arguments.of(INT64, Long.MIN_VALUE, "Long.MIN_VALUE", "-9223372036854775807"),
                Arguments.of(INT64, "9223372036854775807", "Long.MAX_VALUE", "between"),
                Arguments.of(INT64, "-9223372036854775808", "Long.MIN_VALUE", "between"),
                Arguments.of(INT64, "99999999999999999999", "outside the Int64 range", "between"),
                Arguments.of(INT64, new BigInteger("99999999999999999999"), "outside the Int64 range", "Double"),
                Arguments.of(INT64, 1e19, "outside the Int64 range", "between"),
                Arguments.of(INT64, "abc", "not a whole number", "Int64"),
                Arguments.of(INT64, "1,000", "not a whole number", "no thousands separators"),
                Arguments.of(INT64, Double.NaN, "not a number", "Int64"),
                Arguments.of(INT64, true, "Boolean", "whole number"),
                // Double: NaN, infinities and the .NET MaxValue/MinValue
                Arguments.of(DOUBLE, Double.NaN, "NaN is not supported", "null"),
                Arguments.of(DOUBLE, "NaN", "NaN is not supported", "null"),
                Arguments.of(DOUBLE, Double.POSITIVE_INFINITY, "infinite", "finite"),
                Arguments.of(DOUBLE, "-Infinity", "infinite", "finite"),
                Arguments.of(DOUBLE, "1e400", "infinite", "finite"),
                Arguments.of(DOUBLE, Double.MAX_VALUE, "Double.MaxValue", "smaller"),
                Arguments.of(DOUBLE, -Double.MAX_VALUE, "Double.MinValue", "smaller"),
                Arguments.of(DOUBLE, "3,14", "not a number", "decimal point"),
                Arguments.of(DOUBLE, "1d", "not a number", "Double"),
                Arguments.of(DOUBLE, "0x1p3", "not a number", "Double"),
                // Decimal: precision 28, scale 4, never rounded silently
                Arguments.of(DECIMAL, "1.23456", "5 digits after the decimal point", "round it to 4 places"),
                Arguments.of(DECIMAL, 0.12345d, "5 digits after the decimal point", "Double"),
                Arguments.of(DECIMAL, "1234567890123456789012345.6789", "29 significant digits", "at most 28"),
                Arguments.of(DECIMAL, "1e30", "31 significant digits", "at most 28"),
                Arguments.of(DECIMAL, "12,50", "not a number", "decimal point"),
                Arguments.of(DECIMAL, Double.NaN, "not supported", "finite"),
                // Boolean
                Arguments.of(BOOLEAN, "maybe", "not a Boolean", "true/false, 1/0 or yes/no"),
                Arguments.of(BOOLEAN, 2, "not a Boolean", "1 or 0"),
                Arguments.of(BOOLEAN, 1.0d, "Double", "true/false"),
                // DateTime
                Arguments.of(DATETIME, "30/11/2026", "not an ISO-8601", "2026-11-30T10:15:30Z"),
                Arguments.of(DATETIME, "2026-02-30", "not a valid date-time", "FEBRUARY 30"),
                Arguments.of(DATETIME, "2026-11-30T25:00:00Z", "not a valid date-time", "fix the value"),
                Arguments.of(DATETIME, "2026-11-30T10:15:30+25:00", "not an ISO-8601", "reformat"),
                Arguments.of(DATETIME, "2026-11-30T10:15:30.1234567891Z", "not an ISO-8601", "reformat"),
                Arguments.of(DATETIME, "2026-11-30Z", "not an ISO-8601", "reformat"),
                Arguments.of(DATETIME, "2026-11-30T10", "not an ISO-8601", "reformat"),
                Arguments.of(DATETIME, 1764497730000L, "a number, not a date", "epoch"),
                Arguments.of(DATETIME, "+10000-01-01T00:00:00Z", "0001 to 9999", "fix"),
                // String: at most 4,000 characters, scalars only
                Arguments.of(STRING, "x".repeat(4001), "4001 characters", "at most 4000"),
                Arguments.of(STRING, Map.of("a", 1), "nested object", "flatten"),
                Arguments.of(STRING, List.of(1, 2), "nested list", "JSON text"),
                Arguments.of(INT64, Map.of("a", 1), "nested object", "Int64"),
                // Hostile numbers: refused on their length or exponent, before any arithmetic (which took minutes,
                // then ran out of memory or threw a bare ArithmeticException)
                Arguments.of(INT64, "1" + "0".repeat(3_000_000), "3000001 characters long", "make the column String"),
                Arguments.of(DECIMAL, "1" + "0".repeat(3_000_000), "3000001 characters long", "make the column String"),
                Arguments.of(DOUBLE, "1" + "0".repeat(3_000_000), "3000001 characters long", "make the column String"),
                Arguments.of(DECIMAL, "1e300000000", "beyond 10^400", "fix the value"),
                Arguments.of(DECIMAL, "1e999999999", "beyond 10^400", "fix the value"),
                Arguments.of(DECIMAL, "-1e-999999999", "beyond 10^-400", "fix the value"),
                Arguments.of(INT64, "1e999999999", "beyond 10^400", "fix the value"),
                Arguments.of(DOUBLE, "1e-999999999", "beyond 10^-400", "fix the value"),
                Arguments.of(DECIMAL, "1e99999999999", "not a number", "decimal point"),
                Arguments.of(DECIMAL, new BigDecimal("1e300000000"), "beyond 10^400", "fix the value"),
                Arguments.of(STRING, new BigDecimal("1e300000000"), "beyond 10^400", "fix the value"),
                Arguments.of(INT64, new BigDecimal("1e300000000"), "beyond 10^400", "fix the value"),
                Arguments.of(DOUBLE, new BigDecimal("1e300000000"), "beyond 10^400", "fix the value"),
                Arguments.of(
                        DECIMAL, new BigDecimal(BigInteger.TEN.pow(200_000)), "more than 100 digits", "fix the value"),
                Arguments.of(STRING, BigInteger.TEN.pow(200_000), "more than 100 digits", "fix the value"),
                Arguments.of(INT64, BigInteger.TEN.pow(200_000), "outside the Int64 range", "Double"),
                Arguments.of(BOOLEAN, new BigDecimal("1e300000000"), "not a Boolean", "1 or 0"));
    }

    @Test
    void numbersUpToTheLimitsAreStillRead() throws Exception {
        String hundredDigits = "1" + "0".repeat(ColumnType.MAX_NUMBER_LENGTH - 1);
        assertEquals(1e99, DOUBLE.coerce(hundredDigits));
        assertEquals(1e-300, DOUBLE.coerce("1e-300"));
        assertEquals(1e300, DOUBLE.coerce(new BigDecimal("1e300")));
        assertEquals(new BigDecimal("1000000000000000000000000000"), DECIMAL.coerce("1e27"));
        assertEquals(1000L, INT64.coerce("1e3"));
        assertEquals("1" + "0".repeat(400), STRING.coerce(new BigDecimal("1e400")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rejected")
    void rejectsWithAReasonNamingTheTypeAndTheFix(ColumnType type, Object input, String problem, String fix) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> type.coerce(input));
        assertTrue(e.getMessage().contains(problem), () -> "'" + e.getMessage() + "' should say " + problem);
        assertTrue(e.getMessage().contains(fix), () -> "'" + e.getMessage() + "' should say " + fix);
        assertTrue(e.getMessage().length() < 400, "a reason is a sentence, not a dump");
    }

    /**
     * Plain decimal text, read without BigDecimal's parser when it is short, comes out as BigDecimal reads it: the same
     * value with the same scale (trailing zeros of the fraction dropped, never a negative scale), or the same refusal.
     */
    @Test
    void plainDecimalTextIsReadExactlyAsBigDecimalReadsIt() throws Exception {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder(new String[] {"", "", "-", "+"}[random.nextInt(4)]);
            int whole = random.nextInt(14);
            for (int d = 0; d < whole; d++) {
                text.append(
                        (char) ('0' + (d == 0 && random.nextInt(4) > 0 ? 1 + random.nextInt(9) : random.nextInt(10))));
            }
            if (random.nextBoolean()) {
                text.append('.');
                int places = random.nextInt(8);
                for (int d = 0; d < places; d++) {
                    text.append((char) ('0' + (random.nextInt(3) == 0 ? 0 : random.nextInt(10))));
                }
            }
            String s = text.toString();
            BigDecimal reference = referenceDecimal(s);
            if (s.isEmpty()) {
                assertNull(DECIMAL.coerce(s), "empty is null");
            } else if (reference == null) {
                assertThrows(InvalidValueException.class, () -> DECIMAL.coerce(s), "'" + s + "'");
            } else {
                assertEquals(reference, DECIMAL.coerce(s), "'" + s + "'"); // BigDecimal.equals compares the scale too
            }
        }
    }

    /** What the general way makes of {@code s}: null when it is no number or has more than 4 places. */
    private static BigDecimal referenceDecimal(String s) {
        BigDecimal bd;
        try {
            bd = new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
        BigDecimal stripped = bd.signum() == 0 ? BigDecimal.ZERO : bd.stripTrailingZeros();
        if (stripped.scale() > ColumnType.MAX_DECIMAL_SCALE) {
            return null;
        }
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** Text is text, whatever CharSequence holds it: a String takes a shorter way, with the same outcome. */
    @Test
    void anyCharSequenceGivesWhatItsStringGives() throws Exception {
        List<String> texts = List.of(
                "42",
                " 42 ",
                "12.0",
                "1e3",
                "12.5",
                "abc",
                "3.14",
                "1.5e3",
                "NaN",
                "12.50",
                "007.5",
                ".5",
                "5.",
                "1.23456",
                "true",
                "No",
                "1",
                "maybe",
                "2026-11-30T10:15:30Z",
                "2026-11-30 10:15:30",
                "2026-11-30T11:15:30+01:00",
                "2026-02-30",
                "2026-11-30",
                "+10000-01-01T00:00:00Z",
                "  ",
                "");
        for (ColumnType type : ColumnType.values()) {
            for (String text : texts) {
                Object fromString;
                try {
                    fromString = type.coerce(text);
                } catch (InvalidValueException e) {
                    InvalidValueException other = assertThrows(
                            InvalidValueException.class, () -> type.coerce(new StringBuilder(text)), type + " " + text);
                    assertEquals(e.getMessage(), other.getMessage());
                    continue;
                }
                assertEquals(fromString, type.coerce(new StringBuilder(text)), type + " '" + text + "'");
            }
        }
    }

    @Test
    void longValuesAreCutShortInReasons() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> INT64.coerce("y".repeat(1000)));
        assertTrue(e.getMessage().contains("'" + "y".repeat(40) + "...'"), e.getMessage());
        InvalidValueException tooLong =
                assertThrows(InvalidValueException.class, () -> STRING.coerce("z".repeat(5000)));
        assertTrue(!tooLong.getMessage().contains("zzzz"), "the text itself is not repeated in the reason");
    }

    @Test
    void rejectionsCarryNoStackTrace() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> INT64.coerce("x"));
        assertEquals(0, e.getStackTrace().length);
    }
}
