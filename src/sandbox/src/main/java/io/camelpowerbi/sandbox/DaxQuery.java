package io.camelpowerbi.sandbox;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DAX the sandbox evaluates over a dataset's tables (keywords case-insensitive, a trailing {@code ;} allowed):
 * <ul>
 * <li>{@code EVALUATE 'Table'} or {@code EVALUATE Table}: every row;</li>
 * <li>{@code EVALUATE TOPN(n, 'Table')}: the first n rows, or with {@code , 'Table'[Col] [, ASC|DESC|0|1]} the first n
 * by that column (DESC by default, as in DAX);</li>
 * <li>{@code EVALUATE ROW("x", COUNTROWS('Table'))}: one row {@code {"[x]": count}}.</li>
 * </ul>
 * Table columns come back as {@code Table[Col]} keys. Anything else is a DAX error, unless the dataset has a canned
 * result for the exact text.
 */
final class DaxQuery {

    /** Result columns (keys) and rows (values in the same order). */
    record Result(List<String> columns, List<Object[]> rows) {}

    /** A query the sandbox cannot evaluate; the message explains why (it goes into the error details). */
    static final class DaxException extends Exception {
        DaxException(String message) {
            super(message, null, false, false);
        }
    }

    private static final String TABLE = "(?:'(?<%1$sq>(?:[^']|'')+)'|(?<%1$sb>[A-Za-z_][A-Za-z0-9_]*))";
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;
    private static final Pattern EVALUATE_TABLE =
            Pattern.compile("^\\s*EVALUATE\\s+" + TABLE.formatted("t") + "\\s*;?\\s*$", FLAGS);
    private static final Pattern TOPN = Pattern.compile(
            "^\\s*EVALUATE\\s+TOPN\\s*\\(\\s*(?<n>\\d+)\\s*,\\s*"
                    + TABLE.formatted("t") + "(?:\\s*,\\s*(?:" + TABLE.formatted("o") + ")?\\s*\\[(?<col>[^\\]]+)\\]"
                    + "(?:\\s*,\\s*(?<order>ASC|DESC|0|1|TRUE|FALSE))?)?\\s*\\)\\s*;?\\s*$",
            FLAGS);
    private static final Pattern ROW_COUNT = Pattern.compile(
            "^\\s*EVALUATE\\s+ROW\\s*\\(\\s*\"(?<name>(?:[^\"]|\"\")*)\"" + "\\s*,\\s*COUNTROWS\\s*\\(\\s*"
                    + TABLE.formatted("t") + "\\s*\\)\\s*\\)\\s*;?\\s*$",
            FLAGS);

    private DaxQuery() {}

    /**
     * Evaluates {@code query} over the tables of {@code dataset} as they are at {@code now} (a Direct Lake model's as
     * its last refresh framed them), reading at most {@code maxRows} rows of a table.
     */
    static Result evaluate(Dataset dataset, String query, long maxRows, java.time.Instant now) throws DaxException {
        Matcher m = ROW_COUNT.matcher(query);
        if (m.matches()) {
            QueryTable t = table(dataset, m, "t", now);
            return new Result(
                    List.of("[" + m.group("name").replace("\"\"", "\"") + "]"),
                    List.<Object[]>of(new Object[] {t.rowCount()}));
        }
        m = TOPN.matcher(query);
        if (m.matches()) {
            QueryTable t = table(dataset, m, "t", now);
            long n;
            try {
                n = Long.parseLong(m.group("n"));
            } catch (NumberFormatException e) {
                throw new DaxException("TOPN count out of range: " + m.group("n"));
            }
            String col = m.group("col");
            if (col == null) {
                return result(t, t.rows(Math.min(n, maxRows)));
            }
            String orderTable = name(m, "o");
            if (orderTable != null && !orderTable.equalsIgnoreCase(t.name())) {
                throw new DaxException("TOPN orders by a column of '" + orderTable + "', not of '" + t.name() + "'");
            }
            int index = t.indexOf(col);
            if (index < 0) {
                throw new DaxException("Table '" + t.name() + "' has no column [" + col + "]");
            }
            String order = m.group("order");
            boolean ascending = order != null
                    && (order.equalsIgnoreCase("ASC") || order.equals("1") || order.equalsIgnoreCase("TRUE"));
            List<Object[]> rows = new ArrayList<>(t.rows(Long.MAX_VALUE));
            Comparator<Object[]> byColumn = Comparator.comparing(r -> r[index], DaxQuery::compareValues);
            rows.sort(ascending ? byColumn : byColumn.reversed());
            return result(t, rows.subList(0, (int) Math.min(rows.size(), Math.min(n, maxRows))));
        }
        m = EVALUATE_TABLE.matcher(query);
        if (m.matches()) {
            QueryTable t = table(dataset, m, "t", now);
            return result(t, t.rows(maxRows));
        }
        throw new DaxException("The sandbox evaluates only EVALUATE 'Table', EVALUATE TOPN(n, 'Table'[, 'Table'[Col]"
                + "[, ASC|DESC]]) and EVALUATE ROW(\"x\", COUNTROWS('Table')); configure a canned result for other "
                + "queries");
    }

    private static Result result(QueryTable t, List<Object[]> rows) {
        List<String> columns =
                t.columnNames().stream().map(c -> t.name() + "[" + c + "]").toList();
        return new Result(columns, rows);
    }

    private static QueryTable table(Dataset dataset, Matcher m, String group, java.time.Instant now)
            throws DaxException {
        String name = name(m, group);
        return dataset.queryTable(name, now)
                .orElseThrow(() -> new DaxException("The dataset has no table '" + name
                        + "'"
                        + (dataset.isDirectLake()
                                ? " (a Direct Lake model shows its lakehouse's tables as its last "
                                        + "completed refresh framed them)"
                                : "")));
    }

    private static String name(Matcher m, String group) {
        String quoted = m.group(group + "q");
        return quoted != null ? quoted.replace("''", "'") : m.group(group + "b");
    }

    /** Blanks first, numbers by value, everything else by its text (ISO date-times sort correctly as text). */
    static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        return a.toString().compareToIgnoreCase(b.toString());
    }
}
