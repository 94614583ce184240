package io.camelpowerbi.push;

import java.util.Map;

/**
 * A row that was not sent, and why: the first problem found in it.
 *
 * @param rowNumber 1-based position in the input
 * @param column    the column at fault, or null when the row as a whole is (unreadable, not an object)
 * @param reason    a sentence naming what was expected and the fix
 * @param row       the row as read, so a route can dead-letter or repair it; empty when it could not be read
 */
public record RejectedRow(long rowNumber, String column, String reason, Map<String, Object> row) implements RowOutcome {

    /** Short, and without the row's values (they may hold personal data): fit for a log line or an exception. */
    @Override
    public String toString() {
        return "row " + rowNumber + (column != null ? ", column '" + column + "'" : "") + ": " + reason;
    }
}
