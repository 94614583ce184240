package io.camelpowerbi.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.client.PathSegment;
import io.camelpowerbi.client.PowerBiClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A push dataset table: its name and its columns, in order, with their types. Rows are checked against it before
 * anything is sent, because Power BI refuses a whole batch for one bad value without saying which.
 *
 * @param name    the table name, as Power BI spells it
 * @param columns column name to type, in the table's order; unmodifiable; empty when the columns are not known
 *                (see {@link #columnsUnknown(String)})
 */
public record TableSchema(String name, Map<String, ColumnType> columns) {

    private static final Logger LOG = LoggerFactory.getLogger(TableSchema.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public TableSchema {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a table schema needs the table name");
        }
        if (columns == null) {
            throw new IllegalArgumentException(
                    "table '" + name + "' needs its columns (an empty map when they are unknown)");
        }
        Map<String, String> lower = new LinkedHashMap<>();
        for (String column : columns.keySet()) {
            // Power BI's tabular engine compares names case-insensitively, so "Amount" and "amount" cannot both exist
            String previous = lower.put(column.toLowerCase(Locale.ROOT), column);
            if (previous != null) {
                throw new IllegalArgumentException("table '" + name + "' names column '" + column + "' twice (as '"
                        + previous + "' and '" + column + "'); Power BI column names are case-insensitive");
            }
        }
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /**
     * A table whose columns Power BI did not list (it may list tables by name only): rows pushed into it are sent as
     * given, neither checked nor coerced, and Power BI judges them.
     */
    public static TableSchema columnsUnknown(String name) {
        return new TableSchema(name, Map.of());
    }

    /** False for {@link #columnsUnknown(String)}: rows cannot be checked or coerced. */
    public boolean columnsKnown() {
        return !columns.isEmpty();
    }

    /** The type of {@code column} (exact spelling), or null when the table has no such column. */
    public ColumnType type(String column) {
        return columns.get(column);
    }

    /**
     * Reads a Power BI {@code Table} object: {@code {"name":"Orders","columns":[{"name":"Id","dataType":"Int64"},...]}}.
     * Measures and other properties are ignored.
     */
    public static TableSchema fromJson(JsonNode table) {
        String name = table.path("name").asText(null);
        if (name == null || name.isBlank()) {
            throw new SchemaException("a table schema needs \"name\": expected {\"name\":\"Orders\",\"columns\":"
                    + "[{\"name\":\"Id\",\"dataType\":\"Int64\"}]}");
        }
        JsonNode cols = table.path("columns");
        if (!cols.isArray() || cols.isEmpty()) {
            throw new SchemaException(
                    "table '" + name + "' comes without columns, so rows cannot be checked against it: "
                            + "give the schema as {\"name\":\"" + name
                            + "\",\"columns\":[{\"name\":...,\"dataType\":\"Int64\"},...]}");
        }
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode col : cols) {
            i++;
            String colName = col.path("name").asText(null);
            if (colName == null || colName.isEmpty()) {
                throw new SchemaException("column " + i + " of table '" + name + "' has no \"name\"");
            }
            try {
                columns.put(colName, ColumnType.parse(col.path("dataType").asText(null)));
            } catch (IllegalArgumentException e) {
                throw new SchemaException("column '" + colName + "' of table '" + name + "': " + e.getMessage(), e);
            }
        }
        try {
            return new TableSchema(name, columns);
        } catch (IllegalArgumentException e) {
            throw new SchemaException(e.getMessage(), e);
        }
    }

    /** Reads a Power BI {@code Table} JSON text, e.g. a schema file from {@code config/}. */
    public static TableSchema parse(String json) {
        try {
            return fromJson(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new SchemaException("the table schema is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads the table's schema from Power BI ({@code GET /groups/{g}/datasets/{d}/tables}). Power BI may list tables by
     * name only (the docs show no response example; powerbi-powershell#397): then the schema is
     * {@link #columnsUnknown(String)} and a WARN says that rows go out as given, not coerced.
     *
     * @throws SchemaException when the table is missing (listing those that exist)
     */
    public static TableSchema fetch(PowerBiClient client, String groupId, String datasetId, String tableName) {
        String path =
                "/groups/" + PathSegment.encode(groupId) + "/datasets/" + PathSegment.encode(datasetId) + "/tables";
        JsonNode tables = client.getJson(path, Map.of(), "dataset " + datasetId).path("value");
        List<String> names = new ArrayList<>();
        for (JsonNode table : tables) {
            String name = table.path("name").asText("");
            names.add(name);
            if (name.equals(tableName)) {
                JsonNode cols = table.path("columns");
                if (!cols.isArray() || cols.isEmpty()) {
                    LOG.warn(
                            "Power BI listed table '{}' of dataset {} by name only, without its columns: rows are sent "
                                    + "as given, NOT checked or coerced to the column types (CSV values go out as text, and a bad "
                                    + "value fails its whole batch at Power BI). Set datasetDefinition (or pass the table schema) "
                                    + "to have rows checked and coerced before sending.",
                            tableName,
                            datasetId);
                    return columnsUnknown(name);
                }
                return fromJson(table);
            }
        }
        for (JsonNode table : tables) { // a case slip in the route ("orders" for "Orders") should still find it
            if (table.path("name").asText("").equalsIgnoreCase(tableName)) {
                throw new SchemaException("dataset " + datasetId + " has no table '" + tableName + "', but it has '"
                        + table.path("name").asText()
                        + "': table names are case-sensitive in the URL, use that spelling");
            }
        }
        throw new SchemaException("dataset " + datasetId + " in workspace " + groupId + " has no table '" + tableName
                + "'; "
                + (names.isEmpty() ? "it has no tables at all (is it a push dataset?)" : "its tables are " + names)
                + ": fix the table option");
    }
}
