package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Fabric REST API on its own listener (as {@code api.fabric.microsoft.com} is another host than Power BI's), with
 * the state it shares with OneLake: the lakehouses and the Load Table operations. Answers as Fabric's OpenAPI says
 * (microsoft/fabric-rest-api-specs: lakehouse/swagger.json, platform/swagger.json, common/definitions.json):
 * <ul>
 * <li>{@code GET /v1/workspaces} ({@code Workspaces_ListWorkspaces}, pages of {@link #PAGE} with
 * {@code continuationToken}/{@code continuationUri}): the workspaces the app is a member of;</li>
 * <li>{@code GET /v1/workspaces/{w}/lakehouses}, {@code GET .../lakehouses/{l}}, {@code GET .../lakehouses/{l}/tables}
 * (a schema-enabled lakehouse answers 400 {@code UnsupportedOperationForSchemasEnabledLakehouse}, as clients of the live
 * service report it);</li>
 * <li>{@code POST .../lakehouses/{l}/tables/{table}/load} ({@code Tables_LoadTable}): 202 with {@code Location},
 * {@code x-ms-operation-id} and {@code Retry-After}; the same 400 for a schema-enabled lakehouse;</li>
 * <li>{@code GET /v1/operations/{id}} and {@code GET /v1/operations/{id}/result}, also without {@code /v1}: while an
 * operation runs its {@code Location} is {@code {origin}/operations/{id}}, once it succeeded
 * {@code {origin}/operations/{id}/result}, both without {@code /v1}, as Microsoft's own examples show them
 * (platform/examples GetLongRunningOperationStateRunning.json, ...Completed.json).</li>
 * </ul>
 * Tokens must be for {@value #AUDIENCE} (a Power BI or storage token is refused: each host takes its own audience), and
 * the tenant switch "Service principals can call Fabric public APIs" (the sandbox's {@code servicePrincipalsCanUseApis},
 * the same switch Power BI's API checks) must let the app in. 429s come from fault rules.
 */
public final class FabricApi {

    /** The Fabric API's token audience; the v2 scope is this plus {@code /.default}. */
    public static final String AUDIENCE = "https://api.fabric.microsoft.com";
    /** Workspaces per page of {@code GET /v1/workspaces} (guess: the service's page size is not documented). */
    static final int PAGE = 100;
    /** Fabric's {@code tableName} pattern (lakehouse swagger, Tables_LoadTable). */
    static final Pattern TABLE_NAME = Pattern.compile("^(?=[0-9]*[a-zA-Z_])[a-zA-Z0-9_]{1,256}$");
    /** Fabric's {@code relativePath} pattern (lakehouse definitions, LoadTableRequest). */
    static final Pattern RELATIVE_PATH =
            Pattern.compile("^Files(\\/[\\p{L}\\w]{1}([ \\p{L}\\w\\.-]*[\\p{L}\\w\\.-]{1})*)*$");

    private static final Logger LOG = LoggerFactory.getLogger(FabricApi.class);

    private final SandboxState state;
    private final BearerValidator bearer;
    private final SandboxClock clock;
    private final Map<String, List<Lakehouse>> lakehouses = new ConcurrentHashMap<>();
    private final Map<String, LoadTableJob> jobs = new ConcurrentHashMap<>();
    private volatile Duration loadDuration = Duration.ofMillis(1500);
    private volatile int oneLakePort;

    FabricApi(SandboxState state, BearerValidator bearer, SandboxClock clock) {
        this.state = state;
        this.bearer = bearer;
        this.clock = clock;
        seed();
    }

    void register(Router router) {
        router.get("/v1/workspaces", authenticated(this::workspaces));
        String lakehouse = "/v1/workspaces/{workspaceId}/lakehouses/{lakehouseId}";
        router.get("/v1/workspaces/{workspaceId}/lakehouses", authenticated(this::lakehouses));
        router.get(lakehouse, authenticated(this::lakehouse));
        router.get(lakehouse + "/tables", authenticated(this::tables));
        router.post(lakehouse + "/tables/{tableName}/load", authenticated(this::load));
        for (String base : List.of("/v1/operations/{operationId}", "/operations/{operationId}")) {
            router.get(base, authenticated(this::operation));
            router.get(base + "/result", authenticated(this::result));
        }
    }

    // ------------------------------------------------------------------ state

    /**
     * The development tenant's Fabric content, in "Sales Analytics": lakehouse "Sales Lakehouse"
     * ({@link Sandbox#LAKEHOUSE_SALES}, no tables yet), the schema-enabled "Sales Lakehouse Schemas"
     * ({@link Sandbox#LAKEHOUSE_SCHEMAS}, default schema {@code dbo}) and the Direct Lake semantic model "Sales
     * Lakehouse Model" ({@link Sandbox#DATASET_SALES_LAKEHOUSE_MODEL}) over the first.
     */
    private void seed() {
        Optional<Workspace> sales =
                state.tenant(Sandbox.DEV_TENANT_ID).flatMap(t -> t.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS));
        if (sales.isEmpty()) {
            return;
        }
        Workspace w = sales.get();
        Instant now = clock.now();
        Lakehouse plain = add(new Lakehouse(
                Sandbox.LAKEHOUSE_SALES, w.id(), "Sales Lakehouse", null, "f1c2d3e4-5a6b-4c7d-8e9f-0a1b2c3d4e5f", now));
        add(new Lakehouse(
                Sandbox.LAKEHOUSE_SCHEMAS,
                w.id(),
                "Sales Lakehouse Schemas",
                "dbo",
                "a9b8c7d6-e5f4-4a3b-9c2d-1e0f9a8b7c6d",
                now));
        if (w.dataset(Sandbox.DATASET_SALES_LAKEHOUSE_MODEL).isEmpty()) {
            Dataset model = new Dataset(
                    Sandbox.DATASET_SALES_LAKEHOUSE_MODEL,
                    w.id(),
                    "Sales Lakehouse Model",
                    false,
                    null,
                    null,
                    Sandbox.DEV_CLIENT_ID,
                    now);
            model.directLake(plain);
            w.addDataset(model);
        }
    }

    /** Back to the seeded content: lakehouses with no files but their two folders and no tables, no operations. */
    void reset() {
        lakehouses.clear();
        jobs.clear();
        loadDuration = Duration.ofMillis(1500);
        seed();
    }

    /** Adds a lakehouse to its workspace. */
    Lakehouse add(Lakehouse lakehouse) {
        lakehouses
                .computeIfAbsent(lakehouse.workspaceId(), k -> new CopyOnWriteArrayList<>())
                .add(lakehouse);
        return lakehouse;
    }

    /** The lakehouses of a workspace, in the order they were added. */
    List<Lakehouse> lakehouses(String workspaceId) {
        return List.copyOf(lakehouses.getOrDefault(workspaceId.toLowerCase(Locale.ROOT), List.of()));
    }

    /** The lakehouse of a workspace by id, or by name with the {@code .Lakehouse} suffix OneLake paths may use. */
    Optional<Lakehouse> lakehouse(String workspaceId, String idOrName) {
        String key = idOrName.toLowerCase(Locale.ROOT);
        String name = key.endsWith(".lakehouse") ? key.substring(0, key.length() - ".lakehouse".length()) : null;
        return lakehouses(workspaceId).stream()
                .filter(l -> l.id().equals(key) || name != null && l.name().equalsIgnoreCase(name))
                .findFirst();
    }

    /** The lakehouse with this id in any workspace. */
    Optional<Lakehouse> findLakehouse(String lakehouseId) {
        return lakehouses.values().stream()
                .flatMap(List::stream)
                .filter(l -> l.id().equalsIgnoreCase(lakehouseId))
                .findFirst();
    }

    /** How long Load Table operations take from now on. */
    void setLoadDuration(Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException("loadDuration must not be negative");
        }
        loadDuration = value;
    }

    Duration loadDuration() {
        return loadDuration;
    }

    /** Every Load Table operation since the start or the last reset. */
    List<LoadTableJob> loadJobs() {
        return List.copyOf(jobs.values());
    }

    void oneLakePort(int port) {
        oneLakePort = port;
    }

    /** OneLake's origin as a client of this listener reaches it: the same host name, OneLake's port. */
    String oneLakeOrigin(SandboxExchange ex) {
        String host = ex.host();
        int colon = host.lastIndexOf(':');
        String name = colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
        return ex.scheme() + "://" + name + ":" + oneLakePort;
    }

    // ------------------------------------------------------------------ requests

    @FunctionalInterface
    interface Handler {
        void handle(SandboxExchange ex, Caller caller) throws Exception;
    }

    /** Every Fabric answer carries a {@code RequestId} (guess: the header's name; Power BI's has it). */
    static void headers(SandboxExchange ex) {
        ex.setResponseHeader("RequestId", ex.requestId());
    }

    private RouteHandler authenticated(Handler handler) {
        return ex -> {
            headers(ex);
            Caller caller;
            try {
                caller = bearer.verify(ex, List.of(AUDIENCE));
            } catch (BearerValidator.Refused r) {
                LOG.info("Fabric request {} {} refused: {}", ex.method(), ex.path(), r.getMessage());
                // guess: the codes; Fabric documents 401 without them
                throw switch (r.refusal()) {
                    case EXPIRED ->
                        new FabricError(
                                401, "TokenExpired", "Access token has expired, resubmit with a new " + "access token");
                    case WRONG_AUDIENCE ->
                        new FabricError(401, "InvalidToken", "The access token's audience is not " + AUDIENCE);
                    default -> new FabricError(401, "Unauthorized", "The request has no valid access token");
                };
            }
            if (caller.isApp() && !caller.tenant().servicePrincipalsCanUseApis()) {
                LOG.info(
                        "Fabric request {} {} refused: tenant {} does not let service principals call Fabric public "
                                + "APIs",
                        ex.method(),
                        ex.path(),
                        caller.tenant().id());
                // guess: status and code
                throw new FabricError(
                        401,
                        "Unauthorized",
                        "The tenant setting 'Service principals can call Fabric "
                                + "public APIs' does not allow this service principal");
            }
            handler.handle(ex, caller);
        };
    }

    private void workspaces(SandboxExchange ex, Caller caller) throws IOException {
        List<Workspace> member = caller.tenant().workspaces().stream()
                .filter(w -> w.isMember(caller.appId()))
                .toList();
        int offset = 0;
        String token = ex.query("continuationToken");
        if (token != null) {
            try {
                offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw FabricError.invalidRequest("The continuationToken is not valid.");
            }
        }
        ObjectNode body = Json.object();
        ArrayNode value = body.putArray("value");
        for (Workspace w : member.subList(Math.min(offset, member.size()), Math.min(offset + PAGE, member.size()))) {
            ObjectNode json = value.addObject();
            json.put("id", w.id());
            json.put("displayName", w.name());
            json.put("description", "");
            json.put("type", "Workspace");
            if (w.capacityId() != null) {
                json.put("capacityId", w.capacityId());
            }
        }
        if (offset + PAGE < member.size()) {
            String next = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(String.valueOf(offset + PAGE).getBytes(StandardCharsets.UTF_8));
            body.put("continuationToken", next);
            body.put("continuationUri", ex.origin() + "/v1/workspaces?continuationToken=" + next);
        }
        ex.sendJson(200, body);
    }

    private void lakehouses(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = workspace(ex, caller);
        ObjectNode body = Json.object();
        ArrayNode value = body.putArray("value");
        String origin = oneLakeOrigin(ex);
        lakehouses(w.id()).forEach(l -> value.add(l.json(origin)));
        ex.sendJson(200, body);
    }

    private void lakehouse(SandboxExchange ex, Caller caller) throws IOException {
        ex.sendJson(200, lakehouse(ex, workspace(ex, caller)).json(oneLakeOrigin(ex)));
    }

    private void tables(SandboxExchange ex, Caller caller) throws IOException {
        Lakehouse l = lakehouse(ex, workspace(ex, caller));
        refuseSchemas(l);
        ex.sendJson(200, l.tablesJson(oneLakeOrigin(ex)));
    }

    private void load(SandboxExchange ex, Caller caller) throws IOException {
        Lakehouse l = lakehouse(ex, workspace(ex, caller));
        String table = ex.pathParam("tableName");
        if (!TABLE_NAME.matcher(table).matches()) {
            // guess: the code (the swagger gives the pattern only)
            throw new FabricError(
                    400,
                    "InvalidTableName",
                    "The table name '" + ColumnType.abbreviate(table) + "' is "
                            + "invalid: letters, digits and underscores, at most 256, not digits only.");
        }
        JsonNode body;
        try {
            body = ex.jsonBody();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw FabricError.invalidRequest("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        validate(body);
        refuseSchemas(l);
        LoadTableJob job = new LoadTableJob(UUID.randomUUID().toString(), l, table, body, clock.now(), loadDuration);
        jobs.put(job.id(), job);
        LOG.info(
                "load of {} into table '{}' of lakehouse {} accepted as operation {}",
                body.path("relativePath").asText(),
                table,
                l.id(),
                job.id());
        ex.setResponseHeader("Location", ex.origin() + "/v1/operations/" + job.id());
        ex.setResponseHeader("x-ms-operation-id", job.id());
        ex.setResponseHeader("Retry-After", String.valueOf(job.secondsLeft(clock.now())));
        ex.sendEmpty(202);
    }

    /** The checks of {@code LoadTableRequest} (lakehouse definitions.json); guess: the code of a refusal. */
    private static void validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw FabricError.invalidRequest("The request body must be a LoadTableRequest object.");
        }
        String path = body.path("relativePath").asText(null);
        if (path == null || !RELATIVE_PATH.matcher(path).matches()) {
            throw FabricError.invalidRequest("relativePath is required and must be a path below Files/, was "
                    + (path == null ? "missing" : "'" + ColumnType.abbreviate(path) + "'") + ".");
        }
        if (!List.of("File", "Folder").contains(body.path("pathType").asText(""))) {
            throw FabricError.invalidRequest("pathType is required and must be File or Folder.");
        }
        if (body.has("mode")
                && !List.of("Overwrite", "Append").contains(body.path("mode").asText(""))) {
            throw FabricError.invalidRequest("mode must be Overwrite or Append.");
        }
        JsonNode format = body.get("formatOptions");
        if (format != null
                && !List.of("Csv", "Parquet").contains(format.path("format").asText(""))) {
            throw FabricError.invalidRequest("formatOptions.format is required and must be Csv or Parquet.");
        }
    }

    /** As clients of the live service report it; guess: the message. */
    private static void refuseSchemas(Lakehouse l) {
        if (l.isSchemaEnabled()) {
            throw new FabricError(
                    400,
                    "UnsupportedOperationForSchemasEnabledLakehouse",
                    "The operation is not " + "supported for a lakehouse with schemas enabled.");
        }
    }

    private void operation(SandboxExchange ex, Caller caller) throws IOException {
        LoadTableJob job = job(ex, caller);
        Instant now = clock.now();
        ObjectNode state = job.stateJson(now);
        String status = state.path("status").asText();
        ex.setResponseHeader("x-ms-operation-id", job.id());
        if (status.equals("NotStarted") || status.equals("Running")) {
            ex.setResponseHeader("Location", ex.origin() + "/operations/" + job.id());
            ex.setResponseHeader("Retry-After", String.valueOf(job.secondsLeft(now)));
        } else if (status.equals("Succeeded")) {
            ex.setResponseHeader("Location", ex.origin() + "/operations/" + job.id() + "/result");
        }
        ex.sendJson(200, state);
    }

    /** guess: Load Table leaves no result; 200 with an empty JSON object once it succeeded, 400 before. */
    private void result(SandboxExchange ex, Caller caller) throws IOException {
        LoadTableJob job = job(ex, caller);
        if (!"Succeeded".equals(job.status(clock.now()))) {
            throw new FabricError(400, "OperationNotSucceeded", "The operation has not succeeded; it has no result.");
        }
        ex.sendJson(200, Json.object());
    }

    private LoadTableJob job(SandboxExchange ex, Caller caller) {
        LoadTableJob job = jobs.get(ex.pathParam("operationId").toLowerCase(Locale.ROOT));
        if (job == null
                || caller.tenant().workspace(job.lakehouse().workspaceId()).isEmpty()) {
            throw FabricError.itemNotFound("operation");
        }
        return job;
    }

    private static Workspace workspace(SandboxExchange ex, Caller caller) {
        Workspace w =
                caller.tenant().workspace(ex.pathParam("workspaceId")).orElseThrow(FabricError::workspaceNotFound);
        if (!w.isMember(caller.appId())) {
            throw FabricError.insufficientPrivileges();
        }
        return w;
    }

    private Lakehouse lakehouse(SandboxExchange ex, Workspace w) {
        String id = ex.pathParam("lakehouseId");
        return lakehouses(w.id()).stream()
                .filter(l -> l.id().equalsIgnoreCase(id))
                .findFirst()
                .orElseThrow(() -> FabricError.itemNotFound("lakehouse"));
    }

    /** An unknown path on the Fabric listener. */
    static void notFound(SandboxExchange ex) throws IOException {
        new FabricError(404, "NotFound", "The requested resource " + ex.path() + " was not found.").writeTo(ex);
    }

    /** For {@code /_sandbox/state}: lakehouses with their files and tables, and the operations. */
    ObjectNode stateJson() {
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("lakehouses");
        lakehouses.values().stream().flatMap(List::stream).forEach(l -> {
            ObjectNode o = list.addObject();
            o.put("id", l.id()).put("name", l.name()).put("workspaceId", l.workspaceId());
            if (l.defaultSchema() != null) {
                o.put("defaultSchema", l.defaultSchema());
            }
            ArrayNode files = o.putArray("files");
            l.files().paths().forEach(files::add);
            ArrayNode tables = o.putArray("tables");
            l.tables().forEach(t -> tables.addObject().put("name", t.name()).put("rowCount", t.rowCount()));
        });
        ArrayNode ops = json.putArray("loadOperations");
        Instant now = clock.now();
        new ArrayList<>(jobs.values())
                .forEach(j -> ops.addObject()
                        .put("id", j.id())
                        .put("table", j.tableName())
                        .put("status", j.status(now)));
        return json;
    }
}
