package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Power BI REST API under {@code /v1.0/myorg}. Each concept (groups, datasets, refreshes, exports, ...) is a
 * {@link Module} registering its routes; wrap handlers with {@link #authenticated} to get Power BI's headers, the
 * wrong-cluster redirect and bearer validation. To add endpoints: write a module and list it in
 * {@link #register(Router)}.
 *
 * <p>Also the run-time state the modules share: the current {@link LimitsConfig} and {@link ApiSettings}, the blob
 * store of upload locations, the executeQueries rate windows and the sandbox clock.
 */
public final class PowerBiApi {

    public static final String BASE_PATH = "/v1.0/myorg";
    /** Prefix of every workspace-scoped route. */
    static final String GROUP = BASE_PATH + "/groups/{groupId}";

    private static final Logger LOG = LoggerFactory.getLogger(PowerBiApi.class);

    /** One group of endpoints. */
    public interface Module {
        void register(Router router, PowerBiApi api);
    }

    /** A handler that runs after the bearer token was validated. */
    @FunctionalInterface
    public interface AuthenticatedHandler {
        void handle(SandboxExchange exchange, Caller caller) throws Exception;
    }

    private final SandboxConfig config;
    private final SandboxState state;
    private final BearerValidator bearerValidator;
    private final SandboxClock clock;
    private final AtomicReference<LimitsConfig> limits;
    private final AtomicReference<ApiSettings> settings;
    private final BlobStore blobs = new BlobStore();
    private final Map<String, RateWindow> queryWindows = new ConcurrentHashMap<>();
    private final AtomicLong throttledQueries = new AtomicLong();
    private final AtomicLong refreshIds = new AtomicLong(4_700_000);
    private volatile CountDownLatch postRowsGate;
    private final ActivityLog activityLog;
    private final Map<String, ScanJob> scans = new ConcurrentHashMap<>();
    private final Map<String, RateWindow> adminWindows = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> adminCalls = new ConcurrentHashMap<>();
    private final AtomicLong throttledAdminCalls = new AtomicLong();
    private volatile int storagePort;

    PowerBiApi(SandboxConfig config, SandboxState state, BearerValidator bearerValidator, SandboxClock clock) {
        this.config = config;
        this.state = state;
        this.bearerValidator = bearerValidator;
        this.clock = clock;
        this.limits = new AtomicReference<>(config.limits());
        this.settings = new AtomicReference<>(config.settings());
        this.activityLog = new ActivityLog(
                () -> settings().activityEvents(),
                clock,
                () -> state.tenant(Sandbox.DEV_TENANT_ID)
                        .orElseGet(() -> state.tenants().isEmpty()
                                ? null
                                : state.tenants().get(0)));
    }

    /** The on-premises gateways: their key pairs and the credentials set on their data sources. */
    final GatewaysApi gateways = new GatewaysApi();

    void register(Router router) {
        for (Module module : List.<Module>of(
                new GroupsApi(),
                new DatasetsApi(),
                new RefreshesApi(),
                new QueriesApi(),
                new ReportsApi(),
                new ImportsApi(),
                new PowerBiAdminApi(),
                new DatasetSettingsApi(),
                new WorkspaceUsersApi(),
                new DataflowsApi(),
                gateways)) {
            module.register(router, this);
        }
        new BlobEndpoint(this).register(router);
    }

    public SandboxState state() {
        return state;
    }

    public SandboxConfig config() {
        return config;
    }

    public BearerValidator bearerValidator() {
        return bearerValidator;
    }

    public SandboxClock clock() {
        return clock;
    }

    /** The limits in force now. */
    public LimitsConfig limits() {
        return limits.get();
    }

    public void setLimits(LimitsConfig value) {
        limits.set(java.util.Objects.requireNonNull(value));
        LOG.info("limits now {}", value);
    }

    /** The asynchronous-operation settings in force now. */
    public ApiSettings settings() {
        return settings.get();
    }

    public void setSettings(ApiSettings value) {
        settings.set(java.util.Objects.requireNonNull(value));
        LOG.info("settings now {}", value);
    }

    BlobStore blobs() {
        return blobs;
    }

    long nextRefreshId() {
        return refreshIds.incrementAndGet();
    }

    /** The executeQueries window of one caller (120 per minute per user). */
    RateWindow queryWindow(String callerId) {
        return queryWindows.computeIfAbsent(
                callerId == null ? "" : callerId.toLowerCase(Locale.ROOT), k -> new RateWindow());
    }

    void countThrottledQuery() {
        throttledQueries.incrementAndGet();
    }

    /** executeQueries requests answered 429. */
    public long throttledQueryCount() {
        return throttledQueries.get();
    }

    /** The activity log of {@code GET admin/activityevents}. */
    public ActivityLog activityLog() {
        return activityLog;
    }

    /** Scans by id (all tenants). */
    Map<String, ScanJob> scanJobs() {
        return scans;
    }

    /** Every scan requested since the start (or the last reset). */
    public java.util.List<ScanJob> scans() {
        return java.util.List.copyOf(scans.values());
    }

    /** A rate window of an admin endpoint, by key (e.g. {@code "activityevents|" + tenant + "|" + app}). */
    RateWindow adminWindow(String key) {
        return adminWindows.computeIfAbsent(key.toLowerCase(Locale.ROOT), k -> new RateWindow());
    }

    void countAdminCall(String endpoint) {
        adminCalls.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet();
    }

    void countThrottledAdminCall() {
        throttledAdminCalls.incrementAndGet();
    }

    /** Admin API calls received per endpoint ({@code activityevents}, {@code groups}, {@code getInfo}, ...). */
    public Map<String, Long> adminCallCounts() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        adminCalls.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    /** Admin API calls answered 429. */
    public long throttledAdminCallCount() {
        return throttledAdminCalls.get();
    }

    /**
     * Holds POST rows requests after they were admitted (they stay pending) until {@link #resumePostRows()}: a test
     * can then fill the five pending slots deterministically.
     */
    public synchronized void pausePostRows() {
        if (postRowsGate == null) {
            postRowsGate = new CountDownLatch(1);
        }
    }

    public synchronized void resumePostRows() {
        CountDownLatch gate = postRowsGate;
        postRowsGate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    CountDownLatch postRowsGate() {
        return postRowsGate;
    }

    /** Back to the configured limits and settings, no blobs, fresh query windows. */
    void reset() {
        limits.set(config.limits());
        settings.set(config.settings());
        blobs.clear();
        queryWindows.clear();
        throttledQueries.set(0);
        activityLog.clearRecorded();
        scans.clear();
        adminWindows.clear();
        adminCalls.clear();
        throttledAdminCalls.set(0);
        resumePostRows();
    }

    // ------------------------------------------------------------------ request helpers

    /**
     * Adds Power BI's response headers, redirects when the "wrong cluster" toggle is on, validates the bearer token,
     * then runs {@code handler}.
     */
    public RouteHandler authenticated(AuthenticatedHandler handler) {
        return ex -> {
            headers(ex);
            if (settings().wrongCluster()) {
                if ("true".equalsIgnoreCase(ex.query("preferClientRouting"))) {
                    redirectToHomeCluster(ex);
                    return;
                }
                ex.setResponseHeader("request-redirected", "true");
            }
            Caller caller = bearerValidator.authenticate(ex);
            ServedCall served = ServedCall.of(ex.method(), ex.path(), this, caller);
            if (served != null) {
                // recorded before the answer leaves: a client that asks again at once must see the change
                ex.beforeResponse(status -> {
                    if (status >= 200 && status < 300) {
                        served.record(ex, caller, this);
                    }
                });
            }
            handler.handle(ex, caller);
        };
    }

    /**
     * What a served call leaves behind: an activity event and, for changes, a new modification time of its workspace
     * (GET admin/workspaces/modified). Looked up before the handler runs, so a deleted dataset still has its name.
     */
    private record ServedCall(String activity, boolean modifies, Workspace workspace, Dataset dataset, Report report) {

        static ServedCall of(String method, String rawPath, PowerBiApi api, Caller caller) {
            if (!rawPath.regionMatches(true, 0, BASE_PATH + "/groups/", 0, BASE_PATH.length() + 8)) {
                return null;
            }
            String[] p = rawPath.substring(BASE_PATH.length() + 1).split("/");
            if (p.length < 3) {
                return null;
            }
            String m = method.toUpperCase(Locale.ROOT);
            String kind = p[2].toLowerCase(Locale.ROOT);
            String tail = p.length > 4
                    ? String.join("/", java.util.Arrays.copyOfRange(p, 4, p.length))
                            .toLowerCase(Locale.ROOT)
                    : "";
            String activity = null;
            boolean modifies = !m.equals("GET");
            // guess: the activity names of API calls (the audit documentation lists names, not which call logs which)
            if (kind.equals("datasets")) {
                if (p.length == 3 && m.equals("POST")) {
                    activity = "CreateDataset";
                } else if (p.length == 4 && m.equals("DELETE")) {
                    activity = "DeleteDataset";
                } else if (tail.matches("tables/[^/]+/rows") && m.equals("POST")) {
                    activity = "AddRowsToDataset"; // guess
                } else if (tail.matches("tables/[^/]+/rows") && m.equals("DELETE")) {
                    activity = "DeleteRowsFromDataset"; // guess
                } else if (tail.matches("tables/[^/]+") && m.equals("PUT")) {
                    activity = "UpdateDatasetTable"; // guess
                } else if (tail.equals("refreshes") && m.equals("POST")) {
                    activity = "RefreshDataset";
                } else if (tail.startsWith("refreshes/") && m.equals("DELETE")) {
                    activity = "CancelDatasetRefresh"; // guess
                } else if (tail.equals("executequeries") && m.equals("POST")) {
                    activity = "ExecuteQueries"; // guess
                    modifies = false;
                }
            } else if (kind.equals("reports") && tail.equals("exportto") && m.equals("POST")) {
                activity = "ExportReport"; // guess: ExportReport rather than ExportArtifact
                modifies = false;
            } else if (kind.equals("imports") && p.length == 3 && m.equals("POST")) {
                activity = "Import";
            } else if (kind.equals("imports")) {
                modifies = false;
            }
            if (activity == null && !modifies) {
                return null;
            }
            Workspace w =
                    caller.tenant().workspace(SandboxExchange.decode(p[1])).orElse(null);
            if (w == null) {
                return null;
            }
            Dataset d = kind.equals("datasets") && p.length > 3
                    ? w.dataset(SandboxExchange.decode(p[3])).orElse(null)
                    : null;
            Report r = kind.equals("reports") && p.length > 3
                    ? w.report(SandboxExchange.decode(p[3])).orElse(null)
                    : null;
            if (r != null && r.datasetId() != null) {
                d = w.dataset(r.datasetId()).orElse(null);
            }
            return new ServedCall(activity, modifies, w, d, r);
        }

        void record(SandboxExchange ex, Caller caller, PowerBiApi api) {
            if (modifies) {
                workspace.touch(api.now());
            }
            if (activity != null) {
                Dataset d = dataset;
                if (d == null && activity.equals("CreateDataset")) {
                    // the new dataset is the workspace's last one
                    java.util.List<Dataset> all = workspace.datasets();
                    d = all.isEmpty() ? null : all.get(all.size() - 1);
                }
                api.activityLog.recordServed(ex, caller, activity, workspace, d, report);
            }
        }
    }

    /**
     * With preferClientRouting (https://learn.microsoft.com/en-us/power-bi/developer/embedded/troubleshoot-rest-api): the request reached a cluster that does not hold the tenant; 307 to the same path without
     * {@code preferClientRouting} on the home cluster, another host name ({@link #clusterOrigin}), as the service's
     * examples redirect to {@code wabi-…-redirect.analysis.windows.net}. A client that drops its token on every host
     * change gets 401 there.
     */
    private static void redirectToHomeCluster(SandboxExchange ex) throws IOException {
        String raw = ex.requestUri().getRawQuery();
        StringBuilder query = new StringBuilder();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String key = SandboxExchange.decode(pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair);
                if (!pair.isEmpty() && !key.equalsIgnoreCase("preferClientRouting")) {
                    query.append(query.length() == 0 ? "?" : "&").append(pair);
                }
            }
        }
        ex.setResponseHeader("Location", clusterOrigin(ex) + ex.path() + query);
        LOG.info("{} {}: 307 to the home cluster (wrongCluster is on)", ex.method(), ex.path());
        ex.sendEmpty(307);
    }

    /** Every Power BI response carries RequestId and home-cluster-uri (https://learn.microsoft.com/en-us/power-bi/developer/embedded/troubleshoot-rest-api). */
    public void headers(SandboxExchange ex) {
        ex.setResponseHeader("RequestId", ex.requestId());
        ex.setResponseHeader("home-cluster-uri", config.homeClusterUri());
        ex.setResponseHeader("Access-Control-Expose-Headers", "RequestId");
    }

    /** {@code https://HOST:PORT/v1.0/myorg/$metadata#...} as the client addressed the sandbox. */
    public static String odataContext(SandboxExchange ex, String fragment) {
        return ex.origin() + BASE_PATH + "/$metadata#" + fragment;
    }

    /** Power BI's list shape: {@code {"@odata.context": ..., "value": [...]}}. */
    static ObjectNode odataList(SandboxExchange ex, String fragment, Stream<? extends JsonNode> items) {
        ObjectNode body = Json.object();
        body.put("@odata.context", odataContext(ex, fragment));
        ArrayNode value = body.putArray("value");
        items.forEach(value::add);
        return body;
    }

    /** Power BI's single-entity shape: the entity's fields beside {@code @odata.context} ({@code .../$entity}). */
    static ObjectNode odataEntity(SandboxExchange ex, String fragment, ObjectNode entity) {
        ObjectNode body = Json.object();
        body.put("@odata.context", odataContext(ex, fragment + "/$entity"));
        body.setAll(entity);
        return body;
    }

    /**
     * GET {@code groups/{groupId}/<collection>}: the items of the path's workspace (the caller a member), in Power BI's
     * list shape.
     */
    RouteHandler workspaceList(
            String collection, java.util.function.BiFunction<Workspace, Caller, Stream<? extends JsonNode>> items) {
        return authenticated((ex, caller) -> {
            Workspace w = workspace(ex, caller);
            ex.sendJson(200, odataList(ex, "groups/" + w.id() + "/" + collection, items.apply(w, caller)));
        });
    }

    /** The workspace of the path's {@code groupId}, which the caller must be a member of. */
    Workspace workspace(SandboxExchange ex, Caller caller) {
        return WorkspaceAccess.requireMember(caller, ex.pathParam("groupId"));
    }

    /** The (published) dataset of the path's {@code datasetId}, else 404 PowerBIEntityNotFound. */
    Dataset dataset(SandboxExchange ex, Workspace workspace) {
        return workspace
                .visibleDataset(ex.pathParam("datasetId"), clock.now())
                .orElseThrow(() -> PowerBiError.entityNotFound().exception());
    }

    /** The (published) report of the path's {@code reportId}, else 404 PowerBIEntityNotFound. */
    Report report(SandboxExchange ex, Workspace workspace) {
        return workspace
                .visibleReport(ex.pathParam("reportId"), clock.now())
                .orElseThrow(() -> PowerBiError.entityNotFound().exception());
    }

    /** The request body as JSON; invalid JSON is a 400 in {@code {"error":{"code","message"}}} shape (guess). */
    static com.fasterxml.jackson.databind.JsonNode jsonBody(SandboxExchange ex) throws IOException {
        try {
            return ex.jsonBody();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw PowerBiError.badRequest(
                            "InvalidRequest", "The request body is not valid JSON: " + e.getOriginalMessage())
                    .exception();
        }
    }

    /**
     * The origin for blob URLs (upload locations, export downloads): the storage listener's port under the other
     * loopback name of the host the client used ({@code localhost} for {@code 127.0.0.1} and the reverse), so neither
     * the API's origin nor the home cluster's ({@link #clusterOrigin}): a client must not send its bearer token there,
     * as with real blob storage on another host. Other host names are kept (with the storage port).
     */
    String blobOrigin(SandboxExchange ex) {
        return ex.scheme() + "://" + otherLoopbackName(hostName(ex.host())) + ":" + storagePort;
    }

    /**
     * The "home cluster" a {@code preferClientRouting} request is redirected to: the same listener under the other
     * loopback name, a host change as with the service's {@code wabi-…-redirect.analysis.windows.net}.
     */
    static String clusterOrigin(SandboxExchange ex) {
        String host = ex.host();
        String name = hostName(host);
        return ex.scheme() + "://" + otherLoopbackName(name) + host.substring(name.length());
    }

    /** {@code localhost} for {@code 127.0.0.1} or {@code [::1]}, {@code 127.0.0.1} for {@code localhost}, else itself. */
    static String otherLoopbackName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "127.0.0.1", "[::1]" -> "localhost";
            case "localhost" -> "127.0.0.1";
            default -> name;
        };
    }

    /** The host of a {@code Host} header without its port. */
    private static String hostName(String host) {
        int colon = host.lastIndexOf(':');
        return colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
    }

    void storagePort(int port) {
        this.storagePort = port;
    }

    /** All workspaces of the tenant, for capacity-wide counts. */
    static List<Workspace> tenantWorkspaces(Caller caller) {
        return caller.tenant().workspaces();
    }

    /** The dataset with this id in any workspace of any tenant. */
    Optional<Dataset> findDataset(String datasetId) {
        return state.tenants().stream()
                .flatMap(t -> t.workspaces().stream())
                .flatMap(w -> w.dataset(datasetId).stream())
                .findFirst();
    }

    Optional<Report> findReport(String reportId) {
        return state.tenants().stream()
                .flatMap(t -> t.workspaces().stream())
                .flatMap(w -> w.report(reportId).stream())
                .findFirst();
    }

    Optional<Workspace> findWorkspace(String workspaceId) {
        return state.tenants().stream()
                .flatMap(t -> t.workspace(workspaceId).stream())
                .findFirst();
    }

    Instant now() {
        return clock.now();
    }

    /**
     * An unknown path under {@code /v1.0/}: authenticate first (as the service does), then 404. guess: the body of
     * ASP.NET's "no resource" answer.
     */
    void notFound(SandboxExchange ex) throws IOException {
        headers(ex);
        bearerValidator.authenticate(ex);
        ex.sendJson(
                404,
                PowerBiError.codeMessage(
                        "NotFound",
                        "No HTTP resource was found that matches the request URI '" + ex.origin() + ex.path() + "'."));
    }
}
