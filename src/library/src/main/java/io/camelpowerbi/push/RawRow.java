package io.camelpowerbi.push;

import java.util.Map;

/**
 * One row as read from the input, before it is checked against the table.
 *
 * @param rowNumber 1-based position of the row in the input (CSV: data rows after the header; NDJSON: non-blank lines)
 * @param values    field name to value as read (CSV: all strings); empty when the row could not be read
 * @param error     why the row could not be read (a broken NDJSON line, a CSV line with too many values, ...), or null
 */
public record RawRow(long rowNumber, Map<String, Object> values, String error) {

    public static RawRow of(long rowNumber, Map<String, Object> values) {
        return new RawRow(rowNumber, values, null);
    }

    public static RawRow broken(long rowNumber, String error) {
        return new RawRow(rowNumber, Map.of(), error);
    }

    public boolean isBroken() {
        return error != null;
    }

    @Override
    public String toString() {
        return "row " + rowNumber + (error != null ? " (unreadable)" : " (" + values.size() + " fields)");
    }
}
