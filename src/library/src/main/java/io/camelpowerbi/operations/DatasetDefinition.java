package io.camelpowerbi.operations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The schema of a push dataset, as a route author writes it in a YAML or JSON file (or inline in a route), checked
 * against Power BI's rules before anything is sent: Power BI answers a bad schema with a bare 400, and a file that is
 * wrong in three places should be fixed in one go, so every problem is reported at once, naming file, table and column.
 *
 * <pre>
 * name: Sales
 * retentionPolicy: basicFIFO        # or None (default)
 * tables:
 *   - name: Orders
 *     columns:
 *       - { name: OrderId, dataType: Int64 }
 *       - { name: Amount,  dataType: Decimal, formatString: "0.00" }
 *     measures:
 *       - { name: Total, expression: "SUM(Orders[Amount])" }
 * </pre>
 *
 * @param name            the dataset's display name; also how {@code ensureDataset} finds it again
 * @param defaultMode     Push (default), Streaming or PushStreaming
 * @param retentionPolicy None (default) or basicFIFO (keeps the newest 200,000 rows per table)
 * @param source          where the definition came from, for messages
 */
public record DatasetDefinition(
        String name,
        String defaultMode,
        String retentionPolicy,
        List<Table> tables,
        List<Relationship> relationships,
        String source) {

    /** Power BI's push-dataset limits (push-datasets-limitations). */
    public static final int MAX_TABLES = 75;

    public static final int MAX_COLUMNS = 75;
    public static final int MAX_RELATIONSHIPS = 75;
    public static final int MAX_NAME_LENGTH = 100;

    static final String INLINE = "inline definition";

    /** The character set of {@code Table.name} and {@code Relationship.name} in Power BI's swagger. */
    private static final Pattern TABLE_NAME_CHARS =
            Pattern.compile("[\\t\\n\\r #\\-0-9@-Z^_a-z~-\\x{D7FF}\\x{E000}-\\x{FFFD}\\x{10000}-\\x{10FFFF}]*");

    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]");

    private static final Set<String> DATASET_KEYS =
            Set.of("name", "defaultMode", "retentionPolicy", "defaultRetentionPolicy", "tables", "relationships");
    private static final Set<String> TABLE_KEYS = Set.of("name", "columns", "measures", "isHidden", "description");
    private static final Set<String> COLUMN_KEYS =
            Set.of("name", "dataType", "formatString", "sortByColumn", "dataCategory", "isHidden", "summarizeBy");
    private static final Set<String> MEASURE_KEYS =
            Set.of("name", "expression", "formatString", "description", "isHidden");
    private static final Set<String> RELATIONSHIP_KEYS =
            Set.of("name", "fromTable", "fromColumn", "toTable", "toColumn", "crossFilteringBehavior");
    private static final List<String> MODES = List.of("Push", "Streaming", "PushStreaming");
    private static final List<String> RETENTION = List.of("None", "basicFIFO");
    private static final List<String> CROSS_FILTERING = List.of("OneDirection", "BothDirections", "Automatic");

    /**
     * Fills the defaults and canonical spellings and validates; throws {@link DatasetDefinitionException} listing every
     * problem.
     */
    public DatasetDefinition {
        source = source == null || source.isBlank() ? INLINE : source;
        defaultMode = defaultMode == null ? "Push" : canonical(defaultMode, MODES);
        retentionPolicy = retentionPolicy == null ? "None" : canonical(retentionPolicy, RETENTION);
        tables = tables == null ? List.of() : List.copyOf(tables);
        relationships = relationships == null ? List.of() : List.copyOf(relationships);
        List<String> problems = check(name, defaultMode, retentionPolicy, tables, relationships, source);
        if (!problems.isEmpty()) {
            throw new DatasetDefinitionException(source, problems);
        }
    }

    /** A table of a push dataset. {@code properties} holds the optional {@code isHidden} and {@code description}. */
    public record Table(String name, List<Column> columns, List<Measure> measures, Map<String, Object> properties) {

        public Table {
            columns = columns == null ? List.of() : List.copyOf(columns);
            measures = measures == null ? List.of() : List.copyOf(measures);
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }

        public Table(String name, List<Column> columns) {
            this(name, columns, List.of(), Map.of());
        }

        /** The {@code Table} body of Power BI's create-dataset and put-table calls. */
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", name);
            List<Object> cols = new ArrayList<>();
            columns.forEach(c -> cols.add(c.toJson()));
            json.put("columns", cols);
            if (!measures.isEmpty()) {
                List<Object> ms = new ArrayList<>();
                measures.forEach(m -> ms.add(m.toJson()));
                json.put("measures", ms);
            }
            json.putAll(properties);
            return json;
        }

        /** The column of that name, ignoring case (as the tabular engine does), or null. */
        public Column column(String columnName) {
            for (Column c : columns) {
                if (c.name() != null && c.name().equalsIgnoreCase(columnName)) {
                    return c;
                }
            }
            return null;
        }
    }

    /**
     * A column. The data type is stored in its canonical spelling when Power BI knows it.
     *
     * @param properties optional {@code sortByColumn}, {@code dataCategory}, {@code isHidden}, {@code summarizeBy}
     */
    public record Column(String name, String dataType, String formatString, Map<String, Object> properties) {

        public Column {
            String canonical = DataTypes.canonical(dataType);
            dataType = canonical != null ? canonical : dataType;
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }

        public Column(String name, String dataType) {
            this(name, dataType, null, Map.of());
        }

        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", name);
            json.put("dataType", dataType);
            if (formatString != null) {
                json.put("formatString", formatString);
            }
            json.putAll(properties);
            return json;
        }
    }

    /** A DAX measure on a table. {@code properties}: optional {@code formatString}, {@code description}, {@code isHidden}. */
    public record Measure(String name, String expression, Map<String, Object> properties) {

        public Measure {
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", name);
            json.put("expression", expression);
            json.putAll(properties);
            return json;
        }
    }

    /** A relationship; Power BI only takes these when the dataset is created (there is no call to add one later). */
    public record Relationship(
            String name,
            String fromTable,
            String fromColumn,
            String toTable,
            String toColumn,
            String crossFilteringBehavior) {

        public Relationship {
            crossFilteringBehavior =
                    crossFilteringBehavior == null ? null : canonical(crossFilteringBehavior, CROSS_FILTERING);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", name);
            json.put("fromTable", fromTable);
            json.put("fromColumn", fromColumn);
            json.put("toTable", toTable);
            json.put("toColumn", toColumn);
            if (crossFilteringBehavior != null) {
                json.put("crossFilteringBehavior", crossFilteringBehavior);
            }
            return json;
        }
    }

    /** The table of that name, ignoring case, or null. */
    public Table table(String tableName) {
        for (Table t : tables) {
            if (t.name().equalsIgnoreCase(tableName)) {
                return t;
            }
        }
        return null;
    }

    public int columnCount() {
        return tables.stream().mapToInt(t -> t.columns().size()).sum();
    }

    /** The body of {@code POST /groups/{g}/datasets} ({@code CreateDatasetRequest}). */
    public Map<String, Object> toCreateRequest() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("defaultMode", defaultMode);
        List<Object> ts = new ArrayList<>();
        tables.forEach(t -> ts.add(t.toJson()));
        json.put("tables", ts);
        if (!relationships.isEmpty()) {
            List<Object> rs = new ArrayList<>();
            relationships.forEach(r -> rs.add(r.toJson()));
            json.put("relationships", rs);
        }
        return json;
    }

    // ---------------------------------------------------------------- loading

    /** Reads a definition from a {@code .yaml}, {@code .yml} or {@code .json} file (other names are read as YAML). */
    public static DatasetDefinition load(Path file) {
        String source = String.valueOf(file.getFileName());
        String lower = source.toLowerCase(Locale.ROOT);
        ObjectMapper mapper = lower.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        Object parsed;
        try {
            parsed = mapper.readValue(Files.readAllBytes(file), Object.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new DatasetDefinitionException(
                    source,
                    List.of("not valid " + (lower.endsWith(".json") ? "JSON" : "YAML") + where + ": "
                            + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new DatasetDefinitionException(source, List.of("cannot read " + file.toAbsolutePath() + ": " + e));
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new DatasetDefinitionException(
                    source,
                    List.of("the file must hold a mapping with name and tables, not "
                            + (parsed == null ? "nothing" : parsed.getClass().getSimpleName())));
        }
        return fromMap(map, source);
    }

    /** Reads an inline definition (for instance the body of a Camel message, or a YAML route parameter). */
    public static DatasetDefinition fromMap(Map<?, ?> map) {
        return fromMap(map, INLINE);
    }

    /** Reads a definition from a map shaped like the YAML file; {@code source} names it in messages. */
    public static DatasetDefinition fromMap(Map<?, ?> map, String source) {
        String src = source == null || source.isBlank() ? INLINE : source;
        List<String> problems = new ArrayList<>();
        unknownKeys(map, DATASET_KEYS, "the dataset", problems);
        String name = string(map, "name", "the dataset", problems);
        String mode = string(map, "defaultMode", "the dataset", problems);
        String retention = string(map, "retentionPolicy", "the dataset", problems);
        if (retention == null) {
            retention = string(map, "defaultRetentionPolicy", "the dataset", problems);
        }
        List<Table> tables = new ArrayList<>();
        List<?> rawTables = list(map, "tables", "the dataset", problems);
        for (int i = 0; i < rawTables.size(); i++) {
            Object t = rawTables.get(i);
            if (!(t instanceof Map<?, ?> tm)) {
                problems.add("tables[" + i + "] must be a mapping with name and columns");
                continue;
            }
            String tableName = string(tm, "name", "tables[" + i + "]", problems);
            String where = tableName == null ? "tables[" + i + "]" : "table '" + tableName + "'";
            unknownKeys(tm, TABLE_KEYS, where, problems);
            List<Column> columns = new ArrayList<>();
            List<?> rawColumns = list(tm, "columns", where, problems);
            for (int j = 0; j < rawColumns.size(); j++) {
                Object c = rawColumns.get(j);
                if (!(c instanceof Map<?, ?> cm)) {
                    problems.add(where + ", columns[" + j + "] must be a mapping with name and dataType");
                    continue;
                }
                String columnName = string(cm, "name", where + ", columns[" + j + "]", problems);
                String cwhere =
                        where + ", " + (columnName == null ? "columns[" + j + "]" : "column '" + columnName + "'");
                unknownKeys(cm, COLUMN_KEYS, cwhere, problems);
                columns.add(new Column(
                        columnName,
                        string(cm, "dataType", cwhere, problems),
                        string(cm, "formatString", cwhere, problems),
                        extras(cm, Set.of("name", "dataType", "formatString"))));
            }
            List<Measure> measures = new ArrayList<>();
            List<?> rawMeasures = list(tm, "measures", where, problems);
            for (int j = 0; j < rawMeasures.size(); j++) {
                Object m = rawMeasures.get(j);
                if (!(m instanceof Map<?, ?> mm)) {
                    problems.add(where + ", measures[" + j + "] must be a mapping with name and expression");
                    continue;
                }
                String measureName = string(mm, "name", where + ", measures[" + j + "]", problems);
                String mwhere =
                        where + ", " + (measureName == null ? "measures[" + j + "]" : "measure '" + measureName + "'");
                unknownKeys(mm, MEASURE_KEYS, mwhere, problems);
                measures.add(new Measure(
                        measureName,
                        string(mm, "expression", mwhere, problems),
                        extras(mm, Set.of("name", "expression"))));
            }
            tables.add(new Table(tableName, columns, measures, extras(tm, Set.of("name", "columns", "measures"))));
        }
        List<Relationship> relationships = new ArrayList<>();
        List<?> rawRelationships = list(map, "relationships", "the dataset", problems);
        for (int i = 0; i < rawRelationships.size(); i++) {
            Object r = rawRelationships.get(i);
            String where = "relationships[" + i + "]";
            if (!(r instanceof Map<?, ?> rm)) {
                problems.add(where + " must be a mapping with name, fromTable, fromColumn, toTable and toColumn");
                continue;
            }
            unknownKeys(rm, RELATIONSHIP_KEYS, where, problems);
            relationships.add(new Relationship(
                    string(rm, "name", where, problems),
                    string(rm, "fromTable", where, problems),
                    string(rm, "fromColumn", where, problems),
                    string(rm, "toTable", where, problems),
                    string(rm, "toColumn", where, problems),
                    string(rm, "crossFilteringBehavior", where, problems)));
        }
        String canonicalMode = mode == null ? "Push" : canonical(mode, MODES);
        String canonicalRetention = retention == null ? "None" : canonical(retention, RETENTION);
        // Report the structural problems together with the rule violations, so one run shows everything to fix.
        problems.addAll(check(name, canonicalMode, canonicalRetention, tables, relationships, src));
        if (!problems.isEmpty()) {
            throw new DatasetDefinitionException(src, problems);
        }
        return new DatasetDefinition(name, canonicalMode, canonicalRetention, tables, relationships, src);
    }

    // ---------------------------------------------------------------- validation

    private static List<String> check(
            String name,
            String mode,
            String retention,
            List<Table> tables,
            List<Relationship> relationships,
            String source) {
        List<String> problems = new ArrayList<>();
        if (name == null || name.isBlank()) {
            problems.add("the dataset needs a name");
        }
        if (!MODES.contains(mode)) {
            problems.add("defaultMode '" + mode + "' is not one of " + String.join(", ", MODES));
        }
        if (!RETENTION.contains(retention)) {
            problems.add("retentionPolicy '" + retention + "' is not one of " + String.join(", ", RETENTION));
        }
        if (tables.isEmpty()) {
            problems.add("the dataset needs at least one table");
        }
        if (tables.size() > MAX_TABLES) {
            problems.add("the dataset has " + tables.size() + " tables; Power BI allows at most " + MAX_TABLES);
        }
        Set<String> tableNames = new HashSet<>();
        for (Table t : tables) {
            String where = "table '" + t.name() + "'";
            if (t.name() == null || t.name().isEmpty()) {
                problems.add("a table needs a name");
                continue;
            }
            nameRules(t.name(), where, "table", problems);
            if (!tableNames.add(t.name().toLowerCase(Locale.ROOT))) {
                problems.add(where + " appears more than once (names are compared ignoring case)");
            }
            if (t.columns().isEmpty()) {
                problems.add(where + " needs at least one column");
            }
            if (t.columns().size() > MAX_COLUMNS) {
                problems.add(where + " has " + t.columns().size() + " columns; Power BI allows at most " + MAX_COLUMNS);
            }
            Set<String> columnNames = new HashSet<>();
            for (Column c : t.columns()) {
                if (c.name() == null || c.name().isEmpty()) {
                    problems.add(where + ": a column needs a name");
                    continue;
                }
                String cwhere = where + ", column '" + c.name() + "'";
                if (CONTROL.matcher(c.name()).find()) {
                    problems.add(cwhere + ": the name holds a control character");
                }
                if (!columnNames.add(c.name().toLowerCase(Locale.ROOT))) {
                    problems.add(cwhere + " appears more than once in the table (names are compared ignoring case)");
                }
                if (c.dataType() == null) {
                    problems.add(cwhere + ": dataType is missing (one of " + DataTypes.KNOWN + ")");
                } else if (DataTypes.canonical(c.dataType()) == null) {
                    problems.add(cwhere + ": unknown dataType '" + c.dataType() + "' (one of " + DataTypes.KNOWN + ")");
                }
            }
            Set<String> measureNames = new HashSet<>();
            for (Measure m : t.measures()) {
                if (m.name() == null || m.name().isEmpty()) {
                    problems.add(where + ": a measure needs a name");
                    continue;
                }
                String mwhere = where + ", measure '" + m.name() + "'";
                if (m.expression() == null || m.expression().isBlank()) {
                    problems.add(mwhere + ": expression (DAX) is missing");
                }
                if (!measureNames.add(m.name().toLowerCase(Locale.ROOT))
                        || columnNames.contains(m.name().toLowerCase(Locale.ROOT))) {
                    problems.add(mwhere + ": the name is already used by a column or measure of the table");
                }
            }
        }
        if (relationships.size() > MAX_RELATIONSHIPS) {
            problems.add("the dataset has " + relationships.size() + " relationships; Power BI allows at most "
                    + MAX_RELATIONSHIPS);
        }
        for (int i = 0; i < relationships.size(); i++) {
            Relationship r = relationships.get(i);
            String where = r.name() == null ? "relationships[" + i + "]" : "relationship '" + r.name() + "'";
            if (r.name() == null || r.name().isEmpty()) {
                problems.add(where + " needs a name");
            } else {
                nameRules(r.name(), where, "relationship", problems);
            }
            if (r.crossFilteringBehavior() != null && !CROSS_FILTERING.contains(r.crossFilteringBehavior())) {
                problems.add(where + ": crossFilteringBehavior '" + r.crossFilteringBehavior() + "' is not one of "
                        + String.join(", ", CROSS_FILTERING));
            }
            endpoint(r.fromTable(), r.fromColumn(), "from", where, tables, problems);
            endpoint(r.toTable(), r.toColumn(), "to", where, tables, problems);
        }
        return problems;
    }

    private static void endpoint(
            String table, String column, String side, String where, List<Table> tables, List<String> problems) {
        if (table == null || column == null) {
            problems.add(where + ": " + side + "Table and " + side + "Column are required");
            return;
        }
        Table t = tables.stream()
                .filter(x -> x.name() != null && x.name().equalsIgnoreCase(table))
                .findFirst()
                .orElse(null);
        if (t == null) {
            problems.add(where + ": " + side + "Table '" + table + "' is not a table of the dataset");
        } else if (t.column(column) == null) {
            problems.add(where + ": " + side + "Column '" + column + "' is not a column of table '" + table + "'");
        }
    }

    private static void nameRules(String name, String where, String kind, List<String> problems) {
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            problems.add(where + ": a " + kind + " name may have at most " + MAX_NAME_LENGTH
                    + " characters, this one has " + name.codePointCount(0, name.length()));
        }
        if (!TABLE_NAME_CHARS.matcher(name).matches()) {
            StringBuilder bad = new StringBuilder();
            name.codePoints()
                    .filter(cp -> !TABLE_NAME_CHARS
                            .matcher(new String(Character.toChars(cp)))
                            .matches())
                    .distinct()
                    .forEach(cp -> bad.append(
                                    cp < 0x20
                                            ? String.format("U+%04X", cp)
                                            : "'" + new String(Character.toChars(cp)) + "'")
                            .append(' '));
            problems.add(where + ": a " + kind + " name may hold letters, digits, spaces and # - @ ^ _ ~ only, not "
                    + bad.toString().trim());
        }
    }

    // ---------------------------------------------------------------- map reading

    private static String canonical(String value, List<String> allowed) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value.trim())) {
                return a;
            }
        }
        return value;
    }

    private static void unknownKeys(Map<?, ?> map, Set<String> known, String where, List<String> problems) {
        for (Object k : map.keySet()) {
            if (!known.contains(String.valueOf(k))) {
                problems.add(
                        where + ": unknown key '" + k + "' (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    private static String string(Map<?, ?> map, String key, String where, List<String> problems) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map || v instanceof List) {
            problems.add(where + ": " + key + " must be a single value");
            return null;
        }
        return String.valueOf(v);
    }

    private static List<?> list(Map<?, ?> map, String key, String where, List<String> problems) {
        Object v = map.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            problems.add(where + ": " + key + " must be a list");
            return List.of();
        }
        return l;
    }

    private static Map<String, Object> extras(Map<?, ?> map, Set<String> handled) {
        Map<String, Object> extras = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!handled.contains(String.valueOf(k)) && v != null) {
                extras.put(String.valueOf(k), v);
            }
        });
        return extras;
    }
}
