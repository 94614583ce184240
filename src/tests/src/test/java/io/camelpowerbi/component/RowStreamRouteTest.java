package io.camelpowerbi.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.HeldRowsAnswers;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.push.InvalidRowsException;
import io.camelpowerbi.push.PushException;
import io.camelpowerbi.push.RowAck;
import io.camelpowerbi.sandbox.FaultRule;
import io.camelpowerbi.sandbox.PushTable;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pushRows?streaming=true} in routes, against the sandbox: messages of one or a few rows are batched per table,
 * each completes only once Power BI accepted the batch holding its rows, a refused batch fails its messages with the
 * reason, and a full buffer makes the sender wait.
 */
class RowStreamRouteTest {

    static final String DEFINITION = Path.of("src/tests/src/test/resources/stream/sensors.yaml")
            .toAbsolutePath()
            .toString();
    static final String ENDPOINT = "powerbi:pushRows?streaming=true&workspace=Sales Analytics&dataset=Sensors"
            + "&table=Readings&datasetDefinition=" + DEFINITION;
    static final String ALERTS = "Sales Analytics/Sensors/Alerts";

    @TempDir
    static Path dir;

    static Sandbox sandbox;
    CamelContext context;
    PowerBiComponent component;
    String datasetId;
    /** Message id → the outcome seen when it completed. */
    final Map<Long, Exchange> completed = new ConcurrentHashMap<>();
    /** Ids whose row was already in the sandbox when their message completed. */
    final Set<Long> storedWhenCompleted = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @AfterEach
    void stopContext() throws Exception {
        sandbox.faults().clear();
        if (context != null) {
            context.close();
        }
    }

    /** direct:rows into the streaming endpoint with {@code options}; the Sensors dataset exists, its tables empty. */
    void streaming(String options, long bufferRows) throws Exception {
        context = new DefaultCamelContext();
        component = new PowerBiComponent();
        component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
        component.setStreamBufferRows(bufferRows);
        context.addComponent("powerbi", component);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ensure")
                        .to("powerbi:ensureDataset?workspace=Sales Analytics&datasetDefinition=" + DEFINITION);
                from("direct:clear").to("powerbi:deleteRows?workspace=Sales Analytics&dataset=Sensors");
                from("direct:rows").to(ENDPOINT + options);
            }
        });
        context.start();
        ProducerTemplate template = context.createProducerTemplate();
        datasetId = template.request("direct:ensure", x -> {})
                .getMessage()
                .getHeader(PowerBiConstants.DATASET_ID, String.class);
        for (String table : List.of("Readings", "Alerts")) {
            template.request("direct:clear", x -> x.getIn().setHeader(PowerBiConstants.TABLE, table));
        }
    }

    PushTable table(String name) {
        return sandbox.dataset(datasetId).table(name).orElseThrow();
    }

    Set<Long> ids(String table) {
        return table(table).rows(Long.MAX_VALUE).stream()
                .map(r -> ((Number) r[0]).longValue())
                .collect(Collectors.toSet());
    }

    /**
     * Sends a message without waiting for it to complete (the offer runs on this thread); records how it completed, and
     * whether its row was stored by then.
     */
    void send(long id, String target, String body) {
        ProducerTemplate template = context.createProducerTemplate();
        template.setThreadedAsyncMode(false);
        template.asyncSend("direct:rows", x -> {
                    x.getIn().setBody(body);
                    if (target != null) {
                        x.getIn().setHeader(PowerBiConstants.TARGET, target);
                    }
                })
                .thenAccept(x -> {
                    if (ids(target == null ? "Readings" : "Alerts").contains(id)) {
                        storedWhenCompleted.add(id);
                    }
                    completed.put(id, x);
                });
    }

    static String reading(long id) {
        return "{\"Id\":" + id + ",\"Sensor\":\"s" + id + "\",\"Value\":" + id + ".5}";
    }

    static String alert(long id) {
        return "{\"Id\":" + id + ",\"Text\":\"hot " + id + "\"}";
    }

    @Test
    void rowsAreBatchedPerTableAndEachMessageCompletesOnlyOnceItsBatchWasAccepted() throws Exception {
        streaming("&batchSize=3&lingerTime=PT1H", 500_000);
        send(1, null, reading(1));
        send(2, ALERTS, alert(2));
        send(3, null, reading(3));
        send(4, ALERTS, alert(4));
        // two rows per table, batches of three, a linger of an hour: nothing can have gone yet
        assertEquals(0, sandbox.dataset(datasetId).postRowsRequestCount());
        assertTrue(completed.isEmpty(), "no message completes before Power BI accepted its rows");

        send(5, null, reading(5));
        send(6, ALERTS, alert(6));
        await().atMost(Duration.ofSeconds(30)).until(() -> completed.size() == 6);
        for (Exchange x : completed.values()) {
            assertNull(x.getException());
            assertEquals(1L, x.getMessage().getHeader(PowerBiConstants.ROWS_SENT));
        }
        assertEquals(Set.of(1L, 2L, 3L, 4L, 5L, 6L), storedWhenCompleted, "each completed after its row was stored");
        assertEquals(Set.of(1L, 3L, 5L), ids("Readings"));
        assertEquals(Set.of(2L, 4L, 6L), ids("Alerts"));
        assertEquals(2, sandbox.dataset(datasetId).postRowsRequestCount(), "one POST rows per table");
    }

    @Test
    void aBatchThatIsNotFullGoesOnceItsFirstRowWaitedTheLingerTime() throws Exception {
        streaming("&lingerTime=PT0.05S", 500_000);
        Exchange x = context.createProducerTemplate()
                .request("direct:rows", e -> e.getIn().setBody("[" + reading(11) + "," + reading(12) + "]"));
        assertNull(x.getException());
        assertEquals(2L, x.getMessage().getHeader(PowerBiConstants.ROWS_SENT));
        assertEquals(Set.of(11L, 12L), ids("Readings"));
    }

    @Test
    void aBatchPowerBiRefusesFailsEveryMessageWhoseRowsItHeldWithTheReason() throws Exception {
        streaming("&batchSize=2&lingerTime=PT1H", 500_000);
        sandbox.faults()
                .add(
                        FaultRule.status(".*/tables/Readings/rows", 400)
                                .onMethod("POST")
                                .withBody(
                                        new com.fasterxml.jackson.databind.ObjectMapper()
                                                .readTree(
                                                        "{\"error\":{\"code\":\"InvalidRequest\",\"message\":\"column Value is gone\"}}")));
        send(21, null, reading(21));
        send(22, null, reading(22));
        await().atMost(Duration.ofSeconds(30)).until(() -> completed.size() == 2);
        for (long id : List.of(21L, 22L)) {
            PushException e =
                    assertInstanceOf(PushException.class, completed.get(id).getException());
            assertTrue(
                    e.getMessage()
                            .startsWith("Pushing rows to table 'Readings' of dataset " + datasetId
                                    + " failed: the batch of 2 rows holding this message's row was not accepted."),
                    e.getMessage());
            assertTrue(e.getMessage().contains("column Value is gone"), e.getMessage());
        }
        assertTrue(ids("Readings").isEmpty());
    }

    @Test
    void aFullBufferMakesTheSenderWaitUntilPowerBiAcceptedRows() throws Exception {
        // every POST rows answer is held until the test lets it go
        try (HeldRowsAnswers gate = HeldRowsAnswers.holding(sandbox, "Readings")) {
            streaming("&batchSize=2&lingerTime=PT1H", 4);
            for (long id = 31; id <= 34; id++) {
                send(id, null, reading(id));
            }
            // four rows held in two batches in flight: the bound
            await().atMost(Duration.ofSeconds(30)).until(() -> gate.held() == 2);

            CountDownLatch offered = new CountDownLatch(1);
            Thread sender = new Thread(
                    () -> {
                        send(35, null, "[" + reading(35) + "," + reading(36) + "]");
                        offered.countDown();
                    },
                    "test-sender");
            sender.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Arrays.stream(sender.getStackTrace())
                            .anyMatch(f -> f.getClassName().endsWith("RowStream")
                                    && f.getMethodName().equals("reserve")));
            assertEquals(1, offered.getCount(), "the sender waits for room");
            assertEquals(4, table("Readings").rowCount(), "the waiting rows were not sent");
            assertTrue(completed.isEmpty());

            gate.release();
            assertTrue(offered.await(30, TimeUnit.SECONDS), "room made once Power BI accepted rows");
            await().atMost(Duration.ofSeconds(30)).until(() -> completed.size() == 5);
            completed.values().forEach(x -> assertNull(x.getException()));
            assertEquals(Set.of(31L, 32L, 33L, 34L, 35L, 36L), ids("Readings"));
            assertEquals(3, gate.held(), "three batches of two");
        }
    }

    @Test
    void aMessageCarryingARowAckCompletesOnceBufferedAndTheAckHearsWhenPowerBiAcceptedTheRows() throws Exception {
        streaming("&batchSize=3&lingerTime=PT1H", 500_000);
        CompletableFuture<Integer> accepted = new CompletableFuture<>();
        RowAck ack = new RowAck() {
            @Override
            public void accepted(int rows) {
                accepted.complete(rows);
            }

            @Override
            public void failed(int rows, RuntimeException reason) {
                accepted.completeExceptionally(reason);
            }
        };
        Exchange x = context.createProducerTemplate().request("direct:rows", e -> {
            e.getIn().setBody("[" + reading(71) + "," + reading(72) + "]");
            e.getIn().setHeader(PowerBiConstants.ROW_ACK, ack);
        });
        // two rows of a batch of three, a linger of an hour: buffered, not sent, and the message is done
        assertNull(x.getException());
        assertFalse(accepted.isDone());
        assertEquals(0, table("Readings").rowCount());

        send(73, null, reading(73));
        assertEquals(2, accepted.get(30, TimeUnit.SECONDS));
        assertEquals(Set.of(71L, 72L, 73L), ids("Readings"));
    }

    @Test
    void stoppingTheRouteSendsWhatIsBufferedBeforeTheLingerTime() throws Exception {
        streaming("&lingerTime=PT1H", 500_000);
        send(41, null, reading(41));
        assertTrue(completed.isEmpty());
        context.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> completed.size() == 1);
        assertNull(completed.get(41L).getException());
        assertEquals(Set.of(41L), ids("Readings"));
    }

    @Test
    void aMessageWithAnInvalidRowFailsAndNothingOfItIsSent() throws Exception {
        streaming("&lingerTime=PT0S", 500_000);
        Exchange x = context.createProducerTemplate()
                .request("direct:rows", e -> e.getIn().setBody("[" + reading(51) + ",{\"Id\":52,\"Value\":\"warm\"}]"));
        InvalidRowsException e = assertInstanceOf(InvalidRowsException.class, x.getException());
        assertTrue(e.getMessage().contains("Value"), e.getMessage());
        assertFalse(ids("Readings").contains(51L));
    }

    @Test
    void aTargetThatIsNotWorkspaceDatasetTableFailsTheMessageNamingTheHeader() throws Exception {
        streaming("", 500_000);
        Exchange x = context.createProducerTemplate().request("direct:rows", e -> {
            e.getIn().setBody(reading(61));
            e.getIn().setHeader(PowerBiConstants.TARGET, "Sensors/Readings");
        });
        InvalidOptionException e = assertInstanceOf(InvalidOptionException.class, x.getException());
        assertTrue(e.getMessage().contains(PowerBiConstants.TARGET), e.getMessage());
    }

    @Test
    void streamingOnAnotherOperationFailsTheRouteAtStart() {
        context = new DefaultCamelContext();
        component = new PowerBiComponent();
        component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
        context.addComponent("powerbi", component);
        Exception e = assertThrows(Exception.class, () -> {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:x").to("powerbi:deleteRows?streaming=true&workspace=Sales Analytics&dataset=Sensors");
                }
            });
            context.start();
        });
        Throwable root = e;
        while (root.getCause() != null && !(root instanceof InvalidOptionException)) {
            root = root.getCause();
        }
        assertInstanceOf(InvalidOptionException.class, root);
        assertTrue(root.getMessage().contains("streaming"), root.getMessage());
    }
}
