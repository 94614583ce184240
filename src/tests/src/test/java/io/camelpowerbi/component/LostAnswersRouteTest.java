package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.LogCapture;
import io.camelpowerbi.operations.ImportResult;
import io.camelpowerbi.operations.RefreshOutcome;
import io.camelpowerbi.push.PushResult;
import io.camelpowerbi.sandbox.Dataset;
import io.camelpowerbi.sandbox.FaultRule;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power BI did the work and only the answer was lost (the sandbox serves the request, then answers 504 or drops the
 * connection): the operations look for what they started instead of starting it again, so the sandbox holds one
 * refresh, one import, one dataset. A push batch is at-least-once: sent again, it arrives twice, and that is counted.
 */
class LostAnswersRouteTest {

    @TempDir
    static Path dir;

    static Sandbox sandbox;
    CamelContext context;
    final MeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void routes() throws Exception {
        sandbox.reset();
        context = new DefaultCamelContext();
        context.getRegistry().bind("meterRegistry", registry);
        PowerBiComponent component = new PowerBiComponent();
        component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
        component.getConfiguration().setPollInterval(Duration.ofMillis(100));
        context.addComponent("powerbi", component);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.camel.yaml", """
                - route:
                    from:
                      uri: direct:refresh
                      steps:
                        - to:
                            uri: powerbi:refreshDataset
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model", ifRunning: WAIT }
                - route:
                    from:
                      uri: direct:import
                      steps:
                        - to:
                            uri: powerbi:importFile
                            parameters: { workspace: "Sales Analytics" }
                - route:
                    from:
                      uri: direct:ensure
                      steps:
                        - to:
                            uri: powerbi:ensureDataset
                            parameters: { workspace: "Sales Analytics" }
                - route:
                    from:
                      uri: direct:push
                      steps:
                        - to:
                            uri: powerbi:pushRows
                            parameters: { workspace: "Sales Analytics", dataset: Retail, table: Sales }
                """));
        context.start();
    }

    @AfterEach
    void stopContext() throws Exception {
        context.close();
    }

    Exchange send(String endpoint, Object body) {
        Exchange e = context.createProducerTemplate()
                .request(endpoint, x -> x.getIn().setBody(body));
        if (e.getException() != null) {
            throw new AssertionError("the exchange failed", e.getException());
        }
        return e;
    }

    @Test
    void oneRefreshWhenTheAnswerToItsStartWasA504() {
        Dataset model = sandbox.dataset(Sandbox.DATASET_FINANCE_MODEL);
        int before = model.refreshes().size();
        sandbox.faults()
                .add(FaultRule.status("/refreshes$", 504)
                        .onMethod("POST")
                        .afterServing()
                        .times(1));

        RefreshOutcome outcome = send("direct:refresh", null).getMessage().getBody(RefreshOutcome.class);

        assertEquals("Completed", outcome.status());
        assertEquals(before + 1, model.refreshes().size(), "one refresh started, not two");
        assertEquals(
                model.refreshes().get(model.refreshes().size() - 1).requestId(),
                outcome.refreshId(),
                "and it is the one followed");
    }

    @Test
    void oneImportWhenTheConnectionDroppedAfterTheUpload() throws Exception {
        int before =
                sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS).imports().size();
        sandbox.faults()
                .add(FaultRule.drop("/imports$").onMethod("POST").afterServing().times(1));
        ByteArrayOutputStream pbix = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(pbix)) {
            zip.putNextEntry(new ZipEntry("Version"));
            zip.write("1.28".getBytes());
            zip.closeEntry();
        }

        Exchange e = context.createProducerTemplate().request("direct:import", x -> {
            x.getIn().setBody(pbix.toByteArray());
            x.getIn().setHeader(Exchange.FILE_NAME, "Lost Answer.pbix");
        });

        assertNull(e.getException());
        assertEquals("Succeeded", e.getMessage().getBody(ImportResult.class).importState());
        assertEquals(
                before + 1,
                sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS).imports().size(),
                "one import, not two");
        assertEquals(
                1,
                sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS).datasets().stream()
                        .filter(d -> d.name().equals("Lost Answer"))
                        .count());
    }

    @Test
    void oneDatasetWhenTheAnswerToItsCreateWasA504() {
        sandbox.faults()
                .add(FaultRule.status("/datasets$", 504)
                        .onMethod("POST")
                        .afterServing()
                        .times(1));
        Map<String, Object> definition = Map.of(
                "name",
                "Lost Answer",
                "tables",
                List.of(Map.of("name", "T", "columns", List.of(Map.of("name", "Id", "dataType", "Int64")))));

        Exchange e = send("direct:ensure", definition);

        assertEquals(Boolean.TRUE, e.getMessage().getHeader(PowerBiConstants.DATASET_CREATED));
        List<Dataset> named = sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS).datasets().stream()
                .filter(d -> d.name().equals("Lost Answer"))
                .toList();
        assertEquals(1, named.size(), "one dataset, not two");
        assertEquals(named.get(0).id(), e.getMessage().getHeader(PowerBiConstants.DATASET_ID));
    }

    @Test
    void aPushBatchWhoseAnswerWasLostIsSentAgainArrivesTwiceAndIsCounted() {
        // at-least-once, as README says: Power BI has no batch id to deduplicate by
        long before = sandbox.dataset(Sandbox.DATASET_RETAIL)
                .table("Sales")
                .orElseThrow()
                .rowCount();
        sandbox.faults()
                .add(FaultRule.drop("/rows$").onMethod("POST").afterServing().times(1));

        try (LogCapture log = LogCapture.open()) {
            PushResult result = send("direct:push", "OrderId,Region,Quantity\n3001,North,1\n3002,South,2\n")
                    .getMessage()
                    .getBody(PushResult.class);

            assertEquals(2, result.rowsSent());
            assertTrue(
                    log.lines().stream().anyMatch(l -> l.contains("may arrive twice (at-least-once)")),
                    log.lines()::toString);
        }
        assertEquals(
                before + 4,
                sandbox.dataset(Sandbox.DATASET_RETAIL)
                        .table("Sales")
                        .orElseThrow()
                        .rowCount(),
                "the batch arrived twice");
        assertEquals(
                1.0,
                registry.get(PowerBiMetricNames.API_AMBIGUOUS_RESENDS).counter().count());
    }
}
