package io.camelpowerbi.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelpowerbi.sandbox.ApiSettings;
import io.camelpowerbi.sandbox.FaultRule;
import io.camelpowerbi.sandbox.LimitsConfig;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.ScanJob;
import io.camelpowerbi.sandbox.Workspace;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code powerbi:scan} consumer against a sandbox with 250 generated workspaces besides the development tenant's
 * three (253 in all): YAML routes, counted against the calls and scans the sandbox served.
 */
class ScanConsumerTest {

    static final int EXTRA = 250;
    static final String FAST = "delay: 50, initialDelay: 0, scanPollInterval: 50";

    @TempDir
    static Path dir;

    static Sandbox sandbox;
    CamelContext context;

    /** What the route saw: workspace id -> deliveries, id -> last body, id -> headers. */
    final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();

    final Map<String, Map<String, Object>> bodies = new ConcurrentHashMap<>();
    final Map<String, Map<String, Object>> headers = new ConcurrentHashMap<>();
    final List<Throwable> handled = new CopyOnWriteArrayList<>();
    final AtomicInteger seen = new AtomicInteger();
    final AtomicLong throttled = new AtomicLong();
    /** The n-th exchange seen picks the workspace that then fails every time while failing is set. */
    volatile int failAt = -1;

    volatile boolean failing;
    volatile String failId;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults()
                .with(SandboxConfig::stateDir, dir.resolve("sandbox"))
                .with(SandboxConfig::extraWorkspaces, EXTRA));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void resetSandbox() {
        sandbox.reset();
        // a scan takes 300 ms of sandbox time: several are in flight at once, none holds a test up
        sandbox.setSettings(sandbox.settings().with(ApiSettings::scans, new ApiSettings.Scans(0.3, 24)));
    }

    @AfterEach
    void stopContext() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    Processor collector() {
        return exchange -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = exchange.getMessage().getBody(Map.class);
            String id = exchange.getMessage().getHeader(PowerBiConstants.WORKSPACE_ID, String.class);
            throttled.accumulateAndGet(
                    exchange.getMessage().getHeader(PowerBiConstants.SCAN_THROTTLED, Long.class), Math::max);
            if (seen.incrementAndGet() == failAt) {
                failId = id;
            }
            if (failing && id.equals(failId)) {
                throw new IllegalStateException("simulated failure on workspace " + id);
            }
            bodies.put(id, body);
            headers.put(id, new HashMap<>(exchange.getMessage().getHeaders()));
            deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        };
    }

    CamelContext route(String parameters) throws Exception {
        context = new DefaultCamelContext();
        PowerBiComponent component = new PowerBiComponent();
        component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
        context.addComponent("powerbi", component);
        context.getRegistry().bind("collector", collector());
        context.getRegistry().bind("sandboxClock", sandbox.clock());
        context.getRegistry().bind("handler", (ExceptionHandler) new ExceptionHandler() {
            @Override
            public void handleException(Throwable exception) {
                handled.add(exception);
            }

            @Override
            public void handleException(String message, Throwable exception) {
                handled.add(exception);
            }

            @Override
            public void handleException(String message, Exchange exchange, Throwable exception) {
                handled.add(exception);
            }
        });
        String yaml = """
                - route:
                    id: scan
                    from:
                      uri: powerbi:scan
                      parameters: { clock: "#sandboxClock", exceptionHandler: "#handler", %s }
                      steps:
                        - process: { ref: collector }
                """.formatted(parameters);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.camel.yaml", yaml));
        context.start();
        return context;
    }

    String stateFile(String name) {
        return "stateFile: \"" + dir.resolve(name + ".dat") + "\"";
    }

    ScanConsumer consumer() {
        return (ScanConsumer) context.getRoute("scan").getConsumer();
    }

    static List<Workspace> workspaces() {
        return sandbox.state().requireTenant(Sandbox.DEV_TENANT_ID).workspaces();
    }

    static Set<String> allIds() {
        return workspaces().stream().map(Workspace::id).collect(Collectors.toSet());
    }

    long calls(String endpoint) {
        return sandbox.adminCallCounts().getOrDefault(endpoint, 0L);
    }

    /** Waits until the run is over (checkpoint stored), then checks every workspace of {@code expected} came once. */
    void awaitRunDelivering(Set<String> expected) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> deliveries.keySet().containsAll(expected)
                        && consumer().state() != null
                        && !consumer().state().running()
                        && consumer().state().checkpoint() != null);
        assertEquals(expected, deliveries.keySet(), "missing or extra workspaces");
        List<String> duplicates = deliveries.entrySet().stream()
                .filter(e -> e.getValue().get() != 1)
                .map(Map.Entry::getKey)
                .toList();
        assertEquals(List.of(), duplicates, "workspaces delivered more than once");
    }

    /** The most scans that were running at one time, from the sandbox's scans (created .. succeeded). */
    static int maxInFlight(List<ScanJob> scans) {
        List<long[]> edges = new ArrayList<>();
        for (ScanJob s : scans) {
            edges.add(new long[] {s.createdAt().toEpochMilli() * 1000 + 1, 1});
            edges.add(new long[] {s.succeededAt().toEpochMilli() * 1000, -1}); // an end before a start at the same ms
        }
        edges.sort(Comparator.comparingLong(e -> e[0]));
        int running = 0;
        int max = 0;
        for (long[] e : edges) {
            running += (int) e[1];
            max = Math.max(max, running);
        }
        return max;
    }

    @Test
    void scansOver250WorkspacesInThreeBatchesEachDeliveredOnceWithItsContent() throws Exception {
        Instant before = sandbox.clock().now();
        route(FAST + ", lineage: true, datasourceDetails: true, datasetSchema: true, datasetExpressions: true,"
                + " getArtifactUsers: true, " + stateFile("full"));
        Set<String> expected = allIds();
        assertEquals(3 + EXTRA, expected.size());
        awaitRunDelivering(expected);

        // one modified call, 3 getInfo batches (100, 100, 53) covering everything, one result each
        assertEquals(1, calls("workspaces/modified"));
        assertEquals(3, calls("workspaces/getInfo"));
        assertEquals(3, calls("workspaces/scanResult"));
        List<ScanJob> scans = sandbox.scans();
        assertEquals(
                List.of(100, 100, 53),
                scans.stream()
                        .map(s -> s.workspaceIds().size())
                        .sorted(Comparator.reverseOrder())
                        .toList());
        assertEquals(
                expected, scans.stream().flatMap(s -> s.workspaceIds().stream()).collect(Collectors.toSet()));
        assertTrue(
                scans.stream().allMatch(s -> s.options().equals(new ScanJob.Options(true, true, true, true, true))),
                "every getInfo option was sent");
        assertEquals(0, sandbox.throttledAdminCallCount());

        // each exchange: the workspace from scanResult, with its datasets' schema and the datasource instances it uses
        Set<String> scanIds = scans.stream().map(ScanJob::id).collect(Collectors.toSet());
        for (Workspace w : workspaces()) {
            Map<String, Object> body = bodies.get(w.id());
            Map<String, Object> h = headers.get(w.id());
            assertEquals(w.name(), body.get("name"));
            assertEquals(w.name(), h.get(PowerBiConstants.WORKSPACE_NAME));
            assertEquals(w.id(), h.get(PowerBiConstants.WORKSPACE_ID));
            assertTrue(scanIds.contains((String) h.get(PowerBiConstants.SCAN_ID)));
            assertNull(h.get(PowerBiConstants.SCAN_MODIFIED_SINCE), "a full scan has no modifiedSince");
            assertEquals(3 + EXTRA, h.get(PowerBiConstants.SCAN_WORKSPACE_COUNT));
            assertEquals(w.datasets().size(), ((List<?>) body.get("datasets")).size(), w.name());
        }
        Map<String, Object> extra = bodies.get(workspaces().get(5).id());
        Map<?, ?> dataset = (Map<?, ?>) ((List<?>) extra.get("datasets")).get(0);
        assertEquals("Facts", ((Map<?, ?>) ((List<?>) dataset.get("tables")).get(0)).get("name"));
        List<?> instances = (List<?>) extra.get("datasourceInstances");
        assertEquals(1, instances.size(), extra.toString());
        assertEquals(
                ((Map<?, ?>) ((List<?>) dataset.get("datasourceUsages")).get(0)).get("datasourceInstanceId"),
                ((Map<?, ?>) instances.get(0)).get("datasourceId"));

        // the checkpoint is the time of the modified call: after the test began, before the first scan
        Instant checkpoint = consumer().state().checkpoint();
        assertFalse(checkpoint.isBefore(before.minusMillis(1)));
        assertFalse(checkpoint.isAfter(scans.stream()
                .map(ScanJob::createdAt)
                .min(Comparator.naturalOrder())
                .get()));
        assertEquals(checkpoint, headers.get(Sandbox.WORKSPACE_FINANCE).get(PowerBiConstants.SCAN_CHECKPOINT));
    }

    @Test
    void keepsAtMost16ScansInFlight() throws Exception {
        route(FAST + ", scanBatchSize: 10, " + stateFile("inflight"));
        awaitRunDelivering(allIds());
        assertEquals(26, sandbox.scans().size());
        assertEquals(16, maxInFlight(sandbox.scans()), "as many as allowed, never more");
        assertEquals(0, sandbox.throttledAdminCallCount(), "the sandbox never refused a 17th");
    }

    @Test
    void aLaterRunDeliversOnlyTheWorkspacesModifiedSinceTheCheckpoint() throws Exception {
        route(FAST + ", " + stateFile("incremental"));
        awaitRunDelivering(allIds());
        Instant checkpoint = consumer().state().checkpoint();
        long modifiedCalls = calls("workspaces/modified");
        // no run before the checkpoint is 30 minutes old (Power BI refuses a later modifiedSince)
        await().during(Duration.ofMillis(400))
                .atMost(Duration.ofSeconds(2))
                .until(() -> calls("workspaces/modified") == modifiedCalls);

        deliveries.clear();
        List<Workspace> all = workspaces();
        Workspace renamed = all.get(10);
        renamed.setName("Renamed workspace");
        renamed.touch(sandbox.clock().now());
        all.get(120).touch(sandbox.clock().now());
        all.get(240).touch(sandbox.clock().now());
        // a served change marks Sales Analytics modified, as Power BI does
        context.createProducerTemplate()
                .sendBody(
                        "powerbi:pushRows?workspace=Sales Analytics&dataset=Retail&table=Sales",
                        List.of(Map.of("OrderId", 9001)));
        Set<String> changed =
                Set.of(renamed.id(), all.get(120).id(), all.get(240).id(), Sandbox.WORKSPACE_SALES_ANALYTICS);
        sandbox.clock().advance(Duration.ofMinutes(40)); // the consumer follows the sandbox's clock

        await().atMost(Duration.ofSeconds(30))
                .until(() -> consumer().state().checkpoint().isAfter(checkpoint));
        awaitRunDelivering(changed);
        assertEquals("Renamed workspace", bodies.get(renamed.id()).get("name"));
        assertEquals(checkpoint, headers.get(renamed.id()).get(PowerBiConstants.SCAN_MODIFIED_SINCE));
        ScanJob last = sandbox.scans().stream()
                .max(Comparator.comparing(ScanJob::createdAt))
                .orElseThrow();
        assertEquals(changed, Set.copyOf(last.workspaceIds()), "one batch with just the modified workspaces");
    }

    @Test
    void aRouteFailureAndARestartLoseAndDuplicateNothing() throws Exception {
        String params = FAST + ", " + stateFile("restart");
        failAt = 150; // in the second batch; it fails until the restart
        failing = true;
        route(params);
        // the failing workspace is offered again on later polls (from the result in memory), and fails again
        await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() >= 3 && deliveries.size() >= 149);
        context.close();
        context = null;
        Set<String> before = Set.copyOf(deliveries.keySet());
        assertFalse(before.contains(failId));
        assertTrue(before.size() < 3 + EXTRA, "stopped mid-run");
        assertTrue(handled.stream().allMatch(e -> e instanceof IllegalStateException), handled.toString());
        // the state saved after each exchange stays small; the run's list sits in a file of its own
        assertTrue(
                Files.size(dir.resolve("restart.dat")) < 8_000,
                "state file of " + Files.size(dir.resolve("restart.dat")));
        assertTrue(Files.readString(dir.resolve("restart.dat.workspaces")).contains(failId));
        Set<String> scansBefore = sandbox.scans().stream().map(ScanJob::id).collect(Collectors.toSet());
        long modifiedBefore = calls("workspaces/modified");

        failing = false;
        route(params); // a new context with the same state file
        Set<String> expected = allIds();
        awaitRunDelivering(expected);
        assertEquals(1, deliveries.get(failId).get());
        // the stored run was resumed: no new modified call, and what was delivered was not scanned again
        assertEquals(modifiedBefore, calls("workspaces/modified"));
        Set<String> rescanned = sandbox.scans().stream()
                .filter(scan -> !scansBefore.contains(scan.id()))
                .flatMap(s -> s.workspaceIds().stream())
                .collect(Collectors.toSet());
        Set<String> notYet = new HashSet<>(expected);
        notYet.removeAll(before);
        assertEquals(notYet, rescanned);
    }

    @Test
    void aScanThatFailsIsReportedWithItsWorkspacesAndScannedAgain() throws Exception {
        ObjectNode failed =
                JsonNodeFactory.instance.objectNode().put("id", "ignored").put("status", "Failed");
        failed.putObject("error").put("code", "ScanFailed").put("message", "simulated");
        sandbox.faults()
                .add(FaultRule.status("/admin/workspaces/scanStatus/", 200)
                        .onMethod("GET")
                        .withBody(failed)
                        .times(1)
                        .withId("fail-one"));
        route(FAST + ", " + stateFile("failed"));
        awaitRunDelivering(allIds());
        assertEquals(1, handled.size(), handled.toString());
        ScanFailedException e = assertInstanceOf(ScanFailedException.class, handled.get(0));
        assertTrue(e.getMessage().contains("ScanFailed simulated"), e.getMessage());
        assertEquals(4, sandbox.scans().size(), "the failed batch was scanned again");
        assertTrue(sandbox.scans().stream().anyMatch(s -> s.id().equals(e.scanId())));
        assertEquals(
                1,
                sandbox.scans().stream()
                        .filter(s ->
                                !s.id().equals(e.scanId()) && s.workspaceIds().equals(e.workspaceIds()))
                        .count(),
                "a new scan of the same workspaces");
    }

    @Test
    void aResultNoLongerKeptIsScannedAgain() throws Exception {
        // Power BI keeps a result 24 hours; after that scanResult is 404 (as the sandbox guesses)
        ObjectNode gone = JsonNodeFactory.instance.objectNode();
        gone.putObject("error").put("code", "PowerBIEntityNotFound");
        sandbox.faults()
                .add(FaultRule.status("/admin/workspaces/scanResult/", 404)
                        .onMethod("GET")
                        .withBody(gone)
                        .times(1)
                        .withId("gone"));
        route(FAST + ", " + stateFile("gone"));
        awaitRunDelivering(allIds());
        assertEquals(4, sandbox.scans().size(), "the batch whose result was gone was scanned again");
        assertEquals(List.of(), handled);
    }

    @Test
    void a429FromPowerBiIsWaitedOutWithoutLoss() throws Exception {
        // one sandbox hour lasts one second: 2 getInfo a second, the consumer's own budget is the documented 500
        sandbox.setLimits(LimitsConfig.defaults().merge(Map.of("scanRequestsPerHour", 2, "timeScale", 3600)));
        route(FAST + ", scanBatchSize: 25, " + stateFile("throttled"));
        awaitRunDelivering(allIds());
        assertTrue(sandbox.throttledAdminCallCount() > 0, "the sandbox answered 429");
        assertEquals(11, sandbox.scans().size(), "each batch scanned once");
    }

    @Test
    void aRetryAfterLongerThanTheClientWaitsEndsThePollAndTheRunGoesOnLater() throws Exception {
        sandbox.setLimits(LimitsConfig.defaults().merge(Map.of("scanRequestsPerHour", 2, "timeScale", 3600)));
        route(FAST + ", scanBatchSize: 25, maxRetryAfter: 0, " + stateFile("retry-after"));
        awaitRunDelivering(allIds());
        assertTrue(sandbox.throttledAdminCallCount() > 0, "the sandbox answered 429");
        assertEquals(11, sandbox.scans().size(), "each batch scanned once");
    }

    @Test
    void staysWithinItsGetInfoBudgetWithoutA429() throws Exception {
        sandbox.setLimits(LimitsConfig.defaults().merge(Map.of("scanRequestsPerHour", 3, "timeScale", 3600)));
        // the consumer counts 3 per 1.15 s, a little longer than the sandbox's (scaled) hour
        route(FAST + ", scanBatchSize: 25, maxScansPerHour: 3, requestLimitPeriod: 1150, " + stateFile("budget"));
        awaitRunDelivering(allIds());
        assertEquals(0, sandbox.throttledAdminCallCount(), "no 429 from the sandbox");
        assertTrue(throttled.get() > 0, "the consumer waited for its budget and said so in a header");
    }

    @Test
    void badOptionsFailTheRouteAtStartNamingTheOption() throws Exception {
        for (String bad : List.of("scanBatchSize: 101", "maxScansInFlight: 17", "scanPollInterval: nonsense")) {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(
                    Exception.class, () -> route(bad + ", " + stateFile("bad")));
            context.close();
            String option = bad.substring(0, bad.indexOf(':'));
            Throwable t = e;
            while (t.getCause() != null && !t.getMessage().contains(option)) {
                t = t.getCause();
            }
            assertNotNull(t.getMessage());
            assertTrue(t.getMessage().contains(option), bad + ": " + e);
        }
    }
}
