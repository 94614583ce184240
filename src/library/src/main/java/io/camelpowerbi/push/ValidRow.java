package io.camelpowerbi.push;

import java.util.Map;

/**
 * A row that fits the table: values coerced to the column types ({@link Long}, {@link Double},
 * {@link java.math.BigDecimal}, {@link Boolean}, {@link String}, null), keyed by the table's spelling of the column
 * names, in the table's order.
 */
public record ValidRow(long rowNumber, Map<String, Object> values) implements RowOutcome {

    @Override
    public String toString() {
        return "row " + rowNumber; // never the values: rows may hold personal data
    }
}
