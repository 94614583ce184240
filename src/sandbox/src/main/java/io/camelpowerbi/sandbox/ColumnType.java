package io.camelpowerbi.sandbox;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The data types of push dataset columns (https://learn.microsoft.com/en-us/power-bi/developer/embedded/push-datasets-limitations): names are matched case-insensitively and
 * {@code bool} is accepted for Boolean. Each type knows how a JSON value of a pushed row is checked and stored:
 * Int64 and DateTime as {@code long} (DateTime: epoch milliseconds, UTC), Double as {@code double}, Boolean as
 * {@code long} 0/1, Decimal as {@link BigDecimal} (scale 4), String as {@link String}.
 */
public enum ColumnType {
    INT64("Int64"),
    DOUBLE("Double"),
    DECIMAL("Decimal"),
    BOOLEAN("Boolean"),
    DATETIME("DateTime"),
    STRING("String");

    /** Decimal: precision 28, scale 4 (api-dataset-properties.md). */
    static final int DECIMAL_PRECISION = 28;

    static final int DECIMAL_SCALE = 4;

    private static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("M/d/uuuu", Locale.ROOT);
    private static final DateTimeFormatter US_DATE_TIME =
            DateTimeFormatter.ofPattern("M/d/uuuu H:mm[:ss]", Locale.ROOT);
    private static final DateTimeFormatter OUTPUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter OUTPUT_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS", Locale.ROOT);

    private final String canonical;

    ColumnType(String canonical) {
        this.canonical = canonical;
    }

    /** The name the sandbox reports (guess: the live API may echo the name as it was given). */
    public String canonicalName() {
        return canonical;
    }

    /** True for types stored in a {@code long[]} column. */
    boolean storedAsLong() {
        return this == INT64 || this == DATETIME || this == BOOLEAN;
    }

    /** The type named {@code dataType} (case-insensitive; {@code bool} = Boolean), or null when unknown. */
    public static ColumnType parse(String dataType) {
        if (dataType == null) {
            return null;
        }
        return switch (dataType.trim().toLowerCase(Locale.ROOT)) {
            case "int64" -> INT64;
            case "double" -> DOUBLE;
            case "decimal" -> DECIMAL;
            case "boolean", "bool" -> BOOLEAN;
            case "datetime" -> DATETIME;
            case "string" -> STRING;
            default -> null;
        };
    }

    /**
     * Checks a long for an Int64 column: Int64.MaxValue and MinValue are not allowed (api-dataset-properties.md).
     */
    static String checkInt64(long value) {
        return value == Long.MAX_VALUE || value == Long.MIN_VALUE
                ? "Int64.MaxValue and Int64.MinValue are not allowed"
                : null;
    }

    /** Checks a double: finite, and not Double.MaxValue/MinValue. */
    static String checkDouble(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "NaN and infinite values are not supported";
        }
        if (value == Double.MAX_VALUE || value == -Double.MAX_VALUE) {
            return "Double.MaxValue and Double.MinValue are not allowed";
        }
        return null;
    }

    /** A decimal at scale 4 (rounded half-even), or throws when its precision exceeds 28. */
    static BigDecimal toDecimal(BigDecimal value) {
        BigDecimal scaled = value.setScale(DECIMAL_SCALE, RoundingMode.HALF_EVEN);
        if (scaled.precision() > DECIMAL_PRECISION) {
            throw new IllegalArgumentException("a Decimal has at most 28 digits of precision");
        }
        return scaled;
    }

    /** An integral value as long, or throws when it is not an integer within the Int64 range. */
    static long toInt64(BigDecimal value) {
        try {
            BigInteger integer = value.toBigIntegerExact();
            return integer.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("not an Int64 value: " + value.toPlainString());
        }
    }

    /**
     * Parses a DateTime value: an ISO instant or offset date-time, a local ISO date-time or date (taken as UTC), or the
     * US form {@code MM/dd/yyyy[ HH:mm[:ss]]} Microsoft's own PostRows example uses ({@code "07/30/2014"}). Day
     * fractions are quantised to milliseconds (the service quantises to 1/300 s).
     */
    static long parseDateTime(String text) {
        String s = text.trim();
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDateTime.parse(s, US_DATE_TIME)
                    .toInstant(ZoneOffset.UTC)
                    .toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDate.parse(s, US_DATE)
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a DateTime value: '" + abbreviate(s) + "'");
        }
    }

    /** DateTime as executeQueries writes it: {@code 2014-07-30T00:00:00} (no zone). */
    static String formatDateTime(long epochMillis) {
        LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
        return (Math.floorMod(epochMillis, 1000L) == 0 ? OUTPUT : OUTPUT_MILLIS).format(t);
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
