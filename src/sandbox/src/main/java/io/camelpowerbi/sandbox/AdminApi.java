package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's own control endpoints under {@code /_sandbox} (not part of any Microsoft API): state, fault rules, the
 * clock, limits and settings, per-dataset refresh behaviour, per-report export behaviour, canned queries, tenant and
 * workspace switches, and reset, so that tests and tools outside the JVM can steer a running sandbox. No
 * authentication; answered only to loopback callers unless {@code remoteControl: true}.
 */
final class AdminApi {

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

    private final SandboxState state;
    private final FaultInjector faults;
    private final SandboxClock clock;
    private final LongSupplier tokenRequestCount;
    private final PowerBiApi powerBi;
    private final Runnable reset;
    private final boolean remoteControl;

    AdminApi(
            SandboxState state,
            FaultInjector faults,
            SandboxClock clock,
            LongSupplier tokenRequestCount,
            PowerBiApi powerBi,
            Runnable reset,
            boolean remoteControl) {
        this.state = state;
        this.faults = faults;
        this.clock = clock;
        this.tokenRequestCount = tokenRequestCount;
        this.powerBi = powerBi;
        this.reset = reset;
        this.remoteControl = remoteControl;
    }

    void register(Router router) {
        router.get("/_sandbox/state", guard(this::state));
        router.get("/_sandbox/faults", guard(ex -> ex.sendJson(200, faultsJson())));
        router.post("/_sandbox/faults", guard(this::addFaults));
        router.delete("/_sandbox/faults", guard(ex -> {
            faults.clear();
            ex.sendEmpty(204);
        }));
        router.delete("/_sandbox/faults/{id}", guard(ex -> {
            if (faults.remove(ex.pathParam("id"))) {
                ex.sendEmpty(204);
            } else {
                ex.sendJson(404, error("no fault rule " + ex.pathParam("id")));
            }
        }));
        router.get("/_sandbox/clock", guard(ex -> ex.sendJson(200, clockJson())));
        router.post("/_sandbox/clock", guard(this::moveClock));
        router.get("/_sandbox/limits", guard(ex -> ex.sendJson(200, Json.MAPPER.valueToTree(powerBi.limits()))));
        router.post("/_sandbox/limits", guard(ex -> {
            powerBi.setLimits(powerBi.limits().merge(object(ex)));
            ex.sendJson(200, Json.MAPPER.valueToTree(powerBi.limits()));
        }));
        router.get("/_sandbox/settings", guard(ex -> ex.sendJson(200, Json.MAPPER.valueToTree(powerBi.settings()))));
        router.post("/_sandbox/settings", guard(ex -> {
            powerBi.setSettings(powerBi.settings().merge(object(ex)));
            ex.sendJson(200, Json.MAPPER.valueToTree(powerBi.settings()));
        }));
        router.post("/_sandbox/datasets/{datasetId}/refreshBehaviour", guard(this::refreshBehaviour));
        router.post("/_sandbox/datasets/{datasetId}/queries", guard(this::cannedQuery));
        router.post("/_sandbox/reports/{reportId}/exportBehaviour", guard(this::exportBehaviour));
        router.post("/_sandbox/tenants/{tenantId}", guard(this::tenant));
        router.post("/_sandbox/workspaces/{workspaceId}", guard(this::workspace));
        router.post("/_sandbox/activity", guard(this::addActivity));
        router.post("/_sandbox/postRows/pause", guard(ex -> {
            powerBi.pausePostRows();
            ex.sendEmpty(204);
        }));
        router.post("/_sandbox/postRows/resume", guard(ex -> {
            powerBi.resumePostRows();
            ex.sendEmpty(204);
        }));
        router.post("/_sandbox/reset", guard(ex -> {
            reset.run();
            ex.sendEmpty(204);
        }));
    }

    /** Loopback callers only (unless remoteControl), and a 400 with the message for invalid input. */
    private RouteHandler guard(RouteHandler handler) {
        return ex -> {
            var remote = ex.remoteAddress();
            if (!remoteControl
                    && remote != null
                    && remote.getAddress() != null
                    && !remote.getAddress().isLoopbackAddress()) {
                LOG.warn(
                        "{} {} from {} refused: /_sandbox answers loopback callers only (remoteControl: false)",
                        ex.method(),
                        ex.path(),
                        remote.getAddress().getHostAddress());
                ex.sendJson(
                        403,
                        error("the sandbox control endpoints answer loopback callers only; set "
                                + "remoteControl: true to allow others"));
                return;
            }
            try {
                handler.handle(ex);
            } catch (IllegalArgumentException e) {
                if (!ex.responded()) {
                    ex.sendJson(400, error(e.getMessage()));
                }
            } catch (JsonProcessingException e) {
                Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
                if (!ex.responded()) {
                    ex.sendJson(400, error(cause == e ? e.getOriginalMessage() : cause.getMessage()));
                }
            }
        };
    }

    private void state(SandboxExchange ex) throws IOException {
        ObjectNode body = state.toJson(clock.now());
        body.put("tokenRequestCount", tokenRequestCount.getAsLong());
        body.put("throttledExecuteQueries", powerBi.throttledQueryCount());
        body.setAll(PowerBiAdminState.json(powerBi));
        body.set("limits", Json.MAPPER.valueToTree(powerBi.limits()));
        body.set("settings", Json.MAPPER.valueToTree(powerBi.settings()));
        body.set("faults", faults.toJson());
        body.set("clock", clockJson());
        ex.sendJson(200, body);
    }

    private ObjectNode faultsJson() {
        ObjectNode body = Json.object();
        body.set("rules", faults.toJson());
        return body;
    }

    /** Body: one rule object or an array of them (the {@link FaultRule} keys). */
    private void addFaults(SandboxExchange ex) throws IOException {
        JsonNode json;
        try {
            json = ex.jsonBody();
        } catch (JsonProcessingException e) {
            ex.sendJson(400, error("body is not JSON: " + e.getOriginalMessage()));
            return;
        }
        if (json == null || !(json.isObject() || json.isArray())) {
            ex.sendJson(400, error("body must be a fault rule object or an array of them"));
            return;
        }
        List<FaultRule> parsed = new ArrayList<>();
        try {
            for (JsonNode node : json.isArray() ? json : List.of(json)) {
                parsed.add(Json.MAPPER.treeToValue(node, FaultRule.class));
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            ex.sendJson(400, error("invalid fault rule: " + cause.getMessage()));
            return;
        }
        ObjectNode body = Json.object();
        var added = body.putArray("rules");
        for (FaultRule rule : parsed) {
            added.add(Json.MAPPER.valueToTree(faults.add(rule)));
        }
        ex.sendJson(201, body);
    }

    /** Body {@code {"advanceSeconds": N}} or {@code {"reset": true}}. */
    private void moveClock(SandboxExchange ex) throws IOException {
        JsonNode json = ex.jsonBody();
        if (json != null && json.path("reset").asBoolean(false)) {
            clock.reset();
        } else if (json != null
                && json.has("advanceSeconds")
                && json.get("advanceSeconds").canConvertToLong()) {
            clock.advance(Duration.ofSeconds(json.get("advanceSeconds").asLong()));
        } else {
            ex.sendJson(400, error("expected {\"advanceSeconds\": N} or {\"reset\": true}"));
            return;
        }
        ex.sendJson(200, clockJson());
    }

    /**
     * Body {@code {"durationSeconds": 0.2, "outcome": "Failed", "serviceExceptionJson": {"errorCode": ...}}}; every key
     * optional (a missing duration = {@code refreshes.durationSeconds}).
     */
    private void refreshBehaviour(SandboxExchange ex) throws IOException {
        Dataset d = powerBi.findDataset(ex.pathParam("datasetId"))
                .orElseThrow(() -> new IllegalArgumentException("no dataset " + ex.pathParam("datasetId")));
        JsonNode json = object(ex);
        Duration duration = json.has("durationSeconds")
                ? ApiSettings.seconds(json.get("durationSeconds").asDouble())
                : null;
        JsonNode error = json.get("serviceExceptionJson");
        if (error != null && error.isTextual()) {
            error = Json.MAPPER.readTree(error.asText());
        }
        d.setRefreshBehaviour(new Dataset.RefreshBehaviour(
                duration, json.path("outcome").asText(null), error == null || error.isNull() ? null : error));
        LOG.info("refresh behaviour of dataset {} now {}", d.id(), d.refreshBehaviour());
        ex.sendJson(200, behaviourJson(d.refreshBehaviour()));
    }

    /** Body {@code {"query": "EVALUATE ...", "rows": [{"T[Col]": 1}]}}. */
    private void cannedQuery(SandboxExchange ex) throws IOException {
        Dataset d = powerBi.findDataset(ex.pathParam("datasetId"))
                .orElseThrow(() -> new IllegalArgumentException("no dataset " + ex.pathParam("datasetId")));
        SandboxConfig.CannedQuery query = Json.MAPPER.treeToValue(object(ex), SandboxConfig.CannedQuery.class);
        d.addCannedQuery(query.query(), query.rows());
        ex.sendEmpty(204);
    }

    /** Body {@code {"transientFailures": 2, "outcome": "Succeeded"|"Failed"}}. */
    private void exportBehaviour(SandboxExchange ex) throws IOException {
        Report r = powerBi.findReport(ex.pathParam("reportId"))
                .orElseThrow(() -> new IllegalArgumentException("no report " + ex.pathParam("reportId")));
        JsonNode json = object(ex);
        r.setExportBehaviour(
                json.path("transientFailures").asInt(0), json.path("outcome").asText(null));
        ex.sendEmpty(204);
    }

    /** Body {@code {"servicePrincipalsCanUseApis": false}}. */
    private void tenant(SandboxExchange ex) throws IOException {
        Tenant t = state.tenant(ex.pathParam("tenantId"))
                .orElseThrow(() -> new IllegalArgumentException("no tenant " + ex.pathParam("tenantId")));
        JsonNode json = object(ex);
        if (json.has("servicePrincipalsCanUseApis")) {
            t.setServicePrincipalsCanUseApis(
                    json.get("servicePrincipalsCanUseApis").asBoolean());
        }
        if (json.has("oneLakeExternalApps")) {
            t.setOneLakeExternalApps(json.get("oneLakeExternalApps").asBoolean());
        }
        if (json.has("servicePrincipalsCanUseReadOnlyAdminApis")) {
            t.setServicePrincipalsCanUseReadOnlyAdminApis(
                    json.get("servicePrincipalsCanUseReadOnlyAdminApis").asBoolean());
        }
        ex.sendEmpty(204);
    }

    /**
     * Body: one activity event object or an array of them ({@code ActivityEventEntity} keys; {@code Activity} required,
     * {@code Id}, {@code CreationTime} (default now), {@code RecordType}, {@code Workload} filled in). 201 with the
     * stored events.
     */
    private void addActivity(SandboxExchange ex) throws IOException {
        JsonNode json;
        try {
            json = ex.jsonBody();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !(json.isObject() || json.isArray())) {
            throw new IllegalArgumentException("body must be an activity event object or an array of them");
        }
        ObjectNode body = Json.object();
        var added = body.putArray("events");
        for (JsonNode node : json.isArray() ? json : List.of(json)) {
            added.add(powerBi.activityLog().add(node).json());
        }
        ex.sendJson(201, body);
    }

    /** Body {@code {"isOnDedicatedCapacity": true, "addMembers": [clientId], "removeMembers": [clientId]}}. */
    private void workspace(SandboxExchange ex) throws IOException {
        Workspace w = powerBi.findWorkspace(ex.pathParam("workspaceId"))
                .orElseThrow(() -> new IllegalArgumentException("no workspace " + ex.pathParam("workspaceId")));
        JsonNode json = object(ex);
        if (json.has("isOnDedicatedCapacity")) {
            w.setOnDedicatedCapacity(json.get("isOnDedicatedCapacity").asBoolean());
        }
        json.path("addMembers").forEach(m -> w.addMember(m.asText()));
        json.path("removeMembers").forEach(m -> w.removeMember(m.asText()));
        if (json.has("lastModified")) {
            w.touch(PowerBiAdminApi.dateTime(
                    "lastModified", json.get("lastModified").asText()));
        }
        if (json.has("type")) {
            w.setType(json.get("type").asText());
        }
        if (json.has("state")) {
            w.setState(json.get("state").asText());
        }
        ex.sendEmpty(204);
    }

    static ObjectNode behaviourJson(Dataset.RefreshBehaviour b) {
        ObjectNode json = Json.object();
        if (b.duration() != null) {
            json.put("durationSeconds", b.duration().toMillis() / 1000.0);
        }
        json.put("outcome", b.outcome());
        if (b.error() != null) {
            json.set("serviceExceptionJson", b.error());
        }
        return json;
    }

    private static JsonNode object(SandboxExchange ex) throws IOException {
        JsonNode json;
        try {
            json = ex.jsonBody();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object");
        }
        return json;
    }

    private ObjectNode clockJson() {
        ObjectNode node = Json.object();
        node.put("now", clock.now().toString());
        node.put("offsetSeconds", clock.offset().toSeconds());
        return node;
    }

    private static ObjectNode error(String message) {
        ObjectNode node = Json.object();
        node.putObject("error").put("message", message);
        return node;
    }
}
