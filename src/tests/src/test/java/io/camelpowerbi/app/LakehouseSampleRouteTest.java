package io.camelpowerbi.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.TestClocks;
import io.camelpowerbi.component.PowerBiComponent;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.sandbox.LakehouseTable;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxClock;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes/fabric/orders-to-lakehouse.camel.yaml, as shipped with config/application.properties, against the sandbox: an
 * orders file into the lakehouse table, the Direct Lake model refreshed, DAX reading the rows, rejections kept.
 */
class LakehouseSampleRouteTest {

    static final Path ROUTE = Path.of("routes/fabric/orders-to-lakehouse.camel.yaml");

    @TempDir
    Path dir;

    @Test
    void anOrdersFileEndsUpInTheLakehouseTableAndTheModelShowsIt() throws Exception {
        Path data = dir.resolve("data");
        try (Sandbox sandbox = Sandbox.start(
                        SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")),
                        SandboxClock.startingAt(TestClocks.WORKING_AFTERNOON));
                DefaultCamelContext context = new DefaultCamelContext()) {
            sandbox.setLoadTableDuration(Duration.ofMillis(300));
            context.getPropertiesComponent().setLocation("file:config/application.properties");
            Properties overrides = new Properties();
            overrides.setProperty("powerbi.data.dir", data.toString());
            context.getPropertiesComponent().setOverrideProperties(overrides);
            PowerBiComponent powerbi = new PowerBiComponent();
            powerbi.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
            powerbi.getConfiguration().setPollInterval(java.time.Duration.ofMillis(100));
            context.addComponent("powerbi", powerbi);
            PluginHelper.getRoutesLoader(context)
                    .loadRoutes(ResourceHelper.fromString(ROUTE.getFileName().toString(), Files.readString(ROUTE)));
            context.start();

            Path inbox = Files.createDirectories(data.resolve("lakehouse-inbox"));
            Path staged = dir.resolve("orders-1.csv");
            Files.writeString(staged, """
                    OrderId,OrderedAt,Customer,Region,Product,Quantity,UnitPrice,Paid
                    1,2026-11-18T09:00:00Z,Contoso,North,Widget,2,19.99,true
                    2,2026-11-18T09:05:00Z,Fabrikam,South,Gadget,many,5.00,false
                    3,2026-11-18T09:10:00Z,Tailspin,West,Widget,1,19.99,true
                    """, StandardCharsets.UTF_8);
            // written completely before it appears: the route's readLock then has no reason to wait for more
            Files.setLastModifiedTime(staged, FileTime.from(Instant.now().minusSeconds(60)));
            Files.move(staged, inbox.resolve("orders-1.csv"));

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(inbox.resolve("done/orders-1.csv"))
                            || Files.exists(inbox.resolve("failed/orders-1.csv")));
            assertTrue(Files.exists(inbox.resolve("done/orders-1.csv")), "the file was loaded");

            LakehouseTable table =
                    sandbox.lakehouse(Sandbox.LAKEHOUSE_SALES).table("Orders").orElseThrow();
            assertEquals(2, table.rowCount());
            Path rejected = data.resolve("rejected/orders-1-rejected.json");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(rejected));
            assertTrue(Files.readString(rejected).contains("Quantity"), Files.readString(rejected));

            // the route refreshed the Direct Lake model: DAX over it sees the two rows
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = context.createProducerTemplate()
                    .requestBody(
                            "powerbi:executeQuery?workspace=Sales Analytics&dataset=Sales Lakehouse Model",
                            "EVALUATE 'Orders'",
                            List.class);
            assertEquals(
                    List.of("Contoso", "Tailspin"),
                    rows.stream().map(r -> r.get("Orders[Customer]")).toList());
        }
    }
}
