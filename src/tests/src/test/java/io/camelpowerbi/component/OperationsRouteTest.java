package io.camelpowerbi.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.operations.RefreshOutcome;
import io.camelpowerbi.push.PushResult;
import io.camelpowerbi.sandbox.Dataset;
import io.camelpowerbi.sandbox.PushTable;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every producer operation, from YAML routes, against the sandbox; what arrived is read back from the sandbox. */
class OperationsRouteTest {

    static final String DEFINITION =
            Path.of("config/datasets/sales.yaml").toAbsolutePath().toString();
    static final String HEADER = "OrderId,OrderedAt,Customer,Region,Product,Quantity,UnitPrice,Paid";

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
        if (context != null) {
            context.close();
        }
    }

    /** A context with the component pointed at the sandbox and the given YAML routes loaded. */
    CamelContext routes(String yaml) throws Exception {
        context = new DefaultCamelContext();
        PowerBiComponent component = new PowerBiComponent();
        component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
        component.getConfiguration().setPollInterval(Duration.ofMillis(100));
        context.addComponent("powerbi", component);
        context.getPropertiesComponent().addInitialProperty("definition", DEFINITION);
        context.getPropertiesComponent().addInitialProperty("dir", dir.toString());
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.camel.yaml", yaml));
        context.start();
        return context;
    }

    static String csv(int rows, int badRow) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (int i = 1; i <= rows; i++) {
            String quantity = i == badRow ? "many" : String.valueOf(i % 7 + 1);
            sb.append(i)
                    .append(",2026-11-30T10:15:30Z,Customer ")
                    .append(i % 50)
                    .append(",North,Widget,")
                    .append(quantity)
                    .append(",19.99,")
                    .append(i % 2 == 0)
                    .append('\n');
        }
        return sb.toString();
    }

    static Exchange ok(Exchange exchange) {
        if (exchange.getException() != null) {
            throw new AssertionError("the exchange failed", exchange.getException());
        }
        return exchange;
    }

    String salesDatasetId() {
        Exchange e = ok(context.createProducerTemplate().request("direct:ensure", x -> {}));
        return e.getMessage().getHeader(PowerBiConstants.DATASET_ID, String.class);
    }

    static final String ENSURE = """
            - route:
                id: ensure
                from:
                  uri: direct:ensure
                  steps:
                    - to:
                        uri: powerbi:ensureDataset
                        parameters: { workspace: "Sales Analytics", datasetDefinition: "{{definition}}" }
            """;

    @Test
    void csvFilesArePushedAndRejectedRowsKeptWithTheirReasons() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        routes(ENSURE + """
                - route:
                    id: orders
                    from:
                      uri: "file:{{dir}}/inbox"
                      parameters: { include: ".*\\\\.csv", move: done, moveFailed: failed }
                      steps:
                        - to:
                            uri: powerbi:pushRows
                            parameters: { workspace: "Sales Analytics", dataset: Sales, table: Orders,
                                          datasetDefinition: "{{definition}}", invalidRowPolicy: SKIP }
                        - filter:
                            simple: "${header.CamelPowerBiRejectedCount} > 0"
                            steps:
                              - setBody: { simple: "${header.CamelPowerBiRejectedRows}" }
                              - marshal: { json: {} }
                              - to: "file:{{dir}}/rejected"
                """);
        String datasetId = salesDatasetId();
        PushTable orders = sandbox.dataset(datasetId).table("Orders").orElseThrow();
        long before = orders.rowCount();
        Files.writeString(inbox.resolve("orders.csv"), csv(25_001, 7));

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve("done/orders.csv")));
        assertEquals(before + 25_000, orders.rowCount(), "every valid row arrived once");
        Path rejected = dir.resolve("rejected/orders.csv");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(rejected));
        String reasons = Files.readString(rejected);
        assertTrue(reasons.contains("\"rowNumber\":7") && reasons.contains("Quantity"), reasons);
    }

    @Test
    void ensureDatasetRefusesATableTheDatasetLacksBeforeChangingAnything() throws Exception {
        // Retail exists with table Sales; the definition adds a column to Sales and a whole table Returns. Power BI has
        // no call that adds a table (PUT answers 404 ItemNotFound), so nothing may be sent, not even the new column.
        routes(ENSURE);
        PushTable sales = sandbox.dataset(Sandbox.DATASET_RETAIL).table("Sales").orElseThrow();
        List<Map<String, Object>> columns = new ArrayList<>();
        sales.columns()
                .forEach(c -> columns.add(
                        Map.of("name", c.name(), "dataType", c.type().canonicalName())));
        int before = columns.size();
        columns.add(Map.of("name", "Channel", "dataType", "string"));
        Map<String, Object> definition = Map.of(
                "name",
                "Retail",
                "tables",
                List.of(
                        Map.of("name", "Sales", "columns", columns),
                        Map.of(
                                "name",
                                "Returns",
                                "columns",
                                List.of(Map.of("name", "ReturnId", "dataType", "Int64")))));

        Exchange failed = context.createProducerTemplate()
                .request("direct:ensure", e -> e.getIn().setBody(definition));

        Exception e = failed.getException();
        assertNotNull(e, "ensureDataset must refuse");
        assertTrue(e instanceof io.camelpowerbi.operations.DatasetDefinitionException, e.toString());
        assertTrue(
                e.getMessage().contains("table 'Returns' is in the message body but not in the dataset")
                        && e.getMessage().contains("no call that adds a table")
                        && e.getMessage().contains("nothing was changed"),
                e.getMessage());
        assertEquals(
                before,
                sandbox.dataset(Sandbox.DATASET_RETAIL)
                        .table("Sales")
                        .orElseThrow()
                        .columns()
                        .size(),
                "the new column of Sales was not sent either");
        assertTrue(sandbox.dataset(Sandbox.DATASET_RETAIL).table("Returns").isEmpty());
    }

    @Test
    void pushRowsWithoutADefinitionSendsRowsAsGivenWhenTablesAreListedByNameOnly() throws Exception {
        // The sandbox lists tables by name only (as the service may): no column types to coerce to, so the CSV values
        // go out as text and Power BI (here the sandbox) converts them.
        routes("""
                - route:
                    from:
                      uri: direct:push
                      steps:
                        - to:
                            uri: powerbi:pushRows
                            parameters: { workspace: "Sales Analytics", dataset: Retail, table: Sales }
                """);
        PushTable sales = sandbox.dataset(Sandbox.DATASET_RETAIL).table("Sales").orElseThrow();
        long before = sales.rowCount();

        Exchange e = ok(context.createProducerTemplate()
                .request(
                        "direct:push",
                        x -> x.getIn().setBody("OrderId,Region,Quantity\n2001,North,3\n2002,South,4\n")));

        assertEquals(2L, e.getMessage().getBody(PushResult.class).rowsSent());
        assertEquals(before + 2, sales.rowCount());
    }

    @Test
    void invalidRowsFailTheExchangeBeforeAnythingIsSentAndDeleteRowsEmptiesTheTable() throws Exception {
        routes(ENSURE + """
                - route:
                    from:
                      uri: direct:push
                      steps:
                        - to:
                            uri: powerbi:pushRows
                            parameters: { workspace: "Sales Analytics", dataset: Sales, table: Orders, datasetDefinition: "{{definition}}" }
                - route:
                    from:
                      uri: direct:delete
                      steps:
                        - to:
                            uri: powerbi:deleteRows
                            parameters: { workspace: "Sales Analytics", dataset: Sales, table: Orders }
                """);
        String datasetId = salesDatasetId();
        ProducerTemplate template = context.createProducerTemplate();
        PushTable orders = sandbox.dataset(datasetId).table("Orders").orElseThrow();
        long before = orders.rowCount();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("OrderId", 100_000 + i);
            row.put("OrderedAt", "2026-11-30");
            row.put("Quantity", i == 4 ? 9_223_372_036_854_775_807L : i);
            row.put("UnitPrice", "12.50");
            row.put("Paid", "yes");
            rows.add(row);
        }
        Exchange failed = template.request("direct:push", e -> e.getIn().setBody(rows));
        assertNotNull(failed.getException());
        String message = failed.getException().getMessage();
        assertTrue(message.contains("row 4") && message.contains("Quantity"), message);
        assertEquals(before, orders.rowCount(), "nothing was sent");

        rows.get(3).put("Quantity", 4);
        Exchange pushed = ok(template.request("direct:push", e -> e.getIn().setBody(rows)));
        assertEquals(10L, pushed.getMessage().getHeader(PowerBiConstants.ROWS_SENT));
        assertEquals(1, pushed.getMessage().getHeader(PowerBiConstants.BATCHES));
        assertEquals(before + 10, orders.rowCount());
        assertTrue(pushed.getMessage().getBody() instanceof PushResult);

        ok(template.request("direct:delete", e -> {}));
        assertEquals(0, orders.rowCount());
    }

    @Test
    void refreshWaitsForItsOwnOutcomeAndFailuresAreExplained() throws Exception {
        routes("""
                - route:
                    from:
                      uri: direct:refresh
                      steps:
                        - to:
                            uri: powerbi:refreshDataset
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model" }
                - route:
                    from:
                      uri: direct:refreshNoFail
                      steps:
                        - to:
                            uri: powerbi:refreshDataset
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model", failOnRefreshError: false,
                                          refreshType: Full, commitMode: Transactional }
                - route:
                    from:
                      uri: direct:history
                      steps:
                        - to:
                            uri: powerbi:refreshHistory
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model", top: 5 }
                """);
        ProducerTemplate template = context.createProducerTemplate();
        sandbox.setRefreshBehaviour(
                Sandbox.DATASET_FINANCE_MODEL, Dataset.RefreshBehaviour.completing(Duration.ofMillis(500)));
        Exchange done = ok(template.request("direct:refresh", e -> {}));
        RefreshOutcome outcome = done.getMessage().getBody(RefreshOutcome.class);
        assertEquals("Completed", outcome.status());
        String refreshId = done.getMessage().getHeader(PowerBiConstants.REFRESH_ID, String.class);
        assertEquals(refreshId, outcome.refreshId());

        List<?> history =
                ok(template.request("direct:history", e -> {})).getMessage().getBody(List.class);
        assertTrue(
                history.stream().anyMatch(h -> refreshId.equals(((Map<?, ?>) h).get("requestId"))), history.toString());

        sandbox.setRefreshBehaviour(
                Sandbox.DATASET_FINANCE_MODEL,
                Dataset.RefreshBehaviour.failing(
                        Duration.ofMillis(300),
                        new com.fasterxml.jackson.databind.ObjectMapper()
                                .readTree(
                                        "{\"errorCode\":\"ModelRefreshFailed_CredentialsNotSpecified\",\"errorDescription\":\"Credentials are missing\"}")));
        Exchange failed = template.request("direct:refresh", e -> {});
        assertNotNull(failed.getException());
        assertTrue(
                failed.getException().getMessage().contains("ModelRefreshFailed_CredentialsNotSpecified"),
                failed.getException().getMessage());

        Exchange kept = ok(template.request("direct:refreshNoFail", e -> {}));
        assertEquals("Failed", kept.getMessage().getHeader(PowerBiConstants.REFRESH_STATUS));
        sandbox.setRefreshBehaviour(
                Sandbox.DATASET_FINANCE_MODEL, Dataset.RefreshBehaviour.completing(Duration.ofMillis(500)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void daxQueriesReadThePushedRows() throws Exception {
        routes(ENSURE + """
                - route:
                    from:
                      uri: direct:push
                      steps:
                        - to:
                            uri: powerbi:pushRows
                            parameters: { workspace: "Sales Analytics", dataset: Sales, table: Orders, datasetDefinition: "{{definition}}" }
                - route:
                    from:
                      uri: direct:count
                      steps:
                        - setBody: { constant: "EVALUATE ROW(\\"n\\", COUNTROWS('Orders'))" }
                        - to:
                            uri: powerbi:executeQuery
                            parameters: { workspace: "Sales Analytics", dataset: Sales, stripTableNames: true }
                - route:
                    from:
                      uri: direct:top
                      steps:
                        - to:
                            uri: powerbi:executeQuery
                            parameters: { workspace: "Sales Analytics", dataset: Sales, query: "EVALUATE TOPN(3, 'Orders')" }
                """);
        String datasetId = salesDatasetId();
        ProducerTemplate template = context.createProducerTemplate();
        ok(template.request("direct:push", e -> e.getIn().setBody(csv(40, -1))));
        long stored = sandbox.dataset(datasetId).table("Orders").orElseThrow().rowCount();
        List<Map<String, Object>> count =
                ok(template.request("direct:count", e -> {})).getMessage().getBody(List.class);
        assertEquals(stored, ((Number) count.get(0).get("n")).longValue());

        Exchange top = ok(template.request("direct:top", e -> {}));
        List<Map<String, Object>> rows = top.getMessage().getBody(List.class);
        assertEquals(3, rows.size());
        assertTrue(rows.get(0).containsKey("Orders[OrderId]"), rows.get(0).toString());
        assertEquals(3, top.getMessage().getHeader(PowerBiConstants.RESULT_COUNT));
    }

    @Test
    void reportsAreExportedToFilesThroughTheExportApi() throws Exception {
        routes("""
                - route:
                    from:
                      uri: direct:export
                      steps:
                        - to:
                            uri: powerbi:exportReport
                            parameters: { workspace: "Sales Analytics", report: "Sales Report", exportFormat: PDF }
                        - to: "file:{{dir}}/exports"
                """);
        Exchange e = ok(context.createProducerTemplate().request("direct:export", x -> {}));
        String name = e.getMessage().getHeader(PowerBiConstants.FILE_NAME, String.class);
        assertEquals("Sales Report.pdf", name);
        byte[] pdf = Files.readAllBytes(dir.resolve("exports").resolve(name));
        assertEquals("%PDF-", new String(pdf, 0, 5));
    }

    @Test
    void importsWaitForSucceeded() throws Exception {
        routes("""
                - route:
                    from:
                      uri: direct:import
                      steps:
                        - to:
                            uri: powerbi:importFile
                            parameters: { workspace: "Sales Analytics", nameConflict: CreateOrOverwrite }
                """);
        Path pbix = dir.resolve("Quarterly.pbix");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(pbix))) {
            zip.putNextEntry(new ZipEntry("Version"));
            zip.write("1.28".getBytes());
            zip.closeEntry();
        }
        Exchange e = ok(context.createProducerTemplate()
                .request("direct:import", x -> x.getIn().setBody(pbix.toFile())));
        io.camelpowerbi.operations.ImportResult result =
                e.getMessage().getBody(io.camelpowerbi.operations.ImportResult.class);
        assertEquals("Succeeded", result.importState());
        assertEquals("Quarterly", result.name());
        assertTrue(!result.datasets().isEmpty() && !result.reports().isEmpty(), result.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void listingsAndTheGenericCall() throws Exception {
        routes("""
                - route:
                    from:
                      uri: direct:op
                      steps:
                        - toD: "powerbi:${header.op}?workspace=Sales Analytics&dataset=Retail"
                """);
        ProducerTemplate template = context.createProducerTemplate();
        List<Map<String, Object>> datasets =
                template.requestBodyAndHeader("direct:op", null, "op", "listDatasets", List.class);
        assertTrue(datasets.stream().anyMatch(d -> "Finance Model".equals(d.get("name"))), datasets.toString());
        List<Map<String, Object>> reports =
                template.requestBodyAndHeader("direct:op", null, "op", "listReports", List.class);
        assertTrue(reports.stream().anyMatch(r -> "Sales Report".equals(r.get("name"))), reports.toString());
        List<Map<String, Object>> tables =
                template.requestBodyAndHeader("direct:op", null, "op", "listTables", List.class);
        assertEquals("Sales", tables.get(0).get("name"));
        Map<String, Object> retail = template.requestBodyAndHeader("direct:op", null, "op", "getDataset", Map.class);
        assertEquals(Sandbox.DATASET_RETAIL, retail.get("id"));
        Map<String, Object> viaCall = template.request("direct:op", e -> {
                    e.getIn().setHeader("op", "call");
                    e.getIn()
                            .setHeader(
                                    PowerBiConstants.PATH,
                                    "/groups/" + Sandbox.WORKSPACE_SALES_ANALYTICS + "/datasets/"
                                            + Sandbox.DATASET_RETAIL);
                })
                .getMessage()
                .getBody(Map.class);
        assertEquals("Retail", viaCall.get("name"));
    }

    @Test
    void aMissingNameListsWhatExists() throws Exception {
        routes("""
                - route:
                    from:
                      uri: direct:op
                      steps:
                        - to: "powerbi:listTables?workspace=Sales Analytics&dataset=Retial"
                """);
        Exchange e = context.createProducerTemplate().request("direct:op", x -> {});
        assertNotNull(e.getException());
        String message = e.getException().getMessage();
        assertTrue(
                message.startsWith("dataset: ") && message.contains("Retail") && message.contains("Finance Model"),
                message);
        assertNull(e.getMessage().getHeader(PowerBiConstants.RESULT_COUNT));
    }
}
