package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A table of a dataset: its schema (columns with their types) and, for push datasets, its rows. Validation of schemas
 * and of pushed rows lives here; the sandbox answers a violation with 400 (https://learn.microsoft.com/en-us/power-bi/developer/embedded/push-datasets-limitations).
 */
public final class PushTable implements QueryTable {

    /** SW {@code Table.name} / {@code Relationship.name}: at most 100 characters from a restricted set. */
    static final Pattern TABLE_NAME = Pattern.compile(
            "^[\\x09\\x0A\\x0D\\x20\\x23\\x2D\\x30-\\x39\\x40-\\x5A\\x5E-\\x5F\\x61-\\x7A\\x7E-\\uD7FF\\uE000-\\uFFFD"
                    + "\\x{10000}-\\x{10FFFF}]{1,100}$");
    /** SW {@code Column.name}: no control characters other than tab, CR and LF. */
    static final Pattern COLUMN_NAME =
            Pattern.compile("^[\\x09\\x0A\\x0D\\x20-\\uD7FF\\uE000-\\uFFFD\\x{10000}-\\x{10FFFF}]+$");

    static final int MAX_COLUMNS = 75;

    /** A column: name, type, and its definition as given (other properties kept for GET tables). */
    public record Column(String name, ColumnType type, ObjectNode definition) {}

    /** A validated table definition. */
    public record Schema(String name, List<Column> columns, JsonNode measures) {

        ObjectNode toJson(boolean withColumns) {
            ObjectNode json = Json.object();
            json.put("name", name);
            if (withColumns) {
                ArrayNode cols = json.putArray("columns");
                columns.forEach(c -> cols.add(c.definition().deepCopy()));
                if (measures != null && measures.isArray() && !measures.isEmpty()) {
                    json.set("measures", measures.deepCopy());
                }
            }
            return json;
        }

        int indexOf(String column) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equalsIgnoreCase(column)) {
                    return i;
                }
            }
            return -1;
        }

        ColumnType[] types() {
            return columns.stream().map(Column::type).toArray(ColumnType[]::new);
        }
    }

    /** A rejected schema or row batch; the message is sent to the client. */
    static final class InvalidException extends IllegalArgumentException {
        InvalidException(String message) {
            super(message);
        }
    }

    private volatile Schema schema;
    private volatile RowStore rows;

    PushTable(Schema schema) {
        this.schema = schema;
        this.rows = new RowStore(schema.types());
    }

    @Override
    public String name() {
        return schema.name();
    }

    public Schema schema() {
        return schema;
    }

    public List<Column> columns() {
        return schema.columns();
    }

    @Override
    public List<String> columnNames() {
        return schema.columns().stream().map(Column::name).toList();
    }

    @Override
    public long rowCount() {
        return rows.size();
    }

    RowStore store() {
        return rows;
    }

    /** Replaces the schema; values of columns kept with the same name and type survive (guess), others are null. */
    synchronized void replaceSchema(Schema newSchema) {
        Schema old = schema;
        int[] mapping = new int[newSchema.columns().size()];
        for (int i = 0; i < mapping.length; i++) {
            Column c = newSchema.columns().get(i);
            int o = old.indexOf(c.name());
            mapping[i] = o >= 0 && old.columns().get(o).type() == c.type() ? o : -1;
        }
        rows = rows.restructure(newSchema.types(), mapping);
        schema = newSchema;
    }

    /** The rows, oldest first, as arrays of values in column order (at most {@code limit}). */
    @Override
    public List<Object[]> rows(long limit) {
        return rows.rows(limit);
    }

    void deleteRows() {
        rows.clear();
    }

    // ------------------------------------------------------------------ schema validation

    /** Validates a {@code Table} object of a create-dataset or PUT table request (or the configuration). */
    static Schema parseSchema(JsonNode table) {
        if (table == null || !table.isObject()) {
            throw new InvalidException("A table must be a JSON object with 'name' and 'columns'.");
        }
        String name = table.path("name").isTextual() ? table.get("name").asText() : null;
        if (name == null || name.isEmpty()) {
            throw new InvalidException("A table needs a 'name'.");
        }
        if (!TABLE_NAME.matcher(name).matches()) {
            throw new InvalidException("Table name '" + ColumnType.abbreviate(name)
                    + "' is invalid: at most 100 characters, without any of !\"$%&'()*+,./:;<=>?[\\]`{|}.");
        }
        JsonNode cols = table.get("columns");
        if (cols == null || !cols.isArray() || cols.isEmpty()) {
            throw new InvalidException("Table '" + name + "' needs at least one column in 'columns'.");
        }
        if (cols.size() > MAX_COLUMNS) {
            throw new InvalidException(
                    "Table '" + name + "' has " + cols.size() + " columns; at most " + MAX_COLUMNS + " are allowed.");
        }
        List<Column> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode col : cols) {
            String colName = col.path("name").isTextual() ? col.get("name").asText() : null;
            if (colName == null
                    || colName.isEmpty()
                    || !COLUMN_NAME.matcher(colName).matches()) {
                throw new InvalidException("Table '" + name + "' has a column without a valid 'name'.");
            }
            if (!seen.add(colName.toLowerCase(Locale.ROOT))) {
                throw new InvalidException("Table '" + name + "' has the column '" + colName + "' twice.");
            }
            String dataType =
                    col.path("dataType").isTextual() ? col.get("dataType").asText() : null;
            ColumnType type = ColumnType.parse(dataType);
            if (type == null) {
                throw new InvalidException(
                        "Column '" + colName + "' of table '" + name + "' has an unsupported dataType '" + dataType
                                + "'; supported: Int64, Double, Decimal, Boolean (or bool), DateTime, String.");
            }
            ObjectNode definition = ((ObjectNode) col).deepCopy();
            // guess: the service reports the canonical type name
            definition.put("dataType", type.canonicalName());
            columns.add(new Column(colName, type, definition));
        }
        return new Schema(name, List.copyOf(columns), table.get("measures"));
    }

    // ------------------------------------------------------------------ rows

    /**
     * Parses a POST rows body {@code {"rows":[{col:value,...},...]}} into batches in this table's layout, validating
     * every value (all or nothing). guess: the messages; the service documents only the limits.
     */
    List<RowStore.Chunk> parseRows(byte[] body, int maxRows, int maxStringLength) throws IOException {
        Schema s = schema;
        RowStore target = rows;
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < s.columns().size(); i++) {
            index.put(s.columns().get(i).name().toLowerCase(Locale.ROOT), i);
        }
        List<RowStore.Chunk> batches = new ArrayList<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidException("The body must be a JSON object {\"rows\": [...]}.");
            }
            boolean sawRows = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!"rows".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                sawRows = true;
                if (t != JsonToken.START_ARRAY) {
                    throw new InvalidException("'rows' must be an array of objects.");
                }
                int count = 0;
                RowStore.Chunk batch = null;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t != JsonToken.START_OBJECT) {
                        throw new InvalidException("Row " + (count + 1) + " is not a JSON object.");
                    }
                    if (++count > maxRows) {
                        throw new InvalidException("The request has more than " + maxRows + " rows; at most " + maxRows
                                + " rows can be added per request.");
                    }
                    if (batch == null || batch.size == RowStore.CHUNK_ROWS) {
                        batch = target.newBatch(RowStore.CHUNK_ROWS);
                        batches.add(batch);
                    }
                    readRow(p, s, index, batch, batch.size, count, maxStringLength);
                    batch.size++;
                }
            }
            if (!sawRows) {
                throw new InvalidException("The body has no 'rows' array.");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidException("The body is not valid JSON: " + e.getOriginalMessage());
        }
        return batches;
    }

    private static void readRow(
            JsonParser p,
            Schema s,
            Map<String, Integer> index,
            RowStore.Chunk batch,
            int row,
            int rowNumber,
            int maxStringLength)
            throws IOException {
        boolean[] set = new boolean[s.columns().size()];
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            Integer c = index.get(field.toLowerCase(Locale.ROOT));
            if (c == null) {
                throw new InvalidException("Row " + rowNumber + ": the table '" + s.name() + "' has no column '"
                        + ColumnType.abbreviate(field) + "'.");
            }
            t = p.nextToken();
            Column column = s.columns().get(c);
            try {
                store(p, t, column, batch, row, c, maxStringLength);
            } catch (IllegalArgumentException e) {
                throw new InvalidException("Row " + rowNumber + ", column '" + column.name() + "' ("
                        + column.type().canonicalName() + "): " + e.getMessage());
            }
            set[c] = true;
        }
        for (int c = 0; c < set.length; c++) {
            if (!set[c]) {
                batch.setNull(row, c);
            }
        }
    }

    /**
     * Stores one JSON value. guess: values convertible the way a .NET JSON deserializer converts them are accepted
     * (a numeric string into Int64, a number into String); anything else is rejected.
     */
    private static void store(
            JsonParser p, JsonToken t, Column column, RowStore.Chunk batch, int row, int c, int maxStringLength)
            throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            batch.setNull(row, c);
            return;
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("objects and arrays are not column values");
        }
        switch (column.type()) {
            case INT64 -> {
                long v;
                if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    v = p.getLongValue();
                } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    v = ColumnType.toInt64(p.getDecimalValue());
                } else if (t == JsonToken.VALUE_STRING) {
                    v = ColumnType.toInt64(decimal(p.getText()));
                } else {
                    throw new IllegalArgumentException("expected an integer, got " + describe(p, t));
                }
                String problem = ColumnType.checkInt64(v);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
                batch.setLong(row, c, v);
            }
            case DOUBLE -> {
                double v;
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    v = p.getDoubleValue();
                } else if (t == JsonToken.VALUE_STRING) {
                    v = decimal(p.getText()).doubleValue();
                } else {
                    throw new IllegalArgumentException("expected a number, got " + describe(p, t));
                }
                String problem = ColumnType.checkDouble(v);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
                batch.setDouble(row, c, v);
            }
            case DECIMAL -> {
                BigDecimal v;
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    v = p.getDecimalValue();
                } else if (t == JsonToken.VALUE_STRING) {
                    v = decimal(p.getText());
                } else {
                    throw new IllegalArgumentException("expected a number, got " + describe(p, t));
                }
                batch.setObject(row, c, ColumnType.toDecimal(v));
            }
            case BOOLEAN -> {
                boolean v;
                if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    v = t == JsonToken.VALUE_TRUE;
                } else if (t == JsonToken.VALUE_STRING
                        && ("true".equalsIgnoreCase(p.getText().trim())
                                || "false".equalsIgnoreCase(p.getText().trim()))) {
                    v = "true".equalsIgnoreCase(p.getText().trim());
                } else {
                    throw new IllegalArgumentException("expected true or false, got " + describe(p, t));
                }
                batch.setLong(row, c, v ? 1 : 0);
            }
            case DATETIME -> {
                if (t != JsonToken.VALUE_STRING) {
                    throw new IllegalArgumentException("expected a date/time string, got " + describe(p, t));
                }
                batch.setLong(row, c, ColumnType.parseDateTime(p.getText()));
            }
            case STRING -> {
                String v = p.getText();
                if (v.length() > maxStringLength) {
                    throw new IllegalArgumentException("a String value has " + v.length() + " characters; at most "
                            + maxStringLength + " are allowed");
                }
                batch.setObject(row, c, v);
            }
            default -> throw new IllegalStateException(column.type().toString());
        }
    }

    private static BigDecimal decimal(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + ColumnType.abbreviate(text) + "' is not a number");
        }
    }

    private static String describe(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> "the string '" + ColumnType.abbreviate(p.getText()) + "'";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "a number";
        };
    }

    /** Appends parsed batches, evicting the oldest rows beyond {@code fifoCap} (0 = no eviction). */
    synchronized void append(List<RowStore.Chunk> batches, long fifoCap) {
        RowStore store = rows;
        if (!batches.isEmpty() && !java.util.Arrays.equals(batches.get(0).types, store.types())) {
            throw new InvalidException("The schema of table '" + name() + "' changed while the rows were sent.");
        }
        for (RowStore.Chunk b : batches) {
            store.append(b);
        }
        if (fifoCap > 0 && store.size() > fifoCap) {
            store.evictOldest(store.size() - fifoCap);
        }
    }

    /** Rows from the configuration (objects keyed by column name), validated like pushed rows. */
    void seed(JsonNode rowsJson, long fifoCap) throws IOException {
        ObjectNode body = Json.object();
        body.set("rows", rowsJson);
        append(parseRows(Json.MAPPER.writeValueAsBytes(body), Integer.MAX_VALUE, 4000), fifoCap);
    }

    @Override
    public String toString() {
        return "PushTable[" + name() + ", " + rowCount() + " rows]";
    }
}
