package io.camelpowerbi.push;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Calendar;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * The column types of a Power BI push dataset, and how one value is made to fit each of them before it is sent.
 * Power BI answers a bad value with a 400 for the whole batch of 10,000 rows and does not say which row was wrong, so
 * every limit Power BI documents is checked here, per value, with a reason the user can act on.
 */
public enum ColumnType {
    INT64("Int64"),
    DOUBLE("Double"),
    DECIMAL("Decimal"),
    BOOLEAN("Boolean"),
    DATETIME("DateTime"),
    STRING("String");

    /** Power BI's limit on one String value (UTF-16 characters, as .NET counts them). */
    public static final int MAX_STRING_LENGTH = 4_000;
    /** Decimal columns hold at most 28 significant digits ... */
    public static final int MAX_DECIMAL_PRECISION = 28;
    /** ... of which at most 4 after the decimal point. */
    public static final int MAX_DECIMAL_SCALE = 4;
    /**
     * Longest number read, in characters (or digits, for a BigDecimal or BigInteger value): any value a column can hold
     * fits with room to spare, and it keeps the work per value small. Longer is rejected before any arithmetic.
     */
    public static final int MAX_NUMBER_LENGTH = 100;
    /**
     * Largest power of ten a number may have, either way: past the Double range (about 10^308 and 10^-324), so no
     * column holds it. Checked on the exponent as written, before any arithmetic: {@code 1e300000000} would otherwise
     * make a 125 MB number.
     */
    public static final int MAX_EXPONENT = 400;

    // .NET DateTime, which Power BI stores, covers years 1 to 9999
    private static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999Z");
    /** About {@link #MAX_NUMBER_LENGTH} decimal digits, in bits. */
    private static final int MAX_UNSCALED_BITS = 333;

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final int SHOWN_VALUE_CHARS = 40;

    private final String powerBiName;

    ColumnType(String powerBiName) {
        this.powerBiName = powerBiName;
    }

    /** The name Power BI uses in a table schema, e.g. {@code Int64}. */
    public String powerBiName() {
        return powerBiName;
    }

    /**
     * Reads a Power BI {@code dataType}. Power BI matches type names case-insensitively and its own examples use
     * {@code Int64}, {@code int64}, {@code string}, {@code bool}, {@code DateTime} and {@code dateTime}.
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static ColumnType parse(String dataType) {
        if (dataType != null) {
            switch (dataType.trim().toLowerCase(Locale.ROOT)) {
                case "int64":
                    return INT64;
                case "double":
                    return DOUBLE;
                case "decimal":
                    return DECIMAL;
                case "boolean":
                case "bool":
                    return BOOLEAN;
                case "datetime":
                    return DATETIME;
                case "string":
                    return STRING;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("'" + dataType + "' is not a Power BI push dataset column type: use one of "
                + "Int64, Double, Decimal, Boolean (or bool), DateTime, String");
    }

    /**
     * Makes {@code value} fit this column: returns a {@link Long}, {@link Double}, {@link BigDecimal}, {@link Boolean},
     * or a {@link String} (for DateTime the ISO-8601 UTC form {@code 2026-11-30T10:15:30.123Z}), or null. Null, and
     * for every type but String an empty or blank string, becomes null.
     *
     * @throws InvalidValueException with a sentence naming the expected type and the fix
     */
    public Object coerce(Object value) throws InvalidValueException {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return coerceText(s);
        }
        if (this != STRING && value instanceof CharSequence cs && isBlank(cs)) {
            return null;
        }
        if (value instanceof Map
                || value instanceof Collection
                || value.getClass().isArray()) {
            throw new InvalidValueException(
                    "a nested " + (value instanceof Map ? "object" : "list") + " cannot go into a " + powerBiName
                            + " column: flatten it in the route, or send it as JSON text to a String column");
        }
        return switch (this) {
            case INT64 -> toInt64(value);
            case DOUBLE -> toDouble(value);
            case DECIMAL -> toDecimal(value);
            case BOOLEAN -> toBoolean(value);
            case DATETIME -> toDateTime(value);
            case STRING -> toText(value);
        };
    }

    /**
     * A String value, as CSV and most JSON give them: by a class check alone. The interface checks of the general way
     * cost per value, and on JDK 17 more so when several threads check (the JVM's secondary supertype cache).
     */
    private Object coerceText(String s) throws InvalidValueException {
        if (this == STRING) {
            return checkedText(s);
        }
        if (s.isBlank()) {
            return null;
        }
        String t = s.trim();
        return switch (this) {
            case INT64 -> int64Text(t);
            case DOUBLE -> doubleText(t);
            case DECIMAL -> decimalText(t);
            case BOOLEAN -> booleanText(t);
            case DATETIME -> dateTimeText(t);
            case STRING -> checkedText(s);
        };
    }

    // ---------------------------------------------------------------- Int64

    private static Long toInt64(Object value) throws InvalidValueException {
        long result;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            result = ((Number) value).longValue();
        } else if (value instanceof BigInteger bi) {
            if (bi.bitLength() > 63) {
                throw int64OutOfRange(
                        bi.bitLength() > MAX_UNSCALED_BITS ? "a number of " + bi.bitLength() + " bits" : bi.toString());
            }
            result = bi.longValue();
        } else if (value instanceof BigDecimal bd) {
            String shown = bd.toString(); // not toPlainString: 1E+999999 would be written out in full
            checkSize(bd, shown);
            result = int64FromDecimal(bd, shown);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new InvalidValueException(
                        d + " is not a number Power BI can store; an Int64 column expects a whole "
                                + "number such as 42: send a real value or null");
            }
            if (d != Math.rint(d)) {
                throw int64Fraction(Double.toString(d));
            }
            if (d <= -0x1p63 || d >= 0x1p63) {
                throw int64OutOfRange(Double.toString(d));
            }
            result = (long) d;
        } else if (value instanceof CharSequence cs) {
            return int64Text(cs.toString().trim());
        } else if (value instanceof Number n) {
            return toInt64(new BigDecimal(n.toString()));
        } else {
            throw wrongType(value, "an Int64 column expects a whole number such as 42");
        }
        return int64InRange(result);
    }

    /** Trimmed text. */
    private static Long int64Text(String s) throws InvalidValueException {
        Long plain = parseLong(s);
        if (plain != null) {
            return int64InRange(plain);
        }
        // "12.0" and "1e3" are whole numbers too; "12.5", "1,000" and "abc" are not
        BigDecimal bd = parseDecimal(s);
        if (bd == null) {
            throw new InvalidValueException(show(s) + " is not a whole number; an Int64 column expects digits "
                    + "such as 1000 (no thousands separators or units): fix the value or make the column String");
        }
        return int64InRange(int64FromDecimal(bd, s));
    }

    private static Long int64InRange(long result) throws InvalidValueException {
        if (result == Long.MAX_VALUE || result == Long.MIN_VALUE) {
            throw new InvalidValueException(
                    result + " is " + (result == Long.MAX_VALUE ? "Long.MAX_VALUE" : "Long.MIN_VALUE")
                            + ", which Power BI does not allow in an Int64 column: send a value between -9223372036854775807 "
                            + "and 9223372036854775806, or null");
        }
        return result;
    }

    /** Plain digits that fit a long, or null; a long has at most 20 characters, so longer text is not even tried. */
    private static Long parseLong(String s) {
        if (s.length() > 20) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code bd} passed {@link #checkSize}: at most 100 digits and 10^±400, so the arithmetic here stays small. */
    private static long int64FromDecimal(BigDecimal bd, String shown) throws InvalidValueException {
        if (bd.signum() != 0 && magnitude(bd) >= 19) {
            throw int64OutOfRange(shown); // 10^19 and up, decided on the exponent alone
        }
        if (bd.signum() != 0 && bd.stripTrailingZeros().scale() > 0) {
            throw int64Fraction(shown);
        }
        if (bd.compareTo(LONG_MIN) < 0 || bd.compareTo(LONG_MAX) > 0) {
            throw int64OutOfRange(shown);
        }
        return bd.longValue();
    }

    private static InvalidValueException int64Fraction(String shown) {
        return new InvalidValueException(show(shown) + " has a fraction, but an Int64 column holds whole numbers only: "
                + "round it in the route, or make the column Double or Decimal");
    }

    private static InvalidValueException int64OutOfRange(String shown) {
        return new InvalidValueException(show(shown) + " is outside the Int64 range: send a value between "
                + "-9223372036854775807 and 9223372036854775806, or make the column Double");
    }

    // ---------------------------------------------------------------- Double

    private static Double toDouble(Object value) throws InvalidValueException {
        double d;
        if (value instanceof Double
                || value instanceof Float
                || value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte) {
            d = ((Number) value).doubleValue();
        } else if (value instanceof BigDecimal bd) {
            checkSize(bd, bd.toString());
            d = bd.doubleValue(); // beyond the double range this is infinite, refused below
        } else if (value instanceof Number n) {
            d = n.doubleValue(); // BigInteger: beyond the double range this is infinite, refused below
        } else if (value instanceof CharSequence cs) {
            return doubleText(cs.toString().trim());
        } else {
            throw wrongType(value, "a Double column expects a number such as 3.14");
        }
        return doubleInRange(d, String.valueOf(value));
    }

    /** Trimmed text. */
    private static Double doubleText(String s) throws InvalidValueException {
        double d;
        if (!looksNumeric(s)) {
            if (isNaNOrInfinity(s)) {
                d = s.toLowerCase(Locale.ROOT).contains("nan") ? Double.NaN : Double.POSITIVE_INFINITY;
            } else {
                throw new InvalidValueException(show(s) + " is not a number; a Double column expects a number such as "
                        + "3.14 or 1.5e3 with a decimal point (no decimal commas, separators or units): fix the value "
                        + "or make the column String");
            }
        } else {
            checkLength(s);
            if (s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
                BigDecimal bd = parseDecimal(s); // the written exponent, checked before parseDouble rounds it away
                if (bd == null) {
                    throw new InvalidValueException(show(s) + " is not a number; a Double column expects a number "
                            + "such as 3.14 or 1.5e3: fix the value or make the column String");
                }
            }
            try {
                d = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new InvalidValueException(show(s) + " is not a number; a Double column expects a number such "
                        + "as 3.14 or 1.5e3: fix the value or make the column String");
            }
        }
        return doubleInRange(d, s);
    }

    private static Double doubleInRange(double d, String shown) throws InvalidValueException {
        if (Double.isNaN(d)) {
            throw new InvalidValueException(
                    "NaN is not supported by Power BI in a Double column: send null for a missing value");
        }
        if (Double.isInfinite(d)) {
            throw new InvalidValueException(show(shown) + " is infinite or beyond the Double range, which "
                    + "Power BI does not support: send a finite value or null");
        }
        if (Math.abs(d) == Double.MAX_VALUE) {
            throw new InvalidValueException(d + " is Double." + (d > 0 ? "MaxValue" : "MinValue") + ", which Power BI "
                    + "does not allow in a Double column: send a smaller magnitude or null");
        }
        return d;
    }

    /** Only what a decimal number may contain; keeps out Java's "1d", "0x1p3" and friends that parseDouble accepts. */
    private static boolean looksNumeric(String s) {
        if (s.isEmpty()) {
            return false;
        }
        boolean digit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return false;
            }
        }
        return digit;
    }

    private static boolean isNaNOrInfinity(String s) {
        String t = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        return t.equalsIgnoreCase("nan") || t.equalsIgnoreCase("infinity") || t.equalsIgnoreCase("inf");
    }

    // ---------------------------------------------------------------- Decimal

    private static BigDecimal toDecimal(Object value) throws InvalidValueException {
        BigDecimal bd;
        String shown;
        if (value instanceof BigDecimal b) {
            bd = b;
            shown = b.toString(); // not toPlainString: 1E+999999 would be written out in full
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte) {
            bd = BigDecimal.valueOf(((Number) value).longValue());
            shown = value.toString();
        } else if (value instanceof BigInteger bi) {
            bd = new BigDecimal(bi);
            shown = bi.bitLength() > MAX_UNSCALED_BITS ? "a number of " + bi.bitLength() + " bits" : bi.toString();
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new InvalidValueException(
                        d + " is not supported by Power BI in a Decimal column: send a finite value or null");
            }
            bd = new BigDecimal(Double.toString(d)); // the shortest text of the double, not its binary expansion
            shown = Double.toString(d);
        } else if (value instanceof CharSequence cs) {
            return decimalText(cs.toString().trim());
        } else if (value instanceof Number n) {
            shown = n.toString();
            bd = parseDecimal(shown);
            if (bd == null) {
                throw wrongType(value, "a Decimal column expects a number such as 1234.5678");
            }
        } else {
            throw wrongType(value, "a Decimal column expects a number such as 1234.5678");
        }
        return decimalFits(bd, shown);
    }

    /** Trimmed text. */
    private static BigDecimal decimalText(String s) throws InvalidValueException {
        BigDecimal plain = plainDecimal(s);
        if (plain != null) {
            return plain;
        }
        BigDecimal bd = parseDecimal(s);
        if (bd == null) {
            throw new InvalidValueException(show(s) + " is not a number; a Decimal column expects a number such as "
                    + "1234.5678 with a decimal point (no decimal commas, separators or currency signs): fix the value "
                    + "or make the column String");
        }
        return decimalFits(bd, s);
    }

    private static BigDecimal decimalFits(BigDecimal bd, String shown) throws InvalidValueException {
        checkSize(bd, shown);
        BigDecimal stripped = bd.signum() == 0 ? BigDecimal.ZERO : bd.stripTrailingZeros();
        if (stripped.scale() > MAX_DECIMAL_SCALE) {
            throw new InvalidValueException(
                    show(shown) + " has " + stripped.scale() + " digits after the decimal point, "
                            + "but a Decimal column keeps at most " + MAX_DECIMAL_SCALE
                            + " and Power BI would round it silently: "
                            + "round it to 4 places in the route, or make the column Double");
        }
        // digits written out in full, counted before they are: 1E+30 has 31
        long precision = (long) stripped.precision() - Math.min(stripped.scale(), 0);
        if (precision > MAX_DECIMAL_PRECISION) {
            throw new InvalidValueException(
                    show(shown) + " has " + precision + " significant digits, but a " + "Decimal column holds at most "
                            + MAX_DECIMAL_PRECISION + ": send a smaller value or make the column Double");
        }
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /**
     * The Decimal of a short plain number ({@code -1234.50}: at most 18 digits, a fraction of at most 4 once trailing
     * zeros go), read without BigDecimal's parser, as nearly every Decimal value is; null for anything else, which
     * takes the general way. The result equals what the general way makes of it: trailing zeros of the fraction
     * stripped, scale never below 0.
     */
    private static BigDecimal plainDecimal(String s) {
        int n = s.length();
        int i = n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
        int digitsStart = i;
        long unscaled = 0;
        int scale = -1;
        int digits = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 18) {
                    return null;
                }
                unscaled = unscaled * 10 + (c - '0');
                if (scale >= 0) {
                    scale++;
                }
            } else if (c == '.' && scale < 0 && i > digitsStart && i < n - 1) {
                scale = 0;
            } else {
                return null;
            }
        }
        if (digits == 0) {
            return null;
        }
        scale = Math.max(scale, 0);
        while (scale > 0 && unscaled % 10 == 0) {
            unscaled /= 10;
            scale--;
        }
        if (scale > MAX_DECIMAL_SCALE) {
            return null; // the general way words the error
        }
        return BigDecimal.valueOf(s.charAt(0) == '-' ? -unscaled : unscaled, scale);
    }

    /**
     * The number {@code s} writes, or null when it is not one; a number longer than {@link #MAX_NUMBER_LENGTH} or
     * beyond 10^&plusmn;{@link #MAX_EXPONENT} is rejected here, in time linear in its length, before any arithmetic.
     */
    private static BigDecimal parseDecimal(String s) throws InvalidValueException {
        if (!looksNumeric(s)) {
            return null;
        }
        checkLength(s);
        BigDecimal bd;
        try {
            bd = new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null; // "1e99999999999" among them: an exponent past the int range
        }
        checkSize(bd, s);
        return bd;
    }

    private static void checkLength(String s) throws InvalidValueException {
        if (s.length() > MAX_NUMBER_LENGTH) {
            throw new InvalidValueException(show(s) + " is " + s.length()
                    + " characters long, but numbers are read up to "
                    + MAX_NUMBER_LENGTH + " characters (more digits than any column keeps): fix the value, or make the "
                    + "column String");
        }
    }

    /** Rejects a number of more than 100 digits or beyond 10^&plusmn;400, looking at its bit length and exponent only. */
    private static void checkSize(BigDecimal bd, String shown) throws InvalidValueException {
        // the bit length first: precision() of a huge unscaled value computes a power of ten as large
        if (bd.unscaledValue().bitLength() > MAX_UNSCALED_BITS) {
            throw new InvalidValueException(show(shown) + " has more than " + MAX_NUMBER_LENGTH + " digits, more than "
                    + "any column keeps: fix the value, or make the column String");
        }
        if (bd.signum() != 0 && Math.abs(magnitude(bd)) > MAX_EXPONENT) {
            throw new InvalidValueException(show(shown) + " is a number beyond 10^" + (magnitude(bd) > 0 ? "" : "-")
                    + MAX_EXPONENT + ", outside the range of every column type: fix the value or send null");
        }
    }

    /** The power of ten of the leading digit: 2 for 123, -3 for 0.001. */
    private static long magnitude(BigDecimal bd) {
        return (long) bd.precision() - bd.scale() - 1;
    }

    // ---------------------------------------------------------------- Boolean

    private static Boolean toBoolean(Object value) throws InvalidValueException {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof CharSequence cs) {
            return booleanText(cs.toString().trim());
        }
        if (value instanceof Number n
                && (value instanceof Integer
                        || value instanceof Long
                        || value instanceof Short
                        || value instanceof Byte
                        || value instanceof BigInteger
                        || value instanceof BigDecimal)) {
            BigDecimal bd = value instanceof BigDecimal b
                    ? b
                    : value instanceof BigInteger bi ? new BigDecimal(bi) : BigDecimal.valueOf(n.longValue());
            if (bd.compareTo(BigDecimal.ONE) == 0) { // compares exponents first: no arithmetic on 1E+999999
                return Boolean.TRUE;
            }
            if (bd.signum() == 0) {
                return Boolean.FALSE;
            }
            throw new InvalidValueException(
                    show(bd.toString()) + " is not a Boolean; a Boolean column accepts 1 or 0 as numbers, or "
                            + "true/false, yes/no: fix the value or make the column Int64");
        }
        throw wrongType(value, "a Boolean column accepts true/false, 1/0 or yes/no");
    }

    /** Trimmed text. */
    private static Boolean booleanText(String s) throws InvalidValueException {
        Boolean b = switch (s.length()) { // by length first: equalsIgnoreCase on every word showed in profiles
            case 1 -> s.charAt(0) == '1' ? Boolean.TRUE : s.charAt(0) == '0' ? Boolean.FALSE : null;
            case 2 -> s.equalsIgnoreCase("no") ? Boolean.FALSE : null;
            case 3 -> s.equalsIgnoreCase("yes") ? Boolean.TRUE : null;
            case 4 -> s.equals("true") || s.equalsIgnoreCase("true") ? Boolean.TRUE : null;
            case 5 -> s.equals("false") || s.equalsIgnoreCase("false") ? Boolean.FALSE : null;
            default -> null;
        };
        if (b != null) {
            return b;
        }
        throw new InvalidValueException(show(s) + " is not a Boolean; a Boolean column accepts true/false, 1/0 or "
                + "yes/no: fix the value or make the column String");
    }

    // ---------------------------------------------------------------- DateTime

    private static String toDateTime(Object value) throws InvalidValueException {
        Instant instant;
        if (value instanceof Instant i) {
            instant = i;
        } else if (value instanceof OffsetDateTime odt) {
            instant = odt.toInstant();
        } else if (value instanceof ZonedDateTime zdt) {
            instant = zdt.toInstant();
        } else if (value instanceof LocalDateTime ldt) {
            instant = ldt.toInstant(ZoneOffset.UTC);
        } else if (value instanceof LocalDate ld) {
            instant = ld.atStartOfDay(ZoneOffset.UTC).toInstant();
        } else if (value instanceof java.sql.Date sd) {
            instant = sd.toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant(); // sql.Date.toInstant() throws
        } else if (value instanceof java.sql.Time) {
            throw wrongType(value, "a DateTime column needs a date, and a time of day alone has none");
        } else if (value instanceof java.util.Date d) {
            instant = d.toInstant();
        } else if (value instanceof Calendar c) {
            instant = c.toInstant();
        } else if (value instanceof CharSequence cs) {
            return dateTimeText(cs.toString().trim());
        } else if (value instanceof Number) {
            throw new InvalidValueException(value + " is a number, not a date; a DateTime column expects ISO-8601 text "
                    + "such as 2026-11-30T10:15:30Z: convert epoch values to a date in the route");
        } else {
            throw wrongType(value, "a DateTime column expects ISO-8601 text such as 2026-11-30T10:15:30Z");
        }
        return dateTimeInRange(instant, String.valueOf(value));
    }

    /** Trimmed text. */
    private static String dateTimeText(String s) throws InvalidValueException {
        String utc = IsoDateTimes.utcMillis(s);
        if (utc != null) {
            return utc; // a date-time in UTC, already checked to be real and within years 1 to 9999
        }
        return dateTimeInRange(parseInstant(s), s);
    }

    private static String dateTimeInRange(Instant instant, String shown) throws InvalidValueException {
        if (instant.isBefore(MIN_INSTANT) || instant.isAfter(MAX_INSTANT)) {
            throw new InvalidValueException(show(shown) + " is outside the years 0001 to 9999 that Power BI "
                    + "can store in a DateTime column: fix the value or send null");
        }
        return IsoDateTimes.formatUtcMillis(instant);
    }

    /** An instant, an offset or zoned date-time, a local date-time (taken as UTC) or a date (midnight UTC). */
    private static Instant parseInstant(String s) throws InvalidValueException {
        // "2026-11-30 10:15:30", as databases and spreadsheets write it, is ISO-8601 with a space for the 'T'
        String iso = s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
        try {
            Instant simple = IsoDateTimes.parseSimple(s);
            if (simple != null) {
                return simple;
            }
            if (iso.length() <= 10) {
                return LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            TemporalAccessor parsed =
                    DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, ZonedDateTime::from, LocalDateTime::from);
            return parsed instanceof ZonedDateTime zdt
                    ? zdt.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new InvalidValueException(
                    show(s) + " is not an ISO-8601 date or date-time; a DateTime column expects "
                            + "e.g. 2026-11-30T10:15:30Z, 2026-11-30T11:15:30+01:00, 2026-11-30T10:15:30 (taken as UTC) or "
                            + "2026-11-30: reformat the value in the route");
        } catch (DateTimeException | ArithmeticException e) {
            throw new InvalidValueException(
                    show(s) + " is not a valid date-time (" + e.getMessage() + "): fix the value");
        }
    }

    // ---------------------------------------------------------------- String

    private static String toText(Object value) throws InvalidValueException {
        String s;
        if (value instanceof BigDecimal bd) {
            checkSize(bd, bd.toString()); // toPlainString writes 1E+999999 out in full
            s = bd.toPlainString();
        } else if (value instanceof BigInteger bi && bi.bitLength() > MAX_UNSCALED_BITS) {
            throw new InvalidValueException("a number of " + bi.bitLength() + " bits has more than " + MAX_NUMBER_LENGTH
                    + " digits: fix the value");
        } else if (value instanceof CharSequence
                || value instanceof Number
                || value instanceof Boolean
                || value instanceof Character
                || value instanceof Enum
                || value instanceof java.util.UUID
                || value instanceof java.time.temporal.Temporal
                || value instanceof java.util.Date) {
            s = value.toString();
        } else {
            throw wrongType(value, "a String column takes text, numbers, booleans and dates");
        }
        return checkedText(s);
    }

    private static String checkedText(String s) throws InvalidValueException {
        if (s.length() > MAX_STRING_LENGTH) {
            throw new InvalidValueException(
                    "the text is " + s.length() + " characters long, but Power BI stores at most " + MAX_STRING_LENGTH
                            + " per value: shorten or split it in the route");
        }
        return s;
    }

    // ---------------------------------------------------------------- helpers

    private static InvalidValueException wrongType(Object value, String expectation) {
        return new InvalidValueException("a " + value.getClass().getSimpleName() + " cannot be stored here; "
                + expectation + ": convert the value in the route");
    }

    private static boolean isBlank(CharSequence cs) {
        for (int i = 0; i < cs.length(); i++) {
            if (!Character.isWhitespace(cs.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The offending value, quoted and cut short: enough to find it, never a whole row or a long text in a log. */
    static String show(String value) {
        String cut = value.length() > SHOWN_VALUE_CHARS ? value.substring(0, SHOWN_VALUE_CHARS) + "..." : value;
        return "'" + cut + "'";
    }
}
