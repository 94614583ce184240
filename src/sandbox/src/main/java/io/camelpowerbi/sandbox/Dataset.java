package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A dataset (semantic model) of a workspace: a push dataset created through the API or seeded, or an imported model
 * (seeded or created by an import). Holds its tables (and, for push datasets, their rows), its refresh history and
 * refresh behaviour, its canned executeQueries results and the counters of the push rate limits.
 */
public final class Dataset {

    public static final String BASIC_FIFO = "basicFIFO";
    public static final String NONE = "None";

    /** How refreshes of this dataset end; {@code duration} null = {@code refreshes.durationSeconds}. */
    public record RefreshBehaviour(Duration duration, String outcome, JsonNode error) {

        public RefreshBehaviour {
            outcome = outcome == null ? Refresh.COMPLETED : outcome;
            if (!outcome.equals(Refresh.COMPLETED) && !outcome.equals(Refresh.FAILED)) {
                throw new IllegalArgumentException("refresh outcome must be Completed or Failed: " + outcome);
            }
            if (duration != null && duration.isNegative()) {
                throw new IllegalArgumentException("refresh duration must not be negative");
            }
        }

        /** Refreshes that fail with {@code serviceExceptionJson} = {@code error} (a default one when null). */
        public static RefreshBehaviour failing(Duration duration, JsonNode error) {
            return new RefreshBehaviour(duration, Refresh.FAILED, error);
        }

        public static RefreshBehaviour completing(Duration duration) {
            return new RefreshBehaviour(duration, Refresh.COMPLETED, null);
        }
    }

    /** {@code serviceExceptionJson} of a failed refresh when none is configured (SW example). */
    static final JsonNode DEFAULT_REFRESH_ERROR = Json.object()
            .put("errorCode", "ModelRefreshFailed_CredentialsNotSpecified")
            .put("errorDescription", "The credentials provided for the data source are missing or invalid.");

    private final String id;
    private final String workspaceId;
    private volatile String name;
    private final boolean push;
    private final String retentionPolicy;
    private final String defaultMode;
    private volatile String configuredBy;
    private final Instant createdDate;
    private volatile Instant availableAt;
    private final Map<String, PushTable> tables = new LinkedHashMap<>();
    private final List<JsonNode> relationships = new ArrayList<>();
    private final Map<String, List<JsonNode>> cannedQueries = new ConcurrentHashMap<>();
    private volatile RefreshBehaviour refreshBehaviour;
    private final List<Refresh> refreshes = new ArrayList<>();
    /** The lakehouse a Direct Lake model reads; null for other datasets. */
    private volatile Lakehouse directLake;
    /** Power Query parameters by name (case-sensitive, as Power BI matches them), each a {@code MashupParameter}. */
    private final Map<String, com.fasterxml.jackson.databind.node.ObjectNode> parameters = new LinkedHashMap<>();
    /** The data sources, each a {@code Datasource} as GET datasources answers it. */
    private final List<JsonNode> datasources = new ArrayList<>();
    /** The refresh schedule, a {@code RefreshSchedule}; none is enabled at first. */
    private final com.fasterxml.jackson.databind.node.ObjectNode refreshSchedule =
            Json.object().put("enabled", false).put("localTimeZoneId", "UTC").put("notifyOption", "NoNotification");

    // push rate limits (https://learn.microsoft.com/en-us/power-bi/developer/embedded/push-datasets-limitations)
    final RateWindow postsPerMinute = new RateWindow();
    final RateWindow postsPerHour = new RateWindow();
    final RateWindow rowsPerHour = new RateWindow();
    final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong postRowsRequests = new AtomicLong();
    private final AtomicLong rowsAdded = new AtomicLong();

    Dataset(
            String id,
            String workspaceId,
            String name,
            boolean push,
            String retentionPolicy,
            String defaultMode,
            String configuredBy,
            Instant createdDate) {
        this.id = id.toLowerCase(Locale.ROOT);
        this.workspaceId = workspaceId;
        this.name = name;
        this.push = push;
        this.retentionPolicy = push ? (retentionPolicy == null ? NONE : retentionPolicy) : null;
        this.defaultMode = defaultMode;
        this.configuredBy = configuredBy;
        this.createdDate = createdDate;
        this.refreshBehaviour = new RefreshBehaviour(null, null, null);
    }

    /** A seeded dataset. */
    static Dataset fromConfig(SandboxConfig.DatasetConfig c, String workspaceId, Instant now) {
        Dataset d = new Dataset(
                c.id(),
                workspaceId,
                c.name(),
                c.push(),
                retentionPolicy(c.defaultRetentionPolicy()),
                c.push() ? "Push" : null,
                c.configuredBy(),
                now);
        for (JsonNode table : c.tables()) {
            PushTable t = d.addTable(PushTable.parseSchema(table));
            JsonNode rows = table.get("rows");
            if (rows != null && rows.isArray()) {
                try {
                    t.seed(rows, 0);
                } catch (java.io.IOException | IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "sandbox config: dataset " + c.name() + ", table " + t.name() + ": " + e.getMessage(), e);
                }
            }
        }
        c.queries().forEach(q -> d.addCannedQuery(q.query(), q.rows()));
        c.parameters().forEach(p -> d.parameters.put(p.get("name").asText(), p.deepCopy()));
        c.datasources().forEach(ds -> d.datasources.add(ds.deepCopy()));
        d.refreshBehaviour = new RefreshBehaviour(
                c.refreshSeconds() == null ? null : ApiSettings.seconds(c.refreshSeconds()),
                c.refreshOutcome(),
                c.refreshError());
        return d;
    }

    /** {@code basicFIFO} or {@code None} for a (case-insensitive) policy name, else null. */
    static String retentionPolicy(String value) {
        if (value == null) {
            return null;
        }
        if (BASIC_FIFO.equalsIgnoreCase(value.trim())) {
            return BASIC_FIFO;
        }
        return NONE.equalsIgnoreCase(value.trim()) ? NONE : null;
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

    void setName(String value) {
        name = value;
    }

    /** A push dataset (rows API); otherwise an imported model. */
    public boolean isPush() {
        return push;
    }

    /** {@code basicFIFO} or {@code None} for push datasets, null otherwise. */
    public String retentionPolicy() {
        return retentionPolicy;
    }

    /** The {@code defaultMode} of a create request ({@code Push}, {@code Streaming}, ...), null for imported models. */
    public String defaultMode() {
        return defaultMode;
    }

    /** {@code Streaming} datasets accept rows but keep none (guess). */
    boolean storesRows() {
        return !"Streaming".equalsIgnoreCase(defaultMode);
    }

    public String configuredBy() {
        return configuredBy;
    }

    /** {@code Default.TakeOver}: the caller becomes the owner (and the one whose credentials the data sources use). */
    void takeOver(String owner) {
        configuredBy = owner;
    }

    /** The Power Query parameters, in their order (copies). */
    public synchronized List<JsonNode> parameters() {
        return parameters.values().stream().map(p -> (JsonNode) p.deepCopy()).toList();
    }

    /** The parameter of that exact name, for changing; null when there is none. */
    synchronized com.fasterxml.jackson.databind.node.ObjectNode parameter(String name) {
        return parameters.get(name);
    }

    /** The refresh schedule, for reading and changing under this dataset's lock. */
    synchronized com.fasterxml.jackson.databind.node.ObjectNode refreshScheduleNode() {
        if (!refreshSchedule.has("days")) {
            refreshSchedule.putArray("days");
            refreshSchedule.putArray("times");
        }
        return refreshSchedule;
    }

    /** A copy of the refresh schedule. */
    public synchronized JsonNode refreshSchedule() {
        return refreshScheduleNode().deepCopy();
    }

    /** The data sources, for changing under this dataset's lock. */
    synchronized List<JsonNode> datasourceNodes() {
        return datasources;
    }

    /** The data sources (copies). */
    public synchronized List<JsonNode> datasources() {
        return datasources.stream().map(ds -> (JsonNode) ds.deepCopy()).toList();
    }

    public Instant createdDate() {
        return createdDate;
    }

    /** Null when visible, else when an import publishes it. */
    Instant availableAt() {
        return availableAt;
    }

    void setAvailableAt(Instant value) {
        availableAt = value;
    }

    boolean isVisible(Instant now) {
        Instant at = availableAt;
        return at == null || !now.isBefore(at);
    }

    // ------------------------------------------------------------------ tables

    synchronized PushTable addTable(PushTable.Schema schema) {
        String key = schema.name().toLowerCase(Locale.ROOT);
        if (tables.containsKey(key)) {
            throw new PushTable.InvalidException("The dataset has the table '" + schema.name() + "' twice.");
        }
        PushTable table = new PushTable(schema);
        tables.put(key, table);
        return table;
    }

    /** The table named {@code name}, case-insensitively. */
    public synchronized Optional<PushTable> table(String tableName) {
        return tableName == null
                ? Optional.empty()
                : Optional.ofNullable(tables.get(tableName.toLowerCase(Locale.ROOT)));
    }

    public synchronized List<PushTable> tables() {
        return List.copyOf(tables.values());
    }

    synchronized void addRelationship(JsonNode relationship) {
        relationships.add(relationship.deepCopy());
    }

    synchronized List<JsonNode> relationships() {
        return List.copyOf(relationships);
    }

    /**
     * The table DAX reads at {@code now}: a push or imported dataset's own; a Direct Lake model's as its latest refresh
     * that completed by then framed it (empty before the first one: a model that was never framed shows no rows).
     */
    Optional<QueryTable> queryTable(String tableName, Instant now) {
        if (directLake == null) {
            return table(tableName).map(QueryTable.class::cast);
        }
        for (Refresh r : refreshes()) {
            if (Refresh.COMPLETED.equals(r.status(now)) && r.framed() != null) {
                return r.framed().entrySet().stream()
                        .filter(e -> e.getKey().equalsIgnoreCase(tableName))
                        .map(Map.Entry::getValue)
                        .findFirst();
            }
        }
        return Optional.empty();
    }

    /** A Direct Lake model over {@code lakehouse}: a refresh frames the lakehouse's tables as they are then. */
    void directLake(Lakehouse lakehouse) {
        directLake = lakehouse;
    }

    /** The lakehouse of a Direct Lake model, or null. */
    public Lakehouse directLakeSource() {
        return directLake;
    }

    public boolean isDirectLake() {
        return directLake != null;
    }

    // ------------------------------------------------------------------ canned queries

    /** Answers {@code query} (exact text, whitespace collapsed) with {@code rows} in executeQueries. */
    public void addCannedQuery(String query, List<JsonNode> rows) {
        cannedQueries.put(normalizeQuery(query), List.copyOf(rows));
    }

    Optional<List<JsonNode>> cannedQuery(String query) {
        return Optional.ofNullable(cannedQueries.get(normalizeQuery(query)));
    }

    static String normalizeQuery(String query) {
        return query.trim().replaceAll("\\s+", " ");
    }

    // ------------------------------------------------------------------ refreshes

    public RefreshBehaviour refreshBehaviour() {
        return refreshBehaviour;
    }

    /** How later refreshes of this dataset end (those running keep theirs). */
    public void setRefreshBehaviour(RefreshBehaviour value) {
        refreshBehaviour = value;
    }

    synchronized void addRefresh(Refresh refresh) {
        refreshes.add(refresh);
    }

    /** Every refresh, newest first, visible in the history or not. */
    public synchronized List<Refresh> refreshes() {
        List<Refresh> copy = new ArrayList<>(refreshes);
        java.util.Collections.reverse(copy);
        return copy;
    }

    public Optional<Refresh> refresh(String requestId) {
        return refreshes().stream()
                .filter(r -> r.requestId().equalsIgnoreCase(requestId))
                .findFirst();
    }

    /** The refresh running now, if any (one per dataset at a time). */
    public Optional<Refresh> runningRefresh(Instant now) {
        return refreshes().stream().filter(r -> r.isRunning(now)).findFirst();
    }

    // ------------------------------------------------------------------ push statistics

    /** How many POST rows requests were answered 429. */
    public long throttledCount() {
        return throttled.get();
    }

    void countThrottled() {
        throttled.incrementAndGet();
    }

    /** Accepted POST rows requests. */
    public long postRowsRequestCount() {
        return postRowsRequests.get();
    }

    /** Rows accepted by POST rows (before FIFO eviction). */
    public long rowsAddedCount() {
        return rowsAdded.get();
    }

    void countPost(long rows) {
        postRowsRequests.incrementAndGet();
        rowsAdded.addAndGet(rows);
    }

    /** Pending (in-flight) POST rows requests now. */
    public int pendingPostRows() {
        return pending.get();
    }

    @Override
    public String toString() {
        return "Dataset[" + id + " '" + name + "'" + (push ? " push" : "") + "]";
    }
}
