package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.TestClocks;
import io.camelpowerbi.operations.LoadRowsResult;
import io.camelpowerbi.operations.OneLakeFile;
import io.camelpowerbi.sandbox.LakehouseTable;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxClock;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.ProducerTemplate;
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
 * The move from push datasets to a Lakehouse, as a YAML route does it against the sandbox: rows into a Lakehouse table
 * with loadRows (pushRows' inputs and rejections), the Direct Lake model refreshed, and DAX reading the rows back.
 */
class LakehouseRouteTest {

    static final String DEFINITION =
            Path.of("config/datasets/sales.yaml").toAbsolutePath().toString();
    static final String LAKEHOUSE = """
            workspace: "Sales Analytics", lakehouse: "Sales Lakehouse", table: Orders""";

    @TempDir
    static Path dir;

    static Sandbox sandbox;
    CamelContext context;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(
                SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")),
                SandboxClock.startingAt(TestClocks.WORKING_AFTERNOON));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void fresh() {
        sandbox.reset();
        sandbox.setLoadTableDuration(Duration.ofMillis(300));
    }

    @AfterEach
    void stopContext() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    CamelContext routes(String yaml) throws Exception {
        context = new DefaultCamelContext();
        PowerBiComponent component = new PowerBiComponent();
        component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
        component.getConfiguration().setPollInterval(java.time.Duration.ofMillis(100));
        context.addComponent("powerbi", component);
        context.getPropertiesComponent().addInitialProperty("definition", DEFINITION);
        context.getPropertiesComponent().addInitialProperty("dir", dir.toString());
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.camel.yaml", yaml));
        context.start();
        return context;
    }

    static Exchange ok(Exchange exchange) {
        if (exchange.getException() != null) {
            throw new AssertionError("the exchange failed", exchange.getException());
        }
        return exchange;
    }

    @Test
    @SuppressWarnings("unchecked")
    void loadRowsMovesACsvIntoTheLakehouseTableRefreshesTheDirectLakeModelAndDaxReturnsTheRows() throws Exception {
        routes("""
                - route:
                    from:
                      uri: direct:orders
                      steps:
                        - to:
                            uri: powerbi:loadRows
                            parameters: { %s, dataset: "Sales Lakehouse Model",
                                          datasetDefinition: "{{definition}}", invalidRowPolicy: SKIP }
                - route:
                    from:
                      uri: direct:dax
                      steps:
                        - to:
                            uri: powerbi:executeQuery
                            parameters: { workspace: "Sales Analytics", dataset: "Sales Lakehouse Model",
                                          query: "EVALUATE 'Orders'" }
                """.formatted(LAKEHOUSE));
        Path file = dir.resolve("orders.csv");
        Files.writeString(file, OperationsRouteTest.csv(10, 4), StandardCharsets.UTF_8);
        ProducerTemplate template = context.createProducerTemplate();

        Exchange loaded = ok(template.request("direct:orders", e -> e.getIn().setBody(file.toFile())));

        LoadRowsResult result = loaded.getMessage().getBody(LoadRowsResult.class);
        assertEquals(9L, loaded.getMessage().getHeader(PowerBiConstants.ROWS_LOADED));
        assertEquals(1, loaded.getMessage().getHeader(PowerBiConstants.REJECTED_COUNT), "row 4's Quantity is 'many'");
        assertEquals("Succeeded", loaded.getMessage().getHeader(PowerBiConstants.FABRIC_OPERATION_STATUS));
        assertEquals("Completed", loaded.getMessage().getHeader(PowerBiConstants.REFRESH_STATUS));
        assertEquals(Sandbox.DATASET_SALES_LAKEHOUSE_MODEL, loaded.getMessage().getHeader(PowerBiConstants.DATASET_ID));
        LakehouseTable table =
                sandbox.lakehouse(Sandbox.LAKEHOUSE_SALES).table("Orders").orElseThrow();
        assertEquals(9, table.rowCount());
        assertEquals(
                List.of("OrderId", "OrderedAt", "Customer", "Region", "Product", "Quantity", "UnitPrice", "Paid"),
                table.columnNames(),
                "the definition's columns, in order");
        OneLakeFile written = result.file();
        // named by the component's clock (the sandbox's here), sortable, in the default folder
        assertTrue(written.path().startsWith("Files/camel-powerbi/Orders/Orders-20261118-14"), written.path());
        assertThrows(
                RuntimeException.class,
                () -> sandbox.oneLakeFile(Sandbox.LAKEHOUSE_SALES, written.path()),
                "the load file is deleted once loaded");

        List<Map<String, Object>> rows =
                ok(template.request("direct:dax", e -> {})).getMessage().getBody(List.class);
        assertEquals(9, rows.size());
        assertEquals(
                List.of(1L, 2L, 3L, 5L, 6L, 7L, 8L, 9L, 10L),
                rows.stream()
                        .map(r -> ((Number) r.get("Orders[OrderId]")).longValue())
                        .toList());
        assertEquals("Customer 1", rows.get(0).get("Orders[Customer]"));
    }

    @Test
    void theDirectLakeModelShowsLoadedRowsOnlyAfterItsRefresh() throws Exception {
        routes("""
                - route:
                    from:
                      uri: direct:orders
                      steps:
                        - to:
                            uri: powerbi:loadRows
                            parameters: { %s, datasetDefinition: "{{definition}}" }
                - route:
                    from:
                      uri: direct:refresh
                      steps:
                        - to:
                            uri: powerbi:refreshDataset
                            parameters: { workspace: "Sales Analytics", dataset: "Sales Lakehouse Model" }
                - route:
                    from:
                      uri: direct:count
                      steps:
                        - to:
                            uri: powerbi:executeQuery
                            parameters: { workspace: "Sales Analytics", dataset: "Sales Lakehouse Model",
                                          query: "EVALUATE ROW(\\"n\\", COUNTROWS('Orders'))", stripTableNames: true }
                """.formatted(LAKEHOUSE));
        ProducerTemplate template = context.createProducerTemplate();
        ok(template.request("direct:orders", e -> e.getIn().setBody(OperationsRouteTest.csv(5, -1))));
        ok(template.request("direct:refresh", e -> {}));
        assertEquals(5L, count(template));

        // no dataset option: loaded, not framed; the model still shows the rows of its last refresh
        ok(template.request("direct:orders", e -> e.getIn().setBody(OperationsRouteTest.csv(3, -1))));
        assertEquals(
                8,
                sandbox.lakehouse(Sandbox.LAKEHOUSE_SALES)
                        .table("Orders")
                        .orElseThrow()
                        .rowCount(),
                "appended");
        assertEquals(5L, count(template));
        ok(template.request("direct:refresh", e -> {}));
        assertEquals(8L, count(template));
    }

    @SuppressWarnings("unchecked")
    long count(ProducerTemplate template) {
        List<Map<String, Object>> rows =
                ok(template.request("direct:count", e -> {})).getMessage().getBody(List.class);
        return ((Number) rows.get(0).get("n")).longValue();
    }

    @Test
    void writeOneLakeFileAndLoadTableFromARoute() throws Exception {
        routes("""
                - route:
                    from:
                      uri: direct:write
                      steps:
                        - to:
                            uri: powerbi:writeOneLakeFile
                            parameters: { %1$s, oneLakePath: Files/landing/regions.csv }
                        - to:
                            uri: powerbi:loadTable
                            parameters: { %1$s, oneLakePath: Files/landing/regions.csv, loadMode: Overwrite }
                """.formatted(LAKEHOUSE));
        Exchange e = ok(context.createProducerTemplate()
                .request("direct:write", x -> x.getIn().setBody("Region,Target\nNorth,10\nSouth,20\n")));
        assertEquals("Succeeded", e.getMessage().getHeader(PowerBiConstants.FABRIC_OPERATION_STATUS));
        assertEquals(Sandbox.LAKEHOUSE_SALES, e.getMessage().getHeader(PowerBiConstants.LAKEHOUSE_ID));
        LakehouseTable table =
                sandbox.lakehouse(Sandbox.LAKEHOUSE_SALES).table("Orders").orElseThrow();
        assertEquals(List.of("Region", "Target"), table.columnNames());
        assertEquals(2, table.rowCount());
        assertEquals(
                "Region,Target\nNorth,10\nSouth,20\n",
                new String(
                        sandbox.oneLakeFile(Sandbox.LAKEHOUSE_SALES, "Files/landing/regions.csv"),
                        StandardCharsets.UTF_8),
                "writeOneLakeFile keeps the file");
    }

    @Test
    void loadRowsWithoutTheDefinitionFailsAtRouteStartNamingTheOption() {
        FailedToStartRouteException e =
                assertThrows(FailedToStartRouteException.class, () -> routes("""
                - route:
                    from:
                      uri: direct:orders
                      steps:
                        - to:
                            uri: powerbi:loadRows
                            parameters: { %s }
                """.formatted(LAKEHOUSE)));
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof io.camelpowerbi.InvalidOptionException)) {
            cause = cause.getCause();
        }
        assertTrue(
                cause instanceof io.camelpowerbi.InvalidOptionException named
                        && named.option().equals("datasetDefinition"),
                String.valueOf(cause));
    }
}
