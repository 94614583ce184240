package io.camelpowerbi.push;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
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
        int n = s.length();
        if (n < 10
                || !digits(s, 0, 4)
                || s.charAt(4) != '-'
                || !digits(s, 5, 2)
                || s.charAt(7) != '-'
                || !digits(s, 8, 2)) {
            return null;
        }
        int year = num(s, 0, 4);
        int month = num(s, 5, 2);
        int day = num(s, 8, 2);
        int hour = 0;
        int minute = 0;
        int second = 0;
        int nano = 0;
        int i = 10;
        if (i < n && (s.charAt(i) == 'T' || s.charAt(i) == 't' || s.charAt(i) == ' ')) {
            if (n < i + 6 || !digits(s, i + 1, 2) || s.charAt(i + 3) != ':' || !digits(s, i + 4, 2)) {
                return null;
            }
            hour = num(s, i + 1, 2);
            minute = num(s, i + 4, 2);
            i += 6;
            if (i < n && s.charAt(i) == ':') {
                if (n < i + 3 || !digits(s, i + 1, 2)) {
                    return null;
                }
                second = num(s, i + 1, 2);
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
                    nano = num(s, start, len);
                    for (int k = len; k < 9; k++) {
                        nano *= 10;
                    }
                }
            }
        } else if (i < n) {
            return null;
        }
        int offsetSeconds = 0;
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
                offsetSeconds = (c == '-' ? -1 : 1) * (oh * 3600 + om * 60);
                i = n;
            } else {
                return null;
            }
        }
        if (i != n) {
            return null;
        }
        LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nano); // validates
        return local.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
    }

    /** {@code 2026-11-30T10:15:30.123Z}: UTC, milliseconds always; years 1 to 9999 only (checked by the caller). */
    static String formatUtcMillis(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        char[] c = new char[24];
        put(c, 0, t.getYear(), 4);
        c[4] = '-';
        put(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, t.getHour(), 2);
        c[13] = ':';
        put(c, 14, t.getMinute(), 2);
        c[16] = ':';
        put(c, 17, t.getSecond(), 2);
        c[19] = '.';
        put(c, 20, t.getNano() / 1_000_000, 3);
        c[23] = 'Z';
        return new String(c);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int k = at + width - 1; k >= at; k--) {
            c[k] = (char) ('0' + value % 10);
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
