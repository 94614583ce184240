package io.camelpowerbi.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One row stream serving more datasets than Camel's default pools queue tasks (1,000): each dataset with rows lingering
 * holds a timer on the stream's scheduler, and every one of them must fire.
 */
class RowStreamManyDatasetsTest {

    static final String WS = "5a0c3a8e-6f0e-4d7b-9a51-3c2b1d0e9f11";
    static final int DATASETS = 1_100;

    @TempDir
    Path dir;

    @Test
    void rowsLingeringInMoreThanAThousandDatasetsAtOnceAllGoOut() throws Exception {
        JsonNode table = new ObjectMapper()
                .readTree("{\"name\":\"Readings\",\"columns\":[{\"name\":\"Id\",\"dataType\":" + "\"Int64\"}]}");
        SandboxConfig.WorkspaceConfig workspace = SandboxConfig.WorkspaceConfig.of(WS, "Plants", Sandbox.DEV_CLIENT_ID);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < DATASETS; i++) {
            String id = UUID.nameUUIDFromBytes(("plant-" + i).getBytes()).toString();
            ids.add(id);
            workspace =
                    workspace.withDataset(SandboxConfig.DatasetConfig.push(id, "Plant " + i, "None", List.of(table)));
        }
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.defaults()
                        .with(SandboxConfig::stateDir, dir.resolve("sandbox"))
                        .withTenant(SandboxConfig.devTenantConfig().withWorkspace(workspace)));
                CamelContext context = new DefaultCamelContext()) {
            PowerBiComponent component = new PowerBiComponent();
            component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
            context.addComponent("powerbi", component);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // the linger outlasts the offers: every dataset's timer is queued at once
                    from("direct:rows").to("powerbi:pushRows?streaming=true&lingerTime=PT15S");
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            template.setThreadedAsyncMode(false);
            Map<String, Exchange> completed = new ConcurrentHashMap<>();
            for (int i = 0; i < DATASETS; i++) {
                String id = ids.get(i);
                long row = i;
                template.asyncSend("direct:rows", x -> {
                            x.getIn().setBody("{\"Id\":" + row + "}");
                            x.getIn().setHeader(PowerBiConstants.TARGET, WS + "/" + id + "/Readings");
                        })
                        .thenAccept(x -> completed.put(id, x));
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> completed.size() == DATASETS);
            for (int i = 0; i < DATASETS; i++) {
                assertNull(completed.get(ids.get(i)).getException(), "dataset " + i);
                List<Object[]> rows = sandbox.dataset(ids.get(i))
                        .table("Readings")
                        .orElseThrow()
                        .rows(10);
                assertEquals(1, rows.size(), "dataset " + i);
                assertEquals((long) i, ((Number) rows.get(0)[0]).longValue());
            }
        }
    }
}
