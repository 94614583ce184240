package io.camelpowerbi.push;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a row against the table and coerces its values to the column types. Field names are matched to columns
 * exactly, then ignoring case (Power BI's engine ignores case too), and the row goes out with the table's spelling, in
 * the table's order. Columns the row lacks are left out (Power BI stores null). Fields the table lacks are refused,
 * unless {@code ignoreUnknownColumns}: a misspelt header would otherwise lose a whole column without a word.
 */
public final class RowValidator {

    private final TableSchema schema;
    private final boolean ignoreUnknownColumns;
    private final String[] names;
    private final ColumnType[] types;
    private final Map<String, Integer> exact = new HashMap<>();
    private final Map<String, Integer> folded = new HashMap<>();

    public RowValidator(TableSchema schema, boolean ignoreUnknownColumns) {
        this.schema = schema;
        this.ignoreUnknownColumns = ignoreUnknownColumns;
        this.names = schema.columns().keySet().toArray(new String[0]);
        this.types = schema.columns().values().toArray(new ColumnType[0]);
        for (int i = 0; i < names.length; i++) {
            exact.put(names[i], i);
            folded.put(names[i].toLowerCase(Locale.ROOT), i);
        }
    }

    public TableSchema schema() {
        return schema;
    }

    /**
     * Where each field of a header goes: worked out once per header (a CSV source shares one header array among its
     * rows), so its rows are checked without a lookup per field.
     *
     * @param header   the field names, by identity
     * @param column   for each field, its column index, or -1 for a field ignored by ignoreUnknownColumns
     * @param slot     for each field, its position in the outgoing row
     * @param outNames the columns the outgoing rows hold, in the table's order
     */
    private record HeaderPlan(String[] header, int[] column, int[] slot, String[] outNames) {}

    private HeaderPlan plan;

    /**
     * The rows of {@code source}, each checked, while every one fits: the first that does not ends the iteration with an
     * {@link IllegalArgumentException} saying which row and why. For passes that are worth nothing once a row is
     * rejected.
     */
    public Iterator<ValidRow> allValid(RowSource source) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public ValidRow next() {
                RowOutcome outcome = validate(source.next());
                if (outcome instanceof ValidRow row) {
                    return row;
                }
                throw new IllegalArgumentException("rejected " + outcome);
            }
        };
    }

    /**
     * A {@link ValidRow}, or a {@link RejectedRow} naming the first problem. When the table's columns are not known
     * ({@link TableSchema#columnsKnown()}), every readable row is valid as it is: nothing can be checked or coerced.
     */
    public RowOutcome validate(RawRow raw) {
        if (raw.isBroken()) {
            return new RejectedRow(raw.rowNumber(), null, raw.error(), raw.values());
        }
        if (names.length == 0) {
            return new ValidRow(raw.rowNumber(), raw.values());
        }
        if (raw.values() instanceof FieldRow fields) {
            HeaderPlan p = plan;
            if (p == null || p.header != fields.names) {
                p = planFor(fields.names);
                plan = p;
            }
            if (p.column != null) {
                return validate(raw, fields, p);
            }
            // an unknown or repeated column: every row gets the reason from the general path below
        }
        Object[] coerced = new Object[names.length];
        boolean[] present = new boolean[names.length];
        for (Map.Entry<String, Object> field : raw.values().entrySet()) {
            String name = field.getKey();
            Integer index = exact.get(name);
            if (index == null) {
                index = folded.get(name.trim().toLowerCase(Locale.ROOT));
            }
            if (index == null) {
                if (ignoreUnknownColumns) {
                    continue;
                }
                return new RejectedRow(
                        raw.rowNumber(),
                        name,
                        "table '" + schema.name() + "' has no column '" + name
                                + "' (its columns are " + List.of(names) + "): rename the field, remove it, or set "
                                + "ignoreUnknownColumns=true to drop fields the table lacks",
                        raw.values());
            }
            int i = index;
            if (present[i]) {
                return new RejectedRow(
                        raw.rowNumber(),
                        names[i],
                        "the row gives column '" + names[i] + "' twice "
                                + "(names differing only in case are the same column): keep one",
                        raw.values());
            }
            present[i] = true;
            try {
                coerced[i] = types[i].coerce(field.getValue());
            } catch (InvalidValueException e) {
                return new RejectedRow(raw.rowNumber(), names[i], e.getMessage(), raw.values());
            } catch (RuntimeException e) {
                return unexpected(raw, i, e);
            }
        }
        Map<String, Object> row = new LinkedHashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            if (present[i]) {
                row.put(names[i], coerced[i]);
            }
        }
        return new ValidRow(raw.rowNumber(), row);
    }

    private RowOutcome validate(RawRow raw, FieldRow fields, HeaderPlan p) {
        Object[] out = new Object[p.outNames.length];
        for (int i = 0; i < fields.values.length; i++) {
            int c = p.column[i];
            if (c < 0) {
                continue;
            }
            try {
                out[p.slot[i]] = types[c].coerce(fields.values[i]);
            } catch (InvalidValueException e) {
                return new RejectedRow(raw.rowNumber(), names[c], e.getMessage(), raw.values());
            } catch (RuntimeException e) {
                return unexpected(raw, c, e);
            }
        }
        return new ValidRow(raw.rowNumber(), new FieldRow(p.outNames, out));
    }

    /**
     * A value the column's checks did not foresee (an ArithmeticException from a value of some exotic Number type, say):
     * still this row's and this column's problem, not the whole push's.
     */
    private RejectedRow unexpected(RawRow raw, int column, RuntimeException e) {
        return new RejectedRow(
                raw.rowNumber(),
                names[column],
                "the value cannot be converted to " + types[column].powerBiName()
                        + " (" + e.getClass().getSimpleName() + ": " + ColumnType.show(String.valueOf(e.getMessage()))
                        + "): fix the value or convert it in the route",
                raw.values());
    }

    /** The plan for a header; with null arrays when a field is unknown (and not ignored) or a column repeats. */
    private HeaderPlan planFor(String[] header) {
        int[] column = new int[header.length];
        boolean[] present = new boolean[names.length];
        for (int i = 0; i < header.length; i++) {
            Integer index = exact.get(header[i]);
            if (index == null) {
                index = folded.get(header[i].trim().toLowerCase(Locale.ROOT));
            }
            if (index == null && !ignoreUnknownColumns || index != null && present[index]) {
                return new HeaderPlan(header, null, null, null);
            }
            column[i] = index == null ? -1 : index;
            if (index != null) {
                present[index] = true;
            }
        }
        int[] slotOfColumn = new int[names.length];
        List<String> out = new ArrayList<>();
        for (int c = 0; c < names.length; c++) {
            if (present[c]) {
                slotOfColumn[c] = out.size();
                out.add(names[c]);
            }
        }
        int[] slot = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            slot[i] = column[i] < 0 ? -1 : slotOfColumn[column[i]];
        }
        return new HeaderPlan(header, column, slot, out.toArray(new String[0]));
    }
}
