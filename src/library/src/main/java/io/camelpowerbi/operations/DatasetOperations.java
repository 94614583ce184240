package io.camelpowerbi.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiOutcomeUnknownException;
import io.camelpowerbi.client.PowerBiRequest;
import io.camelpowerbi.client.PowerBiResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Datasets and workspaces: make a push dataset match its definition, empty a table, and list what is there. Always the
 * {@code /groups/{groupId}} form of each call, because service principals have no "My workspace".
 */
public final class DatasetOperations {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetOperations.class);
    /** The largest page {@code GET /groups} serves. */
    public static final int WORKSPACE_PAGE = 5000;

    /**
     * How long a dataset whose create answer was lost is looked for by name before it counts as not created. guess: a
     * created push dataset is listed at once (the create answers with its id); a few looks cover a short lag.
     */
    static final Duration RECONCILE_WINDOW = Duration.ofSeconds(10);

    private static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(2);
    /** A create whose answer was lost and whose dataset did not show up is sent once more, no more. */
    private static final int MAX_SUBMITS = 2;

    private final PowerBiClient client;
    private final NameResolver resolver;
    private final Poller poller;

    public DatasetOperations(PowerBiClient client) {
        this(client, null, Poller.SYSTEM);
    }

    /**
     * @param resolver told about datasets this class creates, so a following lookup by name needs no call; may be null
     * @param poller   waits between looks for a dataset whose create answer was lost
     */
    public DatasetOperations(PowerBiClient client, NameResolver resolver, Poller poller) {
        this.client = Objects.requireNonNull(client, "client");
        this.resolver = resolver;
        this.poller = Objects.requireNonNull(poller, "poller");
    }

    /**
     * What {@link #ensureDataset} did.
     *
     * @param created      the dataset did not exist and was created
     * @param tablesAdded  tables created: all of them when the dataset was created, else 0 (Power BI cannot add a table to
     *                     an existing push dataset)
     * @param columnsAdded columns created (all of them when the dataset was created)
     */
    public record EnsureResult(String datasetId, boolean created, int tablesAdded, int columnsAdded) {

        public boolean changed() {
            return created || tablesAdded > 0 || columnsAdded > 0;
        }
    }

    /**
     * Makes the push dataset named in {@code definition} exist with at least the definition's tables, columns and
     * measures. It is created when missing; otherwise each existing table that lacks some of the definition's columns or
     * measures is sent again with its existing columns kept and the new ones appended. Refused before anything is
     * changed:
     * <ul>
     * <li>a table the definition has and the dataset lacks: Power BI has no call that adds a table to an existing push
     * dataset ({@code PUT tables/{name}} updates existing tables only and answers 404 {@code ItemNotFound} for a new name,
     * as PowerBI-CSharp#127 and gbrueckl/PowerBI.API.Client#21 report);</li>
     * <li>a column whose type differs from the definition (Power BI cannot change a column's type in place, and silently
     * keeping the old type would make every later row push fail).</li>
     * </ul>
     * A table that Power BI lists by name only (it may: the GET tables docs show no example, and Get-PowerBITable users
     * see names only, powerbi-powershell#397) is left as it is, with a WARN: without its columns a PUT could drop columns
     * this process cannot see. Running it twice changes nothing the second time.
     *
     * <p>Relationships are only sent on creation: Power BI has no call that adds one to an existing push dataset. A
     * create whose answer is lost (the connection broke after sending, 500, 502, 504) is not sent again blindly: the
     * dataset is looked up by name, and created once more only when it is not there.
     *
     * @throws IllegalArgumentException when the name is ambiguous, a table is missing or a column's type changed (nothing
     *                                  is changed then)
     */
    public EnsureResult ensureDataset(String groupId, DatasetDefinition definition) {
        Objects.requireNonNull(definition, "definition");
        List<Map<String, Object>> all = listDatasets(groupId);
        List<Map<String, Object>> existing = named(all, definition.name(), true);
        if (existing.isEmpty()) {
            // As NameResolver does: "sales" in the file finds "Sales" rather than creating a second dataset.
            existing = named(all, definition.name(), false);
        }
        if (existing.size() > 1) {
            List<Object> ids = existing.stream().map(d -> d.get("id")).toList();
            throw new NameResolutionException(
                    "dataset",
                    definition.name(),
                    "dataset: " + existing.size()
                            + " datasets in workspace " + groupId + " are named '"
                            + definition.name() + "' (ids " + ids + "); ensureDataset cannot tell which one "
                            + definition.source()
                            + " describes. Fix: delete or rename the duplicates.");
        }
        if (existing.isEmpty()) {
            return create(groupId, definition);
        }
        String datasetId = String.valueOf(existing.get(0).get("id"));
        return update(groupId, datasetId, definition);
    }

    private static List<Map<String, Object>> named(List<Map<String, Object>> datasets, String name, boolean exact) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> d : datasets) {
            Object n = d.get("name");
            if (n != null && (exact ? name.equals(n) : name.equalsIgnoreCase(n.toString()))) {
                out.add(d);
            }
        }
        return out;
    }

    private EnsureResult create(String groupId, DatasetDefinition definition) {
        // not idempotent: a second POST makes a second dataset of the same name; a lost answer is reconciled by name
        PowerBiRequest post = PowerBiRequest.json(
                "POST",
                Api.group(groupId) + "/datasets",
                Map.of("defaultRetentionPolicy", definition.retentionPolicy()),
                Api.bytes(definition.toCreateRequest()),
                "workspace " + groupId);
        String id = null;
        for (int submit = 1; id == null; submit++) {
            try {
                PowerBiResponse response = client.send(post);
                id = Api.text(response.json(), "id");
                if (id == null) {
                    throw new PowerBiOperationException(
                            "Power BI answered HTTP " + response.status() + " to creating dataset '" + definition.name()
                                    + "' but sent no id [RequestId " + response.requestId() + "]");
                }
            } catch (PowerBiOutcomeUnknownException lost) {
                // ensureDataset found no dataset of this name just before, so one there now is the one this POST made
                LOG.warn(
                        "the answer to creating dataset '{}' in workspace {} was lost ({}); looking it up by name instead of "
                                + "creating it again",
                        definition.name(),
                        groupId,
                        lost.httpStatus() == 0 ? "no answer" : "HTTP " + lost.httpStatus());
                id = poller.lookFor(
                        () -> {
                            List<Map<String, Object>> all = listDatasets(groupId);
                            List<Map<String, Object>> found = named(all, definition.name(), true);
                            found = found.isEmpty() ? named(all, definition.name(), false) : found;
                            return found.size() == 1
                                    ? String.valueOf(found.get(0).get("id"))
                                    : null;
                        },
                        RECONCILE_INTERVAL,
                        poller.deadline(RECONCILE_WINDOW));
                if (id == null && submit >= MAX_SUBMITS) {
                    throw lost;
                }
                LOG.info(
                        id != null
                                ? "dataset '{}' was created by the request whose answer was lost"
                                : "dataset '{}' did not show " + "up: it was not created; creating it again",
                        definition.name());
            }
        }
        if (resolver != null) {
            resolver.rememberDataset(groupId, definition.name(), id);
        }
        LOG.info(
                "created push dataset '{}' ({}) in workspace {} with {} tables",
                definition.name(),
                id,
                groupId,
                definition.tables().size());
        return new EnsureResult(id, true, definition.tables().size(), definition.columnCount());
    }

    private EnsureResult update(String groupId, String datasetId, DatasetDefinition definition) {
        Map<String, JsonNode> remote = new LinkedHashMap<>();
        for (JsonNode t : client.getJson(
                        Api.dataset(groupId, datasetId) + "/tables", Map.of(), "tables of dataset " + datasetId)
                .path("value")) {
            remote.put(t.path("name").asText(), t);
        }
        // Plan every change first, so a missing table or a type conflict in the last table leaves the first one
        // untouched.
        List<DatasetDefinition.Table> puts = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int columnsAdded = 0;
        for (DatasetDefinition.Table wanted : definition.tables()) {
            JsonNode have = find(remote, wanted.name());
            if (have == null) {
                missing.add(wanted.name());
                continue;
            }
            if (!have.has("columns")) {
                // Power BI may list a table by name only; with no columns to merge, sending the definition's columns
                // could drop columns we cannot see, so the table is left alone.
                LOG.warn(
                        "dataset {}: Power BI listed table '{}' by name only, so columns of {} that it may lack cannot be "
                                + "added (a PUT replaces the whole schema and would drop columns not seen); its schema is left as it is",
                        datasetId,
                        wanted.name(),
                        definition.source());
                continue;
            }
            Merge merge = merge(have, wanted, definition, conflicts);
            if (merge.changed()) {
                puts.add(merge.table());
                columnsAdded += merge.columnsAdded();
            }
        }
        if (!conflicts.isEmpty() || !missing.isEmpty()) {
            List<String> problems = new ArrayList<>();
            missing.forEach(
                    t -> problems.add("table '" + t + "' is in " + definition.source() + " but not in the dataset"));
            problems.addAll(conflicts);
            List<String> fixes = new ArrayList<>();
            if (!missing.isEmpty()) {
                fixes.add(
                        "Power BI has no call that adds a table to an existing push dataset; push the new table into a new "
                                + "dataset (a new name in " + definition.source()
                                + "), remove it from the definition, or delete dataset '"
                                + definition.name() + "' so it is created again with every table (its rows are lost).");
            }
            if (!conflicts.isEmpty()) {
                fixes.add(
                        "Power BI cannot change a column's type in place; keep the old type, add a column under a new name, "
                                + "or delete the dataset so it is created again (its rows are lost).");
            }
            throw new DatasetDefinitionException(
                    definition.source(),
                    problems,
                    "dataset '" + definition.name() + "' ("
                            + datasetId + ") cannot be made to match "
                            + definition.source() + "; nothing was changed:\n - " + String.join("\n - ", problems)
                            + "\nFix: " + String.join("\nFix: ", fixes));
        }
        for (DatasetDefinition.Table table : puts) {
            client.send(PowerBiRequest.json(
                    "PUT",
                    Api.dataset(groupId, datasetId) + "/tables/" + Api.seg(table.name()),
                    Map.of(),
                    Api.bytes(table.toJson()),
                    "table '" + table.name() + "' of dataset " + datasetId));
            LOG.info(
                    "dataset {}: table '{}' sent with {} columns",
                    datasetId,
                    table.name(),
                    table.columns().size());
        }
        return new EnsureResult(datasetId, false, 0, columnsAdded);
    }

    private record Merge(DatasetDefinition.Table table, int columnsAdded, boolean changed) {}

    private static Merge merge(
            JsonNode have, DatasetDefinition.Table wanted, DatasetDefinition definition, List<String> conflicts) {
        String tableName = have.path("name").asText();
        List<DatasetDefinition.Column> columns = new ArrayList<>();
        for (JsonNode c : have.path("columns")) {
            columns.add(new DatasetDefinition.Column(
                    c.path("name").asText(),
                    Api.text(c, "dataType"),
                    Api.text(c, "formatString"),
                    passThrough(c, "name", "dataType", "formatString")));
        }
        DatasetDefinition.Table current = new DatasetDefinition.Table(tableName, columns);
        int added = 0;
        for (DatasetDefinition.Column w : wanted.columns()) {
            DatasetDefinition.Column h = current.column(w.name());
            if (h == null) {
                columns.add(w);
                added++;
            } else if (!DataTypes.same(h.dataType(), w.dataType())) {
                conflicts.add("table '" + tableName + "', column '" + h.name() + "' is " + h.dataType()
                        + " in Power BI but " + w.dataType() + " in " + definition.source());
            }
        }
        List<DatasetDefinition.Measure> measures = new ArrayList<>();
        for (JsonNode m : have.path("measures")) {
            measures.add(new DatasetDefinition.Measure(
                    m.path("name").asText(), Api.text(m, "expression"), passThrough(m, "name", "expression")));
        }
        boolean measuresAdded = false;
        for (DatasetDefinition.Measure w : wanted.measures()) {
            if (measures.stream().noneMatch(m -> m.name().equalsIgnoreCase(w.name()))) {
                measures.add(w);
                measuresAdded = true;
            }
        }
        Map<String, Object> properties = passThrough(have, "name", "columns", "measures", "rows");
        return new Merge(
                new DatasetDefinition.Table(tableName, columns, measures, properties),
                added,
                added > 0 || measuresAdded);
    }

    /** The properties of an existing table, column or measure that we do not manage, so a PUT keeps them. */
    private static Map<String, Object> passThrough(JsonNode node, String... handled) {
        Map<String, Object> map = Api.map(node);
        for (String h : handled) {
            map.remove(h);
        }
        map.values().removeIf(Objects::isNull);
        return map;
    }

    private static JsonNode find(Map<String, JsonNode> remote, String name) {
        JsonNode exact = remote.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, JsonNode> e : remote.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Deletes all rows of a push dataset's table (Power BI has no per-row delete). */
    public void deleteRows(String groupId, String datasetId, String table) {
        client.send(new PowerBiRequest(
                "DELETE",
                Api.dataset(groupId, datasetId) + "/tables/" + Api.seg(table) + "/rows",
                Map.of(),
                null,
                "table '" + table + "' of dataset " + datasetId));
    }

    /** The datasets (semantic models) of a workspace. */
    public List<Map<String, Object>> listDatasets(String groupId) {
        return Api.values(client.getJson(Api.group(groupId) + "/datasets", Map.of(), "workspace " + groupId));
    }

    /** The reports of a workspace (paginated reports have no {@code datasetId}). */
    public List<Map<String, Object>> listReports(String groupId) {
        return Api.values(client.getJson(Api.group(groupId) + "/reports", Map.of(), "workspace " + groupId));
    }

    /** The tables of a push dataset (Power BI answers 404 for other datasets). */
    public List<Map<String, Object>> listTables(String groupId, String datasetId) {
        return Api.values(
                client.getJson(Api.dataset(groupId, datasetId) + "/tables", Map.of(), "dataset " + datasetId));
    }

    /** One dataset's properties. */
    public Map<String, Object> getDataset(String groupId, String datasetId) {
        return Api.map(client.getJson(Api.dataset(groupId, datasetId), Map.of(), "dataset " + datasetId));
    }

    /** Every workspace the caller can see, optionally narrowed by an OData {@code $filter}; all pages. */
    public List<Map<String, Object>> listWorkspaces(String filter) {
        return listWorkspaces(filter, WORKSPACE_PAGE);
    }

    /** As {@link #listWorkspaces(String)}, asking {@code pageSize} at a time until a page comes back short. */
    public List<Map<String, Object>> listWorkspaces(String filter, int pageSize) {
        if (pageSize < 1 || pageSize > WORKSPACE_PAGE) {
            throw new IllegalArgumentException("pageSize must be 1.." + WORKSPACE_PAGE + ", was " + pageSize);
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (int skip = 0; ; skip += pageSize) {
            Map<String, String> query = new LinkedHashMap<>();
            if (filter != null && !filter.isBlank()) {
                query.put("$filter", filter);
            }
            query.put("$top", String.valueOf(pageSize));
            query.put("$skip", String.valueOf(skip));
            List<Map<String, Object>> page = Api.values(client.getJson("/groups", query, "workspaces"));
            all.addAll(page);
            if (page.size() < pageSize) {
                return all;
            }
        }
    }
}
