package io.camelpowerbi.component;

import static io.camelpowerbi.OrderRows.HEADER;
import static io.camelpowerbi.OrderRows.rows;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.sandbox.LimitsConfig;
import io.camelpowerbi.sandbox.PushTable;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files through a file consumer and {@code pushRows}, against the sandbox: a push cut short and the file pushed again
 * resumes after what Power BI had accepted; a file in another charset; a push that dies of an Error does not stop the
 * consumer from polling.
 */
class PushFilesRouteTest {

    static final String DEFINITION =
            Path.of("config/datasets/sales.yaml").toAbsolutePath().toString();

    @TempDir
    static Path dir;

    static Sandbox sandbox;
    CamelContext context;

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
        sandbox.setLimits(LimitsConfig.defaults());
        if (context != null) {
            context.close();
        }
    }

    /** A route pushing the files of {@code inbox} to Sales/Orders, moving them to done/ or failed/. */
    CamelContext pushing(Path inbox, String options, Processor beforePush) throws Exception {
        context = new DefaultCamelContext();
        PowerBiComponent component = new PowerBiComponent();
        component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
        component.getConfiguration().setMaxRetryAfter(Duration.ofSeconds(1));
        context.addComponent("powerbi", component);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ensure")
                        .to("powerbi:ensureDataset?workspace=Sales Analytics&datasetDefinition=" + DEFINITION);
                from("file:" + inbox + "?move=done&moveFailed=failed&delay=100")
                        .process(beforePush != null ? beforePush : e -> {})
                        .to("direct:push");
                from("direct:push")
                        .to(
                                "powerbi:pushRows?workspace=Sales Analytics&dataset=Sales&table=Orders&invalidRowPolicy=SKIP"
                                        + "&resumeDirectory=" + dir.resolve("state") + "&datasetDefinition="
                                        + DEFINITION + options);
            }
        });
        context.start();
        return context;
    }

    PushTable orders() {
        String id = context.createProducerTemplate()
                .request("direct:ensure", x -> {})
                .getMessage()
                .getHeader(PowerBiConstants.DATASET_ID, String.class);
        return sandbox.dataset(id).table("Orders").orElseThrow();
    }

    /** How often each OrderId is in the table, for the ids of {@code from}..{@code to}. */
    static Map<Long, Integer> counts(PushTable table, long from, long to) {
        Map<Long, Integer> counts = new HashMap<>();
        for (Object[] row : table.rows(Long.MAX_VALUE)) {
            long id = ((Number) row[0]).longValue();
            if (id >= from && id <= to) {
                counts.merge(id, 1, Integer::sum);
            }
        }
        return counts;
    }

    @Test
    void aFileCutShortByAPowerBiLimitResumesAfterTheAcceptedRowsWhenDroppedAgain() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("resume"));
        pushing(inbox, "", null);
        PushTable table = orders();
        // Power BI's rows-per-hour limit stops the third batch (its Retry-After is longer than the route waits)
        sandbox.setLimits(LimitsConfig.defaults().merge(Map.of("rowsPerHour", 25_000)));
        Files.writeString(inbox.resolve("orders.csv"), HEADER + rows(700_001, 750_000));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(inbox.resolve("failed/orders.csv")));
        assertEquals(20_000, counts(table, 700_001, 750_000).size());
        try (Stream<Path> state = Files.list(dir.resolve("state"))) {
            assertEquals(1, state.count(), "the rows accepted are recorded");
        }

        // an hour later, say: the same file dropped again (mv keeps it unchanged) goes on after row 20,000
        sandbox.setLimits(LimitsConfig.defaults());
        Files.move(inbox.resolve("failed/orders.csv"), inbox.resolve("orders.csv"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(inbox.resolve("done/orders.csv")));
        Map<Long, Integer> counts = counts(table, 700_001, 750_000);
        assertEquals(50_000, counts.size(), "every row arrived");
        assertTrue(counts.values().stream().allMatch(n -> n == 1), "and none twice");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Stream<Path> state = Files.list(dir.resolve("state"))) {
                return state.findAny().isEmpty(); // dropped once the exchange completed
            }
        });
    }

    @Test
    void aFileInAnotherCharsetIsReadWithTheCharsetOption() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("charset"));
        pushing(inbox, "&charset=windows-1252", null);
        PushTable table = orders();
        Files.write(
                inbox.resolve("orders.csv"),
                (HEADER + "800001,2026-11-30T10:15:30Z,Caf\u00e9 \u20ac,North,Widget,3," + "19.99,true\n")
                        .getBytes(Charset.forName("windows-1252")));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve("done/orders.csv")));
        assertTrue(table.rows(Long.MAX_VALUE).stream().anyMatch(r -> "Caf\u00e9 \u20ac".equals(r[2])));
    }

    @Test
    void aCharsetThisJvmDoesNotKnowFailsTheRouteAtStart() {
        Exception e = assertThrows(
                Exception.class, () -> pushing(Files.createDirectories(dir.resolve("nope")), "&charset=utf-9", null));
        Throwable root = e;
        while (root.getCause() != null && !(root instanceof InvalidOptionException)) {
            root = root.getCause();
        }
        assertTrue(
                root.getMessage().startsWith("charset: 'utf-9' is not a character set this JVM knows"),
                root.getMessage());
    }

    @Test
    void theConsumerKeepsPollingAfterAPushDiesOfAnError() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("error"));
        // rows whose reading runs out of memory: the Error must end the exchange, not the poller
        pushing(inbox, "", e -> {
            if ("poison.csv".equals(e.getIn().getHeader(Exchange.FILE_NAME))) {
                e.getIn().setBody(new Iterator<Map<String, Object>>() {
                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public Map<String, Object> next() {
                        throw new OutOfMemoryError("Java heap space (simulated)");
                    }
                });
            }
        });
        PushTable table = orders();
        Files.writeString(inbox.resolve("poison.csv"), HEADER + rows(900_001, 900_010));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve("failed/poison.csv")));
        Files.writeString(inbox.resolve("orders.csv"), HEADER + rows(900_011, 900_020));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve("done/orders.csv")));
        assertEquals(
                List.of(
                        900_011L, 900_012L, 900_013L, 900_014L, 900_015L, 900_016L, 900_017L, 900_018L, 900_019L,
                        900_020L),
                counts(table, 900_001, 900_020).keySet().stream().sorted().toList());
    }
}
