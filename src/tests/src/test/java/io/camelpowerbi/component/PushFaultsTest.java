package io.camelpowerbi.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.sandbox.FaultRule;
import io.camelpowerbi.sandbox.PushTable;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes under injected faults: every accepted row arrives, and arrives once, unless a failure was ambiguous (the
 * server took the batch but the answer was lost), in which case the duplicates are counted, not hidden.
 */
class PushFaultsTest extends CamelTestSupport {

    static final String ROWS_PATH = ".*/tables/Orders/rows";
    static final int ROWS = 30_000;

    @TempDir
    static Path dir;

    static Sandbox sandbox;
    String datasetId;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        PowerBiConfiguration config = new LocalSandbox(sandbox)
                .configure(
                        context.getComponent("powerbi", PowerBiComponent.class).getConfiguration());
        // a secret: advancing the sandbox clock must age the access token, not the client assertion
        config.setCertificateFile(null);
        config.setPrivateKeyFile(null);
        config.setClientSecret(sandbox.devClientSecret());
        config.setMaxAttempts(8);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        String definition =
                Path.of("config/datasets/sales.yaml").toAbsolutePath().toString();
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ensure")
                        .to("powerbi:ensureDataset?workspace=Sales Analytics&datasetDefinition=" + definition);
                from("direct:delete").to("powerbi:deleteRows?workspace=Sales Analytics&dataset=Sales&table=Orders");
                from("direct:push")
                        .to("powerbi:pushRows?workspace=Sales Analytics&dataset=Sales&table=Orders&batchSize=2000"
                                + "&datasetDefinition=" + definition);
                from("direct:pushImpatient")
                        .to("powerbi:pushRows?workspace=Sales Analytics&dataset=Sales&table=Orders"
                                + "&batchSize=2000&responseTimeout=700&datasetDefinition=" + definition);
            }
        };
    }

    @Override
    protected void doPostSetup() {
        datasetId = template.request("direct:ensure", e -> {})
                .getMessage()
                .getHeader(PowerBiConstants.DATASET_ID, String.class);
        template.request("direct:delete", e -> {});
    }

    @AfterEach
    void clean() throws Exception {
        sandbox.faults().clear();
        sandbox.clock().reset();
    }

    static String csv() {
        StringBuilder sb = new StringBuilder("OrderId,Quantity,UnitPrice,Paid\n");
        for (int i = 1; i <= ROWS; i++) {
            sb.append(i).append(',').append(i % 9 + 1).append(",4.25,true\n");
        }
        return sb.toString();
    }

    Exchange push(String route) {
        return template.request(route, e -> e.getIn().setBody(csv()));
    }

    /** OrderId → how often it is stored. */
    Map<Long, Integer> stored() {
        PushTable table = sandbox.dataset(datasetId).table("Orders").orElseThrow();
        Map<Long, Integer> seen = new HashMap<>();
        for (Object[] row : table.rows(Long.MAX_VALUE)) {
            seen.merge(((Number) row[0]).longValue(), 1, Integer::sum);
        }
        return seen;
    }

    void assertEveryRowOnce(Exchange e) {
        if (e.getException() != null) {
            throw new AssertionError("the push failed", e.getException());
        }
        Map<Long, Integer> seen = stored();
        assertEquals(ROWS, seen.size(), "every row arrived");
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "no row arrived twice");
        assertEquals((long) ROWS, e.getMessage().getHeader(PowerBiConstants.ROWS_SENT));
    }

    @Test
    void aStormOf429sIsWaitedOut() {
        sandbox.faults()
                .add(FaultRule.status(ROWS_PATH, 429)
                        .onMethod("POST")
                        .withRetryAfter(1)
                        .withProbability(0.3)
                        .times(4)
                        .withBody(
                                "{\"message\":\"You have exceeded the amount of requests allowed in the current time frame and further requests will fail. Retry in 1 seconds.\"}",
                                "application/json"));
        assertEveryRowOnce(push("direct:push"));
    }

    @Test
    void serverErrorsAreRetried() {
        sandbox.faults()
                .add(FaultRule.status(ROWS_PATH, 500)
                        .onMethod("POST")
                        .withProbability(0.4)
                        .times(5));
        sandbox.faults()
                .add(FaultRule.status(ROWS_PATH, 503)
                        .onMethod("POST")
                        .withProbability(0.2)
                        .times(2));
        assertEveryRowOnce(push("direct:push"));
    }

    @Test
    void droppedConnectionsAreRetried() {
        sandbox.faults()
                .add(FaultRule.drop(ROWS_PATH)
                        .onMethod("POST")
                        .withProbability(0.3)
                        .times(4));
        assertEveryRowOnce(push("direct:push"));
    }

    @Test
    void theTokenExpiringMidPushIsRefreshedAndTheBatchReplayed() throws Exception {
        sandbox.pausePostRows(); // hold the first batch until the clock has moved
        CompletableFuture<Exchange> pushing = CompletableFuture.supplyAsync(() -> push("direct:push"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sandbox.dataset(datasetId).pendingPostRows() > 0);
        long tokensBefore = sandbox.tokenRequestCount();
        sandbox.clock().advance(Duration.ofHours(2));
        sandbox.resumePostRows();
        assertEveryRowOnce(pushing.get());
        assertTrue(sandbox.tokenRequestCount() > tokensBefore, "a new token was fetched mid-push");
    }

    @Test
    void anAmbiguousFailureCanDuplicateABatchAndTheDuplicatesAreCounted() {
        // The sandbox takes the batch after 1.5 s; the client gives up waiting at 0.7 s and sends it again.
        sandbox.faults().add(FaultRule.delay(ROWS_PATH, 1500).onMethod("POST").times(1));
        Exchange e = push("direct:pushImpatient");
        if (e.getException() != null) {
            throw new AssertionError("the push failed", e.getException());
        }
        // the held original lands after the client has moved on: wait for it, then count exactly
        PushTable table = sandbox.dataset(datasetId).table("Orders").orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> table.rowCount() >= ROWS + 2000);
        Map<Long, Integer> seen = stored();
        assertEquals(ROWS, seen.size(), "every row arrived at least once");
        long duplicates = seen.values().stream().filter(n -> n > 1).count();
        assertEquals(2000, duplicates, "exactly the one ambiguous batch arrived twice (at-least-once)");
    }
}
