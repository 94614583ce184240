package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Datasets and push datasets (https://learn.microsoft.com/en-us/power-bi/developer/embedded/push-datasets-limitations, https://learn.microsoft.com/en-us/rest/api/power-bi/groups/get-groups): list, get, create (schema validation),
 * delete; tables (GET, PUT); rows (POST with type validation, FIFO retention and the three rate limits, DELETE).
 *
 * <p>guess: the status and body of every 400 here ({@code {"error":{"code":"InvalidRequest","message":...}}}); the
 * service documents only the limits, not how it refuses them.
 */
final class DatasetsApi implements PowerBiApi.Module {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetsApi.class);
    static final int MAX_TABLES = 75;
    static final int MAX_RELATIONSHIPS = 75;
    private static final Set<String> DEFAULT_MODES = Set.of("push", "streaming", "pushstreaming");

    private PowerBiApi api;

    @Override
    public void register(Router router, PowerBiApi powerBiApi) {
        this.api = powerBiApi;
        String base = PowerBiApi.GROUP + "/datasets";
        router.get(
                base,
                api.workspaceList(
                        "datasets",
                        (w, caller) -> w.visibleDatasets(api.now()).stream().map(DatasetsApi::toJson)));
        router.post(base, api.authenticated(this::create));
        router.get(base + "/{datasetId}", api.authenticated(this::get));
        router.delete(base + "/{datasetId}", api.authenticated(this::delete));
        router.get(base + "/{datasetId}/tables", api.authenticated(this::tables));
        router.put(base + "/{datasetId}/tables/{tableName}", api.authenticated(this::putTable));
        router.post(base + "/{datasetId}/tables/{tableName}/rows", api.authenticated(this::postRows));
        router.delete(base + "/{datasetId}/tables/{tableName}/rows", api.authenticated(this::deleteRows));
    }

    // ------------------------------------------------------------------ datasets

    private void get(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        ex.sendJson(200, PowerBiApi.odataEntity(ex, "groups/" + w.id() + "/datasets", toJson(d)));
    }

    private void delete(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        w.removeDataset(d.id());
        LOG.info("dataset {} '{}' deleted from {}", d.id(), d.name(), w);
        ex.sendEmpty(200);
    }

    /** A {@code Dataset} as GET datasets lists it (SW example properties plus the storage mode). */
    static ObjectNode toJson(Dataset d) {
        ObjectNode json = Json.object();
        json.put("id", d.id());
        json.put("name", d.name());
        json.put("webUrl", "https://app.powerbi.com/groups/" + d.workspaceId() + "/datasets/" + d.id());
        json.put("addRowsAPIEnabled", d.isPush());
        json.put("configuredBy", d.configuredBy());
        json.put("isRefreshable", !d.isPush());
        json.put("isEffectiveIdentityRequired", false);
        json.put("isEffectiveIdentityRolesRequired", false);
        json.put("isOnPremGatewayRequired", false);
        // guess: "Abf" (the default, small-model storage) for push and imported datasets alike
        json.put("targetStorageMode", "Abf");
        json.put("createdDate", Json.time(d.createdDate()));
        json.put("createReportEmbedURL", "https://app.powerbi.com/reportEmbed?config=sandbox&datasetId=" + d.id());
        json.put("qnaEmbedURL", "https://app.powerbi.com/qnaEmbed?config=sandbox&datasetId=" + d.id());
        json.putArray("users");
        return json;
    }

    /** {@code POST datasets?defaultRetentionPolicy=None|basicFIFO} with a {@code CreateDatasetRequest}. */
    private void create(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        String policyParam = ex.query("defaultRetentionPolicy");
        String policy = policyParam == null ? Dataset.NONE : Dataset.retentionPolicy(policyParam);
        if (policy == null) {
            throw bad("Invalid defaultRetentionPolicy '" + policyParam + "': use None or basicFIFO.");
        }
        JsonNode body = PowerBiApi.jsonBody(ex);
        if (body == null || !body.isObject()) {
            throw bad("The request body must be a dataset definition {\"name\":...,\"tables\":[...]}.");
        }
        String name = body.path("name").isTextual() ? body.get("name").asText() : null;
        if (name == null || name.isBlank()) {
            throw bad("The dataset needs a 'name'.");
        }
        String mode =
                body.path("defaultMode").isTextual() ? body.get("defaultMode").asText() : "Push";
        if (!DEFAULT_MODES.contains(mode.toLowerCase(Locale.ROOT))) {
            throw bad("defaultMode '" + mode + "' is not supported for push datasets: use Push, Streaming or "
                    + "PushStreaming.");
        }
        JsonNode tables = body.get("tables");
        if (tables == null || !tables.isArray() || tables.isEmpty()) {
            throw bad("The dataset needs at least one table in 'tables'.");
        }
        if (tables.size() > MAX_TABLES) {
            throw bad("The dataset has " + tables.size() + " tables; at most " + MAX_TABLES + " are allowed.");
        }
        // guess: configuredBy of a dataset a service principal created is its app id
        Dataset d =
                new Dataset(UUID.randomUUID().toString(), w.id(), name, true, policy, mode, caller.appId(), api.now());
        try {
            for (JsonNode table : tables) {
                d.addTable(PushTable.parseSchema(table));
            }
            validateRelationships(d, body.get("relationships"));
        } catch (PushTable.InvalidException e) {
            throw bad(e.getMessage());
        }
        w.addDataset(d);
        LOG.info(
                "push dataset {} '{}' created in {} ({} tables, retention {})",
                d.id(),
                name,
                w,
                d.tables().size(),
                policy);
        ObjectNode result = Json.object();
        result.put("id", d.id());
        result.put("name", d.name());
        result.put("defaultRetentionPolicy", policy);
        ex.sendJson(201, result);
    }

    private static void validateRelationships(Dataset d, JsonNode relationships) {
        if (relationships == null || relationships.isNull()) {
            return;
        }
        if (!relationships.isArray()) {
            throw new PushTable.InvalidException("'relationships' must be an array.");
        }
        if (relationships.size() > MAX_RELATIONSHIPS) {
            throw new PushTable.InvalidException("The dataset has " + relationships.size() + " relationships; at most "
                    + MAX_RELATIONSHIPS + " are allowed.");
        }
        Set<String> names = new HashSet<>();
        for (JsonNode r : relationships) {
            String name = r.path("name").asText("");
            if (!PushTable.TABLE_NAME.matcher(name).matches()) {
                throw new PushTable.InvalidException("Relationship name '" + ColumnType.abbreviate(name)
                        + "' is invalid: 1 to 100 characters, without any of !\"$%&'()*+,./:;<=>?[\\]`{|}.");
            }
            if (!names.add(name.toLowerCase(Locale.ROOT))) {
                throw new PushTable.InvalidException("The relationship '" + name + "' is defined twice.");
            }
            for (String end : List.of("from", "to")) {
                String table = r.path(end + "Table").asText(null);
                String column = r.path(end + "Column").asText(null);
                PushTable t = d.table(table)
                        .orElseThrow(() -> new PushTable.InvalidException("Relationship '" + name + "': " + end
                                + "Table '" + table + "' is not a table of the dataset."));
                if (column == null || t.schema().indexOf(column) < 0) {
                    throw new PushTable.InvalidException("Relationship '" + name + "': " + end + "Column '" + column
                            + "' is not a column of table '" + t.name() + "'.");
                }
            }
            String behaviour = r.path("crossFilteringBehavior").asText("OneDirection");
            if (!Set.of("OneDirection", "BothDirections", "Automatic").contains(behaviour)) {
                throw new PushTable.InvalidException("Relationship '" + name + "': crossFilteringBehavior must be "
                        + "OneDirection, BothDirections or Automatic.");
            }
            d.addRelationship(r);
        }
    }

    // ------------------------------------------------------------------ tables

    /**
     * GET tables: push datasets only; an imported model answers 404 (PowerBI-CSharp #138). Tables are listed by name
     * only unless {@code listTableColumns} is on: the docs show no response example, the service has been seen
     * answering names only (powerbi-powershell#397), and a client must not depend on columns it may not get.
     */
    private void tables(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = pushDataset(ex, w);
        ObjectNode body = Json.object();
        body.put("@odata.context", PowerBiApi.odataContext(ex, "groups/" + w.id() + "/datasets/" + d.id() + "/tables"));
        ArrayNode value = body.putArray("value");
        boolean columns = api.settings().listTableColumns();
        d.tables().forEach(t -> value.add(t.schema().toJson(columns)));
        ex.sendJson(200, body);
    }

    /**
     * PUT table: replaces the table's schema; rows of columns kept with the same type survive (guess). The table must
     * exist: a new name is 404 {@code ItemNotFound} (PowerBI-CSharp#127, gbrueckl/PowerBI.API.Client#21), so no call
     * adds a table to an existing push dataset. guess: the body's name must be the path's.
     */
    private void putTable(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = pushDataset(ex, w);
        String name = ex.pathParam("tableName");
        PushTable table = d.table(name)
                .orElseThrow(() -> PowerBiError.tableNotFound(name, d.id()).exception());
        JsonNode body = PowerBiApi.jsonBody(ex);
        PushTable.Schema schema;
        try {
            schema = PushTable.parseSchema(body);
        } catch (PushTable.InvalidException e) {
            throw bad(e.getMessage());
        }
        if (!schema.name().equalsIgnoreCase(table.name())) {
            throw bad("The table name in the body ('" + schema.name() + "') differs from the one in the URL ('"
                    + table.name() + "'); tables cannot be renamed.");
        }
        table.replaceSchema(schema);
        LOG.info(
                "table '{}' of dataset {} now has columns {}",
                table.name(),
                d.id(),
                schema.columns().stream()
                        .map(c -> c.name() + ":" + c.type().canonicalName())
                        .toList());
        ex.sendJson(200, schema.toJson(true));
    }

    private void deleteRows(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = pushDataset(ex, w);
        PushTable table = table(ex, d);
        long before = table.rowCount();
        table.deleteRows();
        LOG.info("{} rows deleted from table '{}' of dataset {}", before, table.name(), d.id());
        ex.sendEmpty(200);
    }

    // ------------------------------------------------------------------ rows

    /**
     * POST rows. In this order: the pending limit (5 in flight), the request windows (120 per minute; 120 per hour once
     * the table holds 250,000 rows), body validation (400, not counted), the rows window (1,000,000 per hour), then the
     * rows are stored (FIFO eviction, or refusal beyond the None cap). A 429 carries {@code Retry-After} in real
     * seconds and the message of pbimonitor #58.
     */
    private void postRows(SandboxExchange ex, Caller caller) throws Exception {
        Workspace w = api.workspace(ex, caller);
        Dataset d = pushDataset(ex, w);
        PushTable table = table(ex, d);
        LimitsConfig limits = api.limits();
        int pending = d.pending.incrementAndGet();
        try {
            if (limits.enabled() && pending > limits.pendingRequests()) {
                throw throttle(d, 1_000_000_000L, "more than " + limits.pendingRequests() + " pending POST rows");
            }
            long now = System.nanoTime();
            checkRequestWindows(d, table, limits, now);
            List<RowStore.Chunk> batches;
            try {
                batches = table.parseRows(ex.body(), limits.rowsPerPost(), limits.maxStringLength());
            } catch (PushTable.InvalidException e) {
                throw bad(e.getMessage());
            }
            long rows = batches.stream().mapToLong(b -> b.size).sum();
            synchronized (d) {
                now = System.nanoTime();
                checkRequestWindows(d, table, limits, now);
                if (limits.enabled()) {
                    long wait = d.rowsPerHour.tryAcquire(now, limits.windowNanos(3600), limits.rowsPerHour(), rows);
                    if (wait > 0) {
                        throw throttle(d, wait, "more than " + limits.rowsPerHour() + " rows per hour");
                    }
                }
                d.postsPerMinute.tryAcquire(now, limits.windowNanos(60), Long.MAX_VALUE, 1);
                d.postsPerHour.tryAcquire(now, limits.windowNanos(3600), Long.MAX_VALUE, 1);
            }
            hold(limits);
            if (d.storesRows()) {
                store(d, table, batches, rows, limits);
            }
            d.countPost(rows);
            LOG.debug(
                    "{} rows added to table '{}' of dataset {} ({} rows now)",
                    rows,
                    table.name(),
                    d.id(),
                    table.rowCount());
        } finally {
            // no longer pending once answered: a client that sends its next request the moment it has the answer
            // must not find this one still counted
            d.pending.decrementAndGet();
        }
        ex.sendEmpty(200);
    }

    private static void checkRequestWindows(Dataset d, PushTable table, LimitsConfig limits, long now) {
        if (!limits.enabled()) {
            return;
        }
        long wait = d.postsPerMinute.waitTime(now, limits.windowNanos(60), limits.postRowsPerMinute(), 1);
        if (wait > 0) {
            throw throttle(d, wait, "more than " + limits.postRowsPerMinute() + " POST rows per minute");
        }
        if (table.rowCount() >= limits.largeTableRows()) {
            wait = d.postsPerHour.waitTime(now, limits.windowNanos(3600), limits.postRowsPerHourLargeTable(), 1);
            if (wait > 0) {
                throw throttle(
                        d,
                        wait,
                        "more than " + limits.postRowsPerHourLargeTable() + " POST rows per hour on a table of "
                                + limits.largeTableRows() + "+ rows");
            }
        }
    }

    private static void store(
            Dataset d, PushTable table, List<RowStore.Chunk> batches, long rows, LimitsConfig limits) {
        try {
            if (Dataset.BASIC_FIFO.equals(d.retentionPolicy())) {
                table.append(batches, limits.fifoRows());
                return;
            }
            synchronized (table) {
                if (table.rowCount() + rows > limits.maxRowsNone()) {
                    // guess: the service documents the 5,000,000 cap of retention None, not how it refuses more
                    throw bad("Table '" + table.name() + "' holds " + table.rowCount() + " rows; with retention None a"
                            + " table holds at most " + limits.maxRowsNone() + " rows.");
                }
                table.append(batches, 0);
            }
        } catch (PushTable.InvalidException e) {
            throw bad(e.getMessage());
        }
    }

    /** The simulated processing time and the test gate, both while the request counts as pending. */
    private void hold(LimitsConfig limits) throws InterruptedException {
        CountDownLatch gate = api.postRowsGate();
        if (gate != null && !gate.await(60, TimeUnit.SECONDS)) {
            LOG.warn("POST rows released after 60 s: resumePostRows() was not called");
        }
        if (limits.postRowsLatencyMs() > 0) {
            Thread.sleep(limits.postRowsLatencyMs());
        }
    }

    private static PowerBiException throttle(Dataset d, long waitNanos, String why) {
        d.countThrottled();
        long seconds = RateWindow.retryAfterSeconds(waitNanos);
        LOG.info("POST rows to dataset {} throttled ({}): 429, Retry-After {}", d.id(), why, seconds);
        return PowerBiError.tooManyRequests(seconds).exception();
    }

    // ------------------------------------------------------------------ helpers

    /** The dataset, which must be a push dataset: 404 for an imported model (PowerBI-CSharp #138; guess for rows). */
    private Dataset pushDataset(SandboxExchange ex, Workspace w) {
        Dataset d = api.dataset(ex, w);
        if (!d.isPush()) {
            throw PowerBiError.entityNotFound().exception();
        }
        return d;
    }

    /** guess: an unknown table answers 404 PowerBIEntityNotFound. */
    private static PushTable table(SandboxExchange ex, Dataset d) {
        return d.table(ex.pathParam("tableName"))
                .orElseThrow(() -> PowerBiError.entityNotFound().exception());
    }

    static PowerBiException bad(String message) {
        return PowerBiError.badRequest("InvalidRequest", message).exception();
    }
}
