package io.camelpowerbi.push;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.Year;
import java.time.ZoneOffset;

/**
 * Reads and writes the ISO-8601 forms that make up nearly every DateTime value, by hand: java.time's formatters build
 * maps per value and were most of the cost of a push. Anything unusual (zone ids, week dates, odd widths) is left to
 * the formatters.
 */
final class IsoDateTimes {

    private IsoDateTimes() {}

    /**
     * {@code yyyy-MM-dd}, optionally {@code [T ]HH:mm[:ss[.f{1,9}]]} then optionally {@code Z}, {@code ±HH:mm}, {@code ±HHmm}
     * or {@code ±HH}; no offset means UTC.
     *
     * @return the instant, or null when the text is not in this simple form
     * @throws DateTimeException when it is in this form but names no real date or time (February 30, hour 25)
     */
    static Instant parseSimple(String s) {
        Fields f = Fields.of(s);
        if (f == null) {
            return null;
        }
        LocalDateTime local = LocalDateTime.of(f.year, f.month, f.day, f.hour, f.minute, f.second, f.nano); // validates
        return local.toInstant(ZoneOffset.ofTotalSeconds(f.offsetSeconds));
    }

    /**
     * The {@link #formatUtcMillis} form of a text in the simple form whose offset is zero (none, {@code Z} or
     * {@code +00:00}), written from its fields: no instant is made, and most DateTime values take this way.
     *
     * @return null when the text is not in the simple form, has another offset, or names no real date or time (then the
     *     general way words the error)
     */
    static String utcMillis(String s) {
        Fields f = Fields.of(s);
        if (f == null
                || f.offsetSeconds != 0
                || f.year < 1
                || f.year == 9999 // the general way checks the last millisecond .NET holds
                || f.month < 1
                || f.month > 12
                || f.day < 1
                || f.day > Month.of(f.month).length(Year.isLeap(f.year))
                || f.hour > 23
                || f.minute > 59
                || f.second > 59) {
            return null;
        }
        return format(f.year, f.month, f.day, f.hour, f.minute, f.second, f.nano);
    }

    /** The fields of a text in the simple form, not yet checked to name a real date and time. */
    private static final class Fields {
        int year;
        int month;
        int day;
        int hour;
        int minute;
        int second;
        int nano;
        int offsetSeconds;

        /** The fields, or null when {@code s} is not in the simple form. */
        static Fields of(String s) {
            int n = s.length();
            if (n < 10
                    || !digits(s, 0, 4)
                    || s.charAt(4) != '-'
                    || !digits(s, 5, 2)
                    || s.charAt(7) != '-'
                    || !digits(s, 8, 2)) {
                return null;
            }
            Fields f = new Fields();
            f.year = num(s, 0, 4);
            f.month = num(s, 5, 2);
            f.day = num(s, 8, 2);
            int i = 10;
            if (i < n && (s.charAt(i) == 'T' || s.charAt(i) == 't' || s.charAt(i) == ' ')) {
                if (n < i + 6 || !digits(s, i + 1, 2) || s.charAt(i + 3) != ':' || !digits(s, i + 4, 2)) {
                    return null;
                }
                f.hour = num(s, i + 1, 2);
                f.minute = num(s, i + 4, 2);
                i += 6;
                if (i < n && s.charAt(i) == ':') {
                    if (n < i + 3 || !digits(s, i + 1, 2)) {
                        return null;
                    }
                    f.second = num(s, i + 1, 2);
                    i += 3;
                    if (i < n && s.charAt(i) == '.') {
                        int start = ++i;
                        while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                            i++;
                        }
                        int len = i - start;
                        if (len == 0 || i < n && isDigit(s.charAt(i))) {
                            return null;
                        }
                        int nano = num(s, start, len);
                        for (int k = len; k < 9; k++) {
                            nano *= 10;
                        }
                        f.nano = nano;
                    }
                }
            } else if (i < n) {
                return null;
            }
            if (i < n && i > 10) { // an offset only after a time, as ISO_DATE_TIME has it
                char c = s.charAt(i);
                if ((c == 'Z' || c == 'z') && i + 1 == n) {
                    i++;
                } else if (c == '+' || c == '-') {
                    // ISO-8601 allows +01:00, +0100 and +01; java.time's ISO formatters only the first
                    int rest = n - i - 1;
                    int oh;
                    int om = 0;
                    if (rest == 5 && digits(s, i + 1, 2) && s.charAt(i + 3) == ':' && digits(s, i + 4, 2)) {
                        oh = num(s, i + 1, 2);
                        om = num(s, i + 4, 2);
                    } else if (rest == 4 && digits(s, i + 1, 4)) {
                        oh = num(s, i + 1, 2);
                        om = num(s, i + 3, 2);
                    } else if (rest == 2 && digits(s, i + 1, 2)) {
                        oh = num(s, i + 1, 2);
                    } else {
                        return null;
                    }
                    if (oh > 18 || om > 59) {
                        return null; // the formatter words the error
                    }
                    f.offsetSeconds = (c == '-' ? -1 : 1) * (oh * 3600 + om * 60);
                    i = n;
                } else {
                    return null;
                }
            }
            return i == n ? f : null;
        }
    }

    /** {@code 2026-11-30T10:15:30.123Z}: UTC, milliseconds always; years 1 to 9999 only (checked by the caller). */
    static String formatUtcMillis(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        return format(
                t.getYear(),
                t.getMonthValue(),
                t.getDayOfMonth(),
                t.getHour(),
                t.getMinute(),
                t.getSecond(),
                t.getNano());
    }

    private static String format(int year, int month, int day, int hour, int minute, int second, int nano) {
        byte[] c = new byte[24]; // ASCII: a Latin-1 String takes the bytes as they are, no compression pass
        put(c, 0, year, 4);
        c[4] = '-';
        put(c, 5, month, 2);
        c[7] = '-';
        put(c, 8, day, 2);
        c[10] = 'T';
        put(c, 11, hour, 2);
        c[13] = ':';
        put(c, 14, minute, 2);
        c[16] = ':';
        put(c, 17, second, 2);
        c[19] = '.';
        put(c, 20, nano / 1_000_000, 3);
        c[23] = 'Z';
        return new String(c, StandardCharsets.ISO_8859_1);
    }

    private static void put(byte[] c, int at, int value, int width) {
        for (int k = at + width - 1; k >= at; k--) {
            c[k] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return false;
        }
        for (int k = from; k < from + count; k++) {
            if (!isDigit(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static int num(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            v = v * 10 + (s.charAt(k) - '0');
        }
        return v;
    }
}
