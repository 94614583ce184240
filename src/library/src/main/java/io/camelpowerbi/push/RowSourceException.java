package io.camelpowerbi.push;

import io.camelpowerbi.CamelPowerBiException;

/**
 * The input cannot be read on from here: not JSON where JSON was chosen, an unclosed quote in a CSV, a stream that
 * broke off. Single bad rows are not this: they are {@link RejectedRow}s and reading goes on.
 */
public class RowSourceException extends CamelPowerBiException {

    private final long rowNumber;
    private final String column;

    public RowSourceException(long rowNumber, String message, Throwable cause) {
        this(rowNumber, null, message, cause);
    }

    /** @param column the column whose value could not be read, when known */
    public RowSourceException(long rowNumber, String column, String message, Throwable cause) {
        super(message, cause);
        this.rowNumber = rowNumber;
        this.column = column;
    }

    /** The row at which reading failed (1-based), or 0 before the first row. */
    public long rowNumber() {
        return rowNumber;
    }

    /** The column whose value could not be read, or null when the failure is not about one value. */
    public String column() {
        return column;
    }
}
