package io.camelpowerbi.push;

import java.util.HashMap;
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

    /** A {@link ValidRow}, or a {@link RejectedRow} naming the first problem. */
    public RowOutcome validate(RawRow raw) {
        if (raw.isBroken()) {
            return new RejectedRow(raw.rowNumber(), null, raw.error(), raw.values());
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
                return new RejectedRow(raw.rowNumber(), name, "table '" + schema.name() + "' has no column '" + name
                        + "' (its columns are " + List.of(names) + "): rename the field, remove it, or set "
                        + "ignoreUnknownColumns=true to drop fields the table lacks", raw.values());
            }
            int i = index;
            if (present[i]) {
                return new RejectedRow(raw.rowNumber(), names[i], "the row gives column '" + names[i] + "' twice "
                        + "(names differing only in case are the same column): keep one", raw.values());
            }
            present[i] = true;
            try {
                coerced[i] = types[i].coerce(field.getValue());
            } catch (InvalidValueException e) {
                return new RejectedRow(raw.rowNumber(), names[i], e.getMessage(), raw.values());
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
}
