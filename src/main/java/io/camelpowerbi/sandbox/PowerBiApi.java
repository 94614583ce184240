package io.camelpowerbi.sandbox;

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

    PowerBiApi(SandboxConfig config, SandboxState state, BearerValidator bearerValidator, SandboxClock clock) {
        this.config = config;
        this.state = state;
        this.bearerValidator = bearerValidator;
        this.clock = clock;
        this.limits = new AtomicReference<>(config.limits());
        this.settings = new AtomicReference<>(config.settings());
    }

    void register(Router router) {
        for (Module module : List.<Module>of(new GroupsApi(), new DatasetsApi(), new RefreshesApi(), new QueriesApi(),
                new ReportsApi(), new ImportsApi())) {
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
        return queryWindows.computeIfAbsent(callerId == null ? "" : callerId.toLowerCase(Locale.ROOT),
                k -> new RateWindow());
    }

    void countThrottledQuery() {
        throttledQueries.incrementAndGet();
    }

    /** executeQueries requests answered 429. */
    public long throttledQueryCount() {
        return throttledQueries.get();
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
            handler.handle(ex, caller);
        };
    }

    /**
     * §15 row 36: the request reached a cluster that does not hold the tenant; 307 to the same URL without
     * {@code preferClientRouting}, so a client follows it with its token (the sandbox's "home cluster" is itself).
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
        ex.setResponseHeader("Location", ex.origin() + ex.path() + query);
        LOG.info("{} {}: 307 to the home cluster (wrongCluster is on)", ex.method(), ex.path());
        ex.sendEmpty(307);
    }

    /** Every Power BI response carries RequestId and home-cluster-uri (powerbi-rest-api.md §2, §15 row 36). */
    public void headers(SandboxExchange ex) {
        ex.setResponseHeader("RequestId", ex.requestId());
        ex.setResponseHeader("home-cluster-uri", config.homeClusterUri());
        ex.setResponseHeader("Access-Control-Expose-Headers", "RequestId");
    }

    /** {@code https://HOST:PORT/v1.0/myorg/$metadata#...} as the client addressed the sandbox. */
    public static String odataContext(SandboxExchange ex, String fragment) {
        return ex.origin() + BASE_PATH + "/$metadata#" + fragment;
    }

    /** The workspace of the path's {@code groupId}, which the caller must be a member of. */
    Workspace workspace(SandboxExchange ex, Caller caller) {
        return WorkspaceAccess.requireMember(caller, ex.pathParam("groupId"));
    }

    /** The (published) dataset of the path's {@code datasetId}, else 404 PowerBIEntityNotFound. */
    Dataset dataset(SandboxExchange ex, Workspace workspace) {
        return workspace.visibleDataset(ex.pathParam("datasetId"), clock.now())
                .orElseThrow(() -> PowerBiError.entityNotFound().exception());
    }

    /** The (published) report of the path's {@code reportId}, else 404 PowerBIEntityNotFound. */
    Report report(SandboxExchange ex, Workspace workspace) {
        return workspace.visibleReport(ex.pathParam("reportId"), clock.now())
                .orElseThrow(() -> PowerBiError.entityNotFound().exception());
    }

    /** The request body as JSON; invalid JSON is a 400 in {@code {"error":{"code","message"}}} shape (guess). */
    static com.fasterxml.jackson.databind.JsonNode jsonBody(SandboxExchange ex) throws IOException {
        try {
            return ex.jsonBody();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw PowerBiError.badRequest("InvalidRequest", "The request body is not valid JSON: "
                    + e.getOriginalMessage()).exception();
        }
    }

    /**
     * The origin for blob URLs (upload locations, export downloads): the other loopback name of the host the client
     * used ({@code localhost} for {@code 127.0.0.1} and the reverse), so a client that adds its bearer token only for
     * the API host does not send it there, as with real blob storage on another host. Other hosts are kept.
     */
    static String blobOrigin(SandboxExchange ex) {
        String host = ex.host();
        String name = host;
        String port = "";
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            name = host.substring(0, colon);
            port = host.substring(colon);
        }
        String alias = switch (name.toLowerCase(Locale.ROOT)) {
            case "127.0.0.1", "[::1]" -> "localhost";
            case "localhost" -> "127.0.0.1";
            default -> name;
        };
        return ex.scheme() + "://" + alias + port;
    }

    /** All workspaces of the tenant, for capacity-wide counts. */
    static List<Workspace> tenantWorkspaces(Caller caller) {
        return caller.tenant().workspaces();
    }

    /** The dataset with this id in any workspace of any tenant. */
    Optional<Dataset> findDataset(String datasetId) {
        return state.tenants().stream().flatMap(t -> t.workspaces().stream())
                .flatMap(w -> w.dataset(datasetId).stream()).findFirst();
    }

    Optional<Report> findReport(String reportId) {
        return state.tenants().stream().flatMap(t -> t.workspaces().stream())
                .flatMap(w -> w.report(reportId).stream()).findFirst();
    }

    Optional<Workspace> findWorkspace(String workspaceId) {
        return state.tenants().stream().flatMap(t -> t.workspace(workspaceId).stream()).findFirst();
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
        ex.sendJson(404, PowerBiError.codeMessage("NotFound",
                "No HTTP resource was found that matches the request URI '" + ex.origin() + ex.path() + "'."));
    }
}
