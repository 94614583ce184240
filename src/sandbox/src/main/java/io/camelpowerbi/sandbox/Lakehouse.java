package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Fabric Lakehouse: its OneLake files ({@code Files/}, {@code Tables/}) and its Delta tables, each the latest
 * {@link LakehouseTable} version. A lakehouse created with schemas has a {@code defaultSchema} (Fabric's
 * {@code LakehouseProperties}: "returned only for schema enabled lakehouse"), and Load Table refuses it.
 */
public final class Lakehouse {

    /** The two folders of every lakehouse: they cannot be created, deleted or renamed through OneLake's APIs. */
    static final List<String> PROTECTED = List.of("Files", "Tables");

    private final String id;
    private final String workspaceId;
    private final String name;
    private final String defaultSchema;
    private final String sqlEndpointId;
    private final OneLakeFiles files = new OneLakeFiles();
    private final Map<String, LakehouseTable> tables = new LinkedHashMap<>();

    Lakehouse(String id, String workspaceId, String name, String defaultSchema, String sqlEndpointId, Instant now) {
        this.id = id.toLowerCase(Locale.ROOT);
        this.workspaceId = workspaceId.toLowerCase(Locale.ROOT);
        this.name = name;
        this.defaultSchema = defaultSchema;
        this.sqlEndpointId = sqlEndpointId;
        PROTECTED.forEach(folder -> files.create(folder, true, false, now));
    }

    public String id() {
        return id;
    }

    public String workspaceId() {
        return workspaceId;
    }

    public String name() {
        return name;
    }

    /** Null unless the lakehouse was created with schemas. */
    public String defaultSchema() {
        return defaultSchema;
    }

    OneLakeFiles files() {
        return files;
    }

    /** The table's latest version, by name without regard to case. */
    public synchronized Optional<LakehouseTable> table(String tableName) {
        return Optional.ofNullable(tables.get(LakehouseTable.key(tableName)));
    }

    public synchronized List<LakehouseTable> tables() {
        return List.copyOf(tables.values());
    }

    synchronized void put(LakehouseTable table) {
        tables.put(LakehouseTable.key(table.name()), table);
    }

    /** What a Direct Lake model over this lakehouse sees when framed now: every table's current version. */
    synchronized Map<String, QueryTable> frame() {
        Map<String, QueryTable> framed = new LinkedHashMap<>();
        tables.forEach(framed::put);
        return framed;
    }

    boolean isSchemaEnabled() {
        return defaultSchema != null;
    }

    /** Fabric's {@code Lakehouse} item (lakehouse/definitions.json), its OneLake paths under {@code oneLakeOrigin}. */
    ObjectNode json(String oneLakeOrigin) {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("type", "Lakehouse");
        json.put("displayName", name);
        json.put("description", "");
        json.put("workspaceId", workspaceId);
        ObjectNode properties = json.putObject("properties");
        properties.put("oneLakeTablesPath", oneLakeOrigin + "/" + workspaceId + "/" + id + "/Tables");
        properties.put("oneLakeFilesPath", oneLakeOrigin + "/" + workspaceId + "/" + id + "/Files");
        ObjectNode sql = properties.putObject("sqlEndpointProperties");
        sql.put("id", sqlEndpointId);
        // guess: the form of the connection string (a host name of the workspace's SQL endpoint)
        sql.put("connectionString", "sandbox-" + workspaceId.substring(0, 8) + ".datawarehouse.fabric.microsoft.com");
        sql.put("provisioningStatus", "Success");
        if (defaultSchema != null) {
            properties.put("defaultSchema", defaultSchema);
        }
        return json;
    }

    /** Fabric's {@code Tables} list (lakehouse/definitions.json): the tables under {@code data}. */
    synchronized ObjectNode tablesJson(String oneLakeOrigin) {
        ObjectNode json = Json.object();
        ArrayNode data = json.putArray("data");
        for (LakehouseTable t : tables.values()) {
            data.addObject()
                    .put("type", "Managed")
                    .put("name", t.name())
                    .put(
                            "location",
                            "abfss://" + workspaceId + "@" + hostOf(oneLakeOrigin) + "/" + id + "/Tables/" + t.name())
                    .put("format", "Delta");
        }
        return json;
    }

    private static String hostOf(String origin) {
        int scheme = origin.indexOf("://");
        return scheme < 0 ? origin : origin.substring(scheme + 3);
    }

    @Override
    public String toString() {
        return "Lakehouse[" + id + " '" + name + "'" + (defaultSchema == null ? "" : " schemas") + "]";
    }
}
