package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One version of a Lakehouse (Delta) table: its columns and rows. Immutable: a load makes a new version, so a Direct
 * Lake model framed on one version keeps showing it while later loads go on (as framing does).
 *
 * <p>A CSV load reads the file with its header (or without: columns {@code col0}, {@code col1}, ...; guess: Microsoft
 * Learn says "col#") and types each new column by its values (guess: the service's inference is not documented):
 * Int64 when every value is an integer, else Double when every value is a number, else Boolean when every value is true
 * or false, else DateTime when every value is an ISO date or date-time, else String; empty values are null. Characters a
 * Delta column name cannot hold become {@code _} (Learn: "load to tables"). An Append converts the file's values to the
 * table's column types and fails on a value that does not convert or a column the table lacks (guess).
 */
public record LakehouseTable(String name, List<String> columnNames, List<ColumnType> types, List<Object[]> rows)
        implements QueryTable {

    /** Characters Delta does not allow in column names (guess: Learn names "special characters" without a list). */
    private static final Pattern FORBIDDEN = Pattern.compile("[ ,;{}()\\n\\t=]");

    public LakehouseTable {
        columnNames = List.copyOf(columnNames);
        types = List.copyOf(types);
        rows = List.copyOf(rows);
    }

    @Override
    public long rowCount() {
        return rows.size();
    }

    @Override
    public List<Object[]> rows(long limit) {
        return rows.subList(0, (int) Math.min(limit, rows.size()));
    }

    /** The table after loading {@code csv} into {@code current} (null: a new table) in mode Append or Overwrite. */
    static LakehouseTable load(
            String name, LakehouseTable current, byte[] csv, boolean header, char delimiter, boolean append)
            throws LoadException {
        List<String[]> records = parse(csv, delimiter);
        List<String> names = new ArrayList<>();
        if (header) {
            if (records.isEmpty()) {
                throw new LoadException("the CSV file has no header line");
            }
            for (String h : records.remove(0)) {
                names.add(FORBIDDEN.matcher(h.trim()).replaceAll("_"));
            }
        } else {
            int width = records.isEmpty() ? 0 : records.get(0).length;
            for (int i = 0; i < width; i++) {
                names.add("col" + i);
            }
        }
        for (int r = 0; r < records.size(); r++) {
            if (records.get(r).length != names.size()) {
                throw new LoadException("line " + (r + (header ? 2 : 1)) + " of the CSV file has "
                        + records.get(r).length + " values, the header " + names.size());
            }
        }
        if (append && current != null) {
            return appendTo(current, names, records);
        }
        List<ColumnType> types = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            types.add(infer(records, c));
        }
        List<Object[]> rows = new ArrayList<>(records.size());
        for (String[] record : records) {
            Object[] row = new Object[names.size()];
            for (int c = 0; c < row.length; c++) {
                row[c] = value(record[c], types.get(c));
            }
            rows.add(row);
        }
        return new LakehouseTable(name, names, types, rows);
    }

    private static LakehouseTable appendTo(LakehouseTable current, List<String> names, List<String[]> records)
            throws LoadException {
        int[] target = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            target[i] = current.indexOf(names.get(i));
            if (target[i] < 0) {
                throw new LoadException("the file's column '" + names.get(i) + "' is not a column of table '"
                        + current.name() + "' (its columns are " + current.columnNames() + ")");
            }
        }
        List<Object[]> rows = new ArrayList<>(current.rows());
        for (int r = 0; r < records.size(); r++) {
            Object[] row = new Object[current.columnNames().size()];
            for (int i = 0; i < names.size(); i++) {
                ColumnType type = current.types().get(target[i]);
                try {
                    row[target[i]] = value(records.get(r)[i], type);
                } catch (IllegalArgumentException e) {
                    throw new LoadException("row " + (r + 1) + ", column '" + names.get(i) + "': '"
                            + ColumnType.abbreviate(records.get(r)[i]) + "' is not a " + type.canonicalName()
                            + " as the table's column is");
                }
            }
            rows.add(row);
        }
        return new LakehouseTable(current.name(), current.columnNames(), current.types(), rows);
    }

    private static List<String[]> parse(byte[] csv, char delimiter) throws LoadException {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<String[]> records = new ArrayList<>();
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class)
                .with(CsvSchema.emptySchema().withColumnSeparator(delimiter))
                .readValues(csv)) {
            while (it.hasNext()) {
                String[] record = it.next();
                if (!(record.length == 1 && record[0].isEmpty())) {
                    records.add(record);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new LoadException("the file is not CSV with delimiter '" + delimiter + "': " + e.getMessage());
        }
        return records;
    }

    private static ColumnType infer(List<String[]> records, int column) {
        boolean integer = true;
        boolean number = true;
        boolean bool = true;
        boolean dateTime = true;
        boolean any = false;
        for (String[] record : records) {
            String v = record[column].trim();
            if (v.isEmpty()) {
                continue;
            }
            any = true;
            integer &= v.matches("[+-]?\\d{1,18}");
            number &= isNumber(v);
            bool &= v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
            dateTime &= v.matches("\\d{4}-\\d{2}-\\d{2}.*") && isDateTime(v);
        }
        if (!any) {
            return ColumnType.STRING;
        }
        return integer
                ? ColumnType.INT64
                : number
                        ? ColumnType.DOUBLE
                        : bool ? ColumnType.BOOLEAN : dateTime ? ColumnType.DATETIME : ColumnType.STRING;
    }

    private static boolean isNumber(String v) {
        try {
            new BigDecimal(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isDateTime(String v) {
        try {
            ColumnType.parseDateTime(v);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A CSV value as DAX reads it from this column type; empty is null. */
    private static Object value(String text, ColumnType type) {
        String v = text.trim();
        if (v.isEmpty()) {
            return type == ColumnType.STRING ? (text.isEmpty() ? null : text) : null;
        }
        return switch (type) {
            case INT64 -> Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
            case DOUBLE -> new BigDecimal(v).doubleValue();
            case DECIMAL -> new BigDecimal(v);
            case BOOLEAN -> {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException(v);
                }
                yield v.equalsIgnoreCase("true");
            }
            case DATETIME -> ColumnType.formatDateTime(ColumnType.parseDateTime(v));
            case STRING -> text;
        };
    }

    /** Why a load failed; the operation reports it as its error. */
    static final class LoadException extends Exception {
        LoadException(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public String toString() {
        return "LakehouseTable[" + name + ", " + rows.size() + " rows, columns " + columnNames + "]";
    }

    /** Names compare as the service compares them: case-insensitively (guess). */
    static String key(String tableName) {
        return tableName.toLowerCase(Locale.ROOT);
    }
}
