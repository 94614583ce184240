package io.camelpowerbi.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.camelpowerbi.sandbox.Dataset;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "Embedding in an existing application", done as written: a plain CamelContext that finds {@code powerbi}
 * by itself, the component configured through {@code getConfiguration()}, a Java DSL file route with
 * ensureDataset then pushRows. Only the credential differs: the sandbox's development app instead of a tenant's.
 */
class EmbeddingTest {

    @TempDir
    Path dir;

    @Test
    void theReadmeJavaDslRoutePushesAFileFromAPlainCamelContext() throws Exception {
        try (Sandbox sandbox =
                        Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")));
                CamelContext context = new DefaultCamelContext()) {
            Path inbox = Files.createDirectories(dir.resolve("inbox"));
            String definition =
                    Path.of("config/datasets/sales.yaml").toAbsolutePath().toString();

            PowerBiComponent powerbi = context.getComponent("powerbi", PowerBiComponent.class);
            new LocalSandbox(sandbox).configure(powerbi.getConfiguration());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("file:" + inbox + "?include=.*\\.csv&move=done&moveFailed=failed")
                            .toV(
                                    "powerbi:ensureDataset?workspace=Sales Analytics&datasetDefinition=" + definition,
                                    null,
                                    "ensured")
                            .to("powerbi:pushRows?workspace=Sales Analytics&dataset=Sales&table=Orders"
                                    + "&datasetDefinition=" + definition);
                }
            });
            context.start();

            StringBuilder csv =
                    new StringBuilder("OrderId,OrderedAt,Customer,Region,Product,Quantity,UnitPrice,Paid\n");
            for (int i = 1; i <= 1_234; i++) {
                csv.append(i)
                        .append(",2026-11-30T10:00:00Z,Customer ")
                        .append(i)
                        .append(",North,Widget,")
                        .append(i % 7 + 1)
                        .append(",9.99,true\n");
            }
            Files.writeString(inbox.resolve("orders.csv"), csv);

            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve("done/orders.csv")));
            Dataset sales = sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS).datasets().stream()
                    .filter(d -> d.name().equals("Sales"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(1_234, sales.table("Orders").orElseThrow().rowCount(), "every row of the file arrived once");
        }
    }
}
