package io.camelpowerbi.sandbox;

import java.util.List;

/**
 * A table DAX reads ({@link DaxQuery}): a push table's rows, or a Lakehouse table as a Direct Lake model framed it.
 * Values are what executeQueries writes: Long, Double, BigDecimal, Boolean, String (date-times as ISO text) or null.
 */
interface QueryTable {

    String name();

    /** The column names, in order. */
    List<String> columnNames();

    long rowCount();

    /** The rows, oldest first, values in column order (at most {@code limit}). */
    List<Object[]> rows(long limit);

    /** The index of a column, case-insensitively; -1 when there is none. */
    default int indexOf(String column) {
        List<String> names = columnNames();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }
}
