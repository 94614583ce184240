package io.camelpowerbi.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.operations.DataflowTransaction;
import io.camelpowerbi.operations.RefreshOutcome;
import io.camelpowerbi.sandbox.Dataset;
import io.camelpowerbi.sandbox.Refresh;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code powerbi:refreshes} consumer against the sandbox's refresh state machine, from YAML routes: each terminal
 * refresh emitted once with its parsed errors, in-progress ones only when they end, nothing lost or repeated across a
 * route failure or a restart on the same state file; with watchDataflows the same for the dataflows' transactions.
 */
class RefreshesConsumerTest {

    static final String WS = "6b2d4f8a-1c3e-4a5b-9d7f-0e2c4a6b8d10";
    /** First in the workspace, matches "Orders.*", and cannot be refreshed: it must be skipped without failing. */
    static final String FEED = "6b2d4f8a-1c3e-4a5b-9d7f-0e2c4a6b8d11";

    static final String ORDERS = "6b2d4f8a-1c3e-4a5b-9d7f-0e2c4a6b8d12";
    static final String FAILING = "6b2d4f8a-1c3e-4a5b-9d7f-0e2c4a6b8d13";
    static final String HR = "6b2d4f8a-1c3e-4a5b-9d7f-0e2c4a6b8d14";
    /** A dataflow whose refreshes end at once, and one whose refreshes take ten minutes of the sandbox's clock. */
    static final String PREP = "6b2d4f8a-1c3e-4a5b-9d7f-0e2c4a6b8d15";

    static final String SLOW = "6b2d4f8a-1c3e-4a5b-9d7f-0e2c4a6b8d16";
    static final JsonNode ERROR = new ObjectMapper()
            .createObjectNode()
            .put("errorCode", "ModelRefresh_ShortMessage_ProcessingError")
            .put("errorDescription", "The source of table 'Orders' was not found.");

    @TempDir
    static Path dir;

    static Sandbox sandbox;
    /** Triggers and cancels refreshes; lives while the watching route stops and starts again. */
    CamelContext tools;

    CamelContext context;

    record Seen(
            String refreshId,
            String status,
            String datasetId,
            String datasetName,
            String dataflowId,
            String dataflowName,
            String workspaceId,
            Object body,
            String summary) {

        RefreshOutcome outcome() {
            return (RefreshOutcome) body;
        }
    }

    final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger polls = new AtomicInteger();
    final AtomicInteger pollErrors = new AtomicInteger();
    final AtomicReference<Exception> pollError = new AtomicReference<>();
    final List<String> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile String failOnce;

    @BeforeAll
    static void start() throws Exception {
        SandboxConfig.WorkspaceConfig watched = SandboxConfig.WorkspaceConfig.of(
                        WS, "Refresh Watch", Sandbox.DEV_CLIENT_ID)
                .withDedicatedCapacity(Sandbox.DEV_CAPACITY_ID)
                .withDataset(
                        SandboxConfig.DatasetConfig.push(
                                FEED,
                                "Orders Feed",
                                "None",
                                List.of(
                                        new ObjectMapper()
                                                .readTree(
                                                        "{\"name\":\"Orders\",\"columns\":[{\"name\":\"Id\",\"dataType\":\"Int64\"}]}"))))
                .withDataset(SandboxConfig.DatasetConfig.imported(ORDERS, "Orders Model")
                        .withRefresh(0.2, "Completed", null))
                .withDataset(SandboxConfig.DatasetConfig.imported(FAILING, "Orders Staging")
                        .withRefresh(0.2, "Failed", ERROR))
                .withDataset(
                        SandboxConfig.DatasetConfig.imported(HR, "HR Model").withRefresh(0.2, "Completed", null))
                .withDataflow(new SandboxConfig.DataflowConfig(PREP, "Orders Prep", 0.2, null))
                .withDataflow(new SandboxConfig.DataflowConfig(SLOW, "Orders Slow", 600.0, null));
        sandbox = Sandbox.start(SandboxConfig.defaults()
                .with(SandboxConfig::stateDir, dir.resolve("sandbox"))
                .withTenant(SandboxConfig.devTenantConfig().withWorkspace(watched)));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void freshHistory() throws Exception {
        sandbox.reset(); // every dataset back to an empty refresh history
        tools = new DefaultCamelContext();
        tools.addComponent("powerbi", component());
        tools.start();
    }

    @AfterEach
    void stopContexts() throws Exception {
        if (context != null) {
            context.close();
        }
        tools.close();
    }

    static PowerBiComponent component() {
        PowerBiComponent component = new PowerBiComponent();
        component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
        return component;
    }

    // ------------------------------------------------------------------ the watching route, in YAML

    void route(String parameters) throws Exception {
        context = new DefaultCamelContext();
        context.addComponent("powerbi", component());
        context.getRegistry().bind("collector", collector());
        context.getRegistry().bind("polls", pollCounter());
        String yaml = """
                - route:
                    id: watch
                    from:
                      uri: powerbi:refreshes
                      parameters: { workspace: "Refresh Watch", delay: 50, pollStrategy: "#polls", %s }
                      steps:
                        - choice:
                            when:
                              - simple: "${header.CamelPowerBiDataflowId} != null"
                                steps:
                                  - setHeader:
                                      name: summary
                                      simple: "dataflow ${header.CamelPowerBiDataflowName}: ${body.status()}"
                            otherwise:
                              steps:
                                - setHeader:
                                    name: summary
                                    simple: "${header.CamelPowerBiDatasetName}: ${body.summary()}"
                        - process: { ref: collector }
                """.formatted(parameters);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("watch.camel.yaml", yaml));
        context.start();
    }

    Processor collector() {
        return exchange -> {
            String id = exchange.getMessage().getHeader(PowerBiConstants.REFRESH_ID, String.class);
            attempts.add(id);
            if (id.equals(failOnce)) {
                failOnce = null;
                throw new IllegalStateException("simulated failure on refresh " + id);
            }
            seen.add(new Seen(
                    id,
                    exchange.getMessage().getHeader(PowerBiConstants.REFRESH_STATUS, String.class),
                    exchange.getMessage().getHeader(PowerBiConstants.DATASET_ID, String.class),
                    exchange.getMessage().getHeader(PowerBiConstants.DATASET_NAME, String.class),
                    exchange.getMessage().getHeader(PowerBiConstants.DATAFLOW_ID, String.class),
                    exchange.getMessage().getHeader(PowerBiConstants.DATAFLOW_NAME, String.class),
                    exchange.getMessage().getHeader(PowerBiConstants.WORKSPACE_ID, String.class),
                    exchange.getMessage().getBody(),
                    exchange.getMessage().getHeader("summary", String.class)));
        };
    }

    PollingConsumerPollStrategy pollCounter() {
        return new PollingConsumerPollStrategy() {
            @Override
            public boolean begin(Consumer consumer, Endpoint endpoint) {
                return true;
            }

            @Override
            public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
                polls.incrementAndGet();
            }

            @Override
            public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception e) {
                pollError.set(e);
                pollErrors.incrementAndGet();
                polls.incrementAndGet();
                return false;
            }
        };
    }

    String stateFile(String name) {
        return "stateFile: \"" + dir.resolve(name) + "\"";
    }

    // ------------------------------------------------------------------ driving the sandbox through the producer

    /** A plain refresh, waited for: its id, once it is over and in the history. */
    String refresh(String datasetId) {
        Exchange done = tools.createProducerTemplate()
                .request(
                        "powerbi:refreshDataset?workspace=" + WS + "&dataset=" + datasetId
                                + "&pollInterval=100&failOnRefreshError=false",
                        e -> {});
        assertNull(done.getException());
        RefreshOutcome outcome = done.getMessage().getBody(RefreshOutcome.class);
        assertTrue(outcome.finished(), outcome.summary());
        return outcome.refreshId();
    }

    /** An enhanced refresh, not waited for. */
    String startEnhanced(String datasetId) {
        Exchange started = tools.createProducerTemplate()
                .request(
                        "powerbi:refreshDataset?workspace=" + WS + "&dataset=" + datasetId
                                + "&refreshType=Full&waitForCompletion=false",
                        e -> {});
        assertNull(started.getException());
        return started.getMessage().getHeader(PowerBiConstants.REFRESH_ID, String.class);
    }

    /** A dataflow refresh: followed until it ends with {@code wait}, else as soon as its transaction shows. */
    DataflowTransaction refreshDataflow(String dataflowId, boolean wait) {
        Exchange done = tools.createProducerTemplate()
                .request(
                        "powerbi:refreshDataflow?workspace=" + WS + "&dataflow=" + dataflowId
                                + "&pollInterval=100&waitForCompletion=" + wait,
                        e -> {});
        assertNull(done.getException());
        return done.getMessage().getBody(DataflowTransaction.class);
    }

    void cancel(String datasetId, String refreshId) {
        Exchange done = tools.createProducerTemplate()
                .request(
                        "powerbi:cancelRefresh?workspace=" + WS + "&dataset=" + datasetId,
                        e -> e.getMessage().setHeader(PowerBiConstants.REFRESH_ID, refreshId));
        assertNull(done.getException());
    }

    /** Waits until the consumer has run {@code n} more polls, the first of which may have begun before this call. */
    void awaitPolls(int n) {
        int from = polls.get();
        await().atMost(Duration.ofSeconds(20)).until(() -> polls.get() >= from + n);
    }

    void awaitSeen(String... refreshIds) {
        await().atMost(Duration.ofSeconds(30)).until(() -> ids().containsAll(List.of(refreshIds)));
    }

    List<String> ids() {
        synchronized (seen) {
            return seen.stream().map(Seen::refreshId).toList();
        }
    }

    Seen seen(String refreshId) {
        synchronized (seen) {
            return seen.stream()
                    .filter(s -> s.refreshId().equals(refreshId))
                    .findFirst()
                    .orElseThrow();
        }
    }

    /** Each id exactly once, and nothing else. */
    void assertEmittedOnce(String... refreshIds) {
        List<String> ids = ids();
        assertEquals(
                List.of(refreshIds).stream().sorted().toList(),
                ids.stream().sorted().toList(),
                "emitted: " + ids.stream().collect(Collectors.groupingBy(i -> i, Collectors.counting())));
    }

    // ------------------------------------------------------------------ tests

    @Test
    void completedAndFailedRefreshesAreEmittedOnceEachWithTheirDetailsAndParsedErrors() throws Exception {
        String completed = refresh(ORDERS);
        String failed = refresh(FAILING);
        refresh(HR); // not matched by the pattern
        route("datasetPattern: \"Orders.*\", " + stateFile("details.dat"));
        awaitSeen(completed, failed);
        String later = refresh(ORDERS);
        awaitSeen(later);
        awaitPolls(3);
        assertEmittedOnce(completed, failed, later);
        assertEquals(
                0, pollErrors.get(), "the push dataset 'Orders Feed' is skipped, not a failure: " + pollError.get());

        Seen ok = seen(completed);
        assertEquals("Completed", ok.status());
        assertEquals(ORDERS, ok.datasetId());
        assertEquals("Orders Model", ok.datasetName());
        assertEquals(WS, ok.workspaceId());
        assertEquals("ViaApi", ok.outcome().refreshType());
        assertNotNull(ok.outcome().startTime());
        assertNotNull(ok.outcome().endTime());
        assertTrue(ok.outcome().succeeded());
        assertEquals(List.of(), ok.outcome().errors());

        Seen bad = seen(failed);
        assertEquals("Failed", bad.status());
        assertEquals("Orders Staging", bad.datasetName());
        assertEquals(1, bad.outcome().errors().size(), "the entry's error and its attempt's are the same cause");
        RefreshOutcome.RefreshError error = bad.outcome().errors().get(0);
        assertEquals("ModelRefresh_ShortMessage_ProcessingError", error.code());
        assertEquals("The source of table 'Orders' was not found.", error.description());
        assertEquals(1, bad.outcome().attemptCount());
        assertEquals(
                "Orders Staging: refresh " + failed
                        + " Failed after 1 attempt: ModelRefresh_ShortMessage_ProcessingError:"
                        + " The source of table 'Orders' was not found.",
                bad.summary(),
                "the body reads from a YAML route");
    }

    @Test
    void aRefreshInProgressIsEmittedOnlyOnceItEnds() throws Exception {
        sandbox.setRefreshBehaviour(ORDERS, Dataset.RefreshBehaviour.completing(Duration.ofHours(1)));
        route("dataset: \"Orders Model\", " + stateFile("running.dat"));
        String running = startEnhanced(ORDERS);
        Refresh inSandbox = sandbox.dataset(ORDERS).refresh(running).orElseThrow();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !sandbox.clock().now().isBefore(inSandbox.visibleAt()));
        awaitPolls(3); // at least two polls saw it in the history, running
        assertTrue(inSandbox.isRunning(sandbox.clock().now()));
        assertEmittedOnce();

        cancel(ORDERS, running);
        awaitSeen(running);
        awaitPolls(3);
        assertEmittedOnce(running);
        assertEquals("Cancelled", seen(running).status());
        assertEquals("ViaEnhancedApi", seen(running).outcome().refreshType());
    }

    @Test
    void outcomesAreEmittedOnceEachAcrossARestart() throws Exception {
        String state = "top: 2, " + stateFile("restart.dat");
        String a = refresh(ORDERS);
        String b = refresh(FAILING);
        route(state);
        awaitSeen(a, b);
        awaitPolls(2);
        context.close(); // stopped: a and b are in the state file

        String c = refresh(ORDERS);
        String d = refresh(FAILING);
        String e = refresh(HR);
        // a new context on the same state file; endedAfter now would skip c, d and e, but the stored start point wins
        route("endedAfter: 0s, " + state);
        awaitSeen(c, d, e);
        String f = refresh(ORDERS);
        awaitSeen(f);
        sandbox.workspace(WS).removeDataset(HR);
        awaitPolls(3);
        context.close();
        assertEmittedOnce(a, b, c, d, e, f);

        // the state stays small: per dataset the ids still among its latest top (2) entries; a deleted one forgotten
        FileStateRepository stored = FileStateRepository.fileStateRepository(
                dir.resolve("restart.dat").toFile());
        stored.start();
        try {
            StateCodec<Set<String>> ids = StateCodec.of(new TypeReference<Set<String>>() {});
            assertEquals(Set.of(c, f), ids.decode(stored.getState("powerbi-refreshes.watch." + ORDERS)));
            assertEquals(Set.of(b, d), ids.decode(stored.getState("powerbi-refreshes.watch." + FAILING)));
            assertEquals("", stored.getState("powerbi-refreshes.watch." + HR));
            RefreshesConsumer.Root root =
                    StateCodec.of(RefreshesConsumer.Root.class).decode(stored.getState("powerbi-refreshes.watch"));
            assertTrue(
                    root.datasets().containsAll(Set.of(ORDERS, FAILING))
                            && !root.datasets().contains(HR),
                    root.toString());
        } finally {
            stored.stop();
        }
    }

    @Test
    void aRouteFailureEmitsThatOutcomeAgainNextPollAndLosesNothing() throws Exception {
        String first = refresh(ORDERS);
        String second = refresh(ORDERS);
        String other = refresh(FAILING);
        failOnce = first;
        route(stateFile("failure.dat"));
        awaitSeen(first, second, other);
        awaitPolls(2);
        assertEmittedOnce(first, second, other);
        List<String> ordersAttempts =
                attempts.stream().filter(id -> !id.equals(other)).toList();
        assertEquals(
                List.of(first, first, second),
                ordersAttempts,
                "the failed outcome comes again, and the one after it waits for it");
    }

    @Test
    void endedAfterLeavesOutRefreshesThatEndedBefore() throws Exception {
        String old = refresh(ORDERS);
        Instant after = sandbox.clock().now().plusMillis(1);
        route("endedAfter: \"%s\", %s".formatted(after, stateFile("start.dat")));
        String fresh = refresh(ORDERS);
        awaitSeen(fresh);
        awaitPolls(2);
        assertEmittedOnce(fresh);
        assertFalse(ids().contains(old));
    }

    @Test
    void theNameOrPatternChoosesTheDatasets() throws Exception {
        String hr = refresh(HR);
        String orders = refresh(ORDERS);
        route("datasetPattern: \"(?i)hr .*\", " + stateFile("pattern.dat"));
        awaitSeen(hr);
        awaitPolls(2);
        assertEmittedOnce(hr);
        context.close();
        seen.clear();
        route("dataset: " + ORDERS + ", " + stateFile("by-id.dat"));
        awaitSeen(orders);
        awaitPolls(2);
        assertEmittedOnce(orders);
    }

    @Test
    void anEndedDataflowRefreshIsEmittedOnceBesideTheDatasetsAlsoAcrossARestart() throws Exception {
        DataflowTransaction first = refreshDataflow(PREP, true);
        assertEquals("Success", first.status());
        String model = refresh(ORDERS);
        String state = "watchDataflows: true, " + stateFile("dataflows.dat");
        failOnce = first.id();
        route(state);
        awaitSeen(first.id(), model);
        awaitPolls(3);
        assertEmittedOnce(first.id(), model);
        assertEquals(
                List.of(first.id(), first.id()),
                attempts.stream().filter(id -> !id.equals(model)).toList(),
                "the transaction the route failed on comes again");

        Seen flow = seen(first.id());
        assertEquals(first, flow.body(), "the body is the transaction as Power BI lists it");
        assertTrue(first.ended());
        assertEquals("Success", flow.status());
        assertEquals(PREP, flow.dataflowId());
        assertEquals("Orders Prep", flow.dataflowName());
        assertEquals(WS, flow.workspaceId());
        assertNull(flow.datasetId());
        assertEquals("dataflow Orders Prep: Success", flow.summary(), "a YAML route tells dataflows from datasets");
        assertEquals(ORDERS, seen(model).datasetId());
        assertNull(seen(model).dataflowId());
        context.close();

        DataflowTransaction second = refreshDataflow(PREP, true);
        route(state); // a new context on the same state file
        awaitSeen(second.id());
        awaitPolls(3);
        context.close();
        assertEmittedOnce(first.id(), model, second.id());

        FileStateRepository stored = FileStateRepository.fileStateRepository(
                dir.resolve("dataflows.dat").toFile());
        stored.start();
        try {
            StateCodec<Set<String>> ids = StateCodec.of(new TypeReference<Set<String>>() {});
            assertEquals(
                    Set.of(first.id(), second.id()),
                    ids.decode(stored.getState("powerbi-refreshes.watch.dataflow." + PREP)));
            RefreshesConsumer.Root root =
                    StateCodec.of(RefreshesConsumer.Root.class).decode(stored.getState("powerbi-refreshes.watch"));
            assertEquals(Set.of(PREP), root.dataflows());
            assertEquals(Set.of(ORDERS), root.datasets());
        } finally {
            stored.stop();
        }
    }

    @Test
    void aRunningDataflowRefreshIsEmittedOnlyOnceItEnds() throws Exception {
        route("watchDataflows: true, " + stateFile("dataflow-running.dat"));
        DataflowTransaction running = refreshDataflow(SLOW, false);
        assertFalse(running.ended(), running.toString());
        awaitPolls(3); // at least two polls saw it running
        assertEmittedOnce();

        sandbox.clock().advance(Duration.ofMinutes(10)); // its ten minutes are over
        awaitSeen(running.id());
        awaitPolls(3);
        assertEmittedOnce(running.id());
        DataflowTransaction ended = (DataflowTransaction) seen(running.id()).body();
        assertTrue(ended.succeeded(), ended.toString());
        assertEquals(running.startTime(), ended.startTime());
    }

    @Test
    void dataflowsAreNotWatchedUnlessAskedFor() throws Exception {
        DataflowTransaction ended = refreshDataflow(PREP, true);
        assertTrue(ended.ended());
        String model = refresh(ORDERS);
        route(stateFile("no-dataflows.dat"));
        awaitSeen(model);
        awaitPolls(3);
        assertEmittedOnce(model);
        synchronized (seen) {
            assertTrue(
                    seen.stream().allMatch(s -> s.dataflowId() == null && s.body() instanceof RefreshOutcome),
                    seen.toString());
        }
    }

    @Test
    void aWrongOptionFailsTheRouteAtStartNamingIt() throws Exception {
        Exception noWorkspace = assertThrows(Exception.class, () -> {
            context = new DefaultCamelContext();
            context.addComponent("powerbi", component());
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("bad.camel.yaml", """
                    - route:
                        from:
                          uri: powerbi:refreshes
                          steps: [ { log: x } ]
                    """));
            context.start();
        });
        assertTrue(
                causes(noWorkspace)
                        .contains("workspace: powerbi:refreshes watches the datasets of one workspace,"
                                + " and none is given. Fix: set workspace to its name or id"),
                causes(noWorkspace));
        context.close();
        Exception badPattern =
                assertThrows(Exception.class, () -> route("datasetPattern: \"Orders(\", " + stateFile("bad.dat")));
        assertTrue(
                causes(badPattern).contains("datasetPattern: 'Orders(' is not a regular expression"),
                causes(badPattern));
    }

    /** The messages of an exception and its causes, one a line. */
    static String causes(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
