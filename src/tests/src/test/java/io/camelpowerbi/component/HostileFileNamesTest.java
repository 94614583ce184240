package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report names chosen by whoever controls the tenant become file names: they must not leave the target folder. */
class HostileFileNamesTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void exportsOfHostileReportNamesStayInTheTargetFolder() throws Exception {
        SandboxConfig config = SandboxConfig.load(
                        Path.of("src/tests/src/test/resources/io/camelpowerbi/sandbox/hostile-names.yaml"))
                .with(SandboxConfig::stateDir, dir.resolve("sandbox"));
        Path target = Files.createDirectories(dir.resolve("exports/inside"));
        try (Sandbox sandbox = Sandbox.start(config);
                CamelContext ctx = new DefaultCamelContext()) {
            PowerBiComponent component = new PowerBiComponent();
            component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
            component.getConfiguration().setPollInterval(Duration.ofMillis(100));
            ctx.addComponent("powerbi", component);
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:reports").to("powerbi:listReports?workspace=" + Sandbox.WORKSPACE_SALES_ANALYTICS);
                    from("direct:export")
                            .toD("powerbi:exportReport?workspace=" + Sandbox.WORKSPACE_SALES_ANALYTICS
                                    + "&report=${header.report}")
                            .to("file:" + target);
                }
            });
            ctx.start();
            List<Map<String, Object>> reports =
                    ctx.createProducerTemplate().requestBody("direct:reports", null, List.class);
            assertTrue(reports.size() >= 2, reports.toString());
            for (Map<String, Object> report : reports) {
                Exchange e = ctx.createProducerTemplate()
                        .request("direct:export", x -> x.getIn().setHeader("report", report.get("id")));
                if (e.getException() != null) {
                    throw new AssertionError("export of " + report.get("name") + " failed", e.getException());
                }
                String name = e.getMessage().getHeader(PowerBiConstants.FILE_NAME, String.class);
                assertEquals(Path.of(name).getFileName().toString(), name, "a single path element: " + name);
                assertTrue(Files.isRegularFile(target.resolve(name)), name);
            }
        }
        try (Stream<Path> everything = Files.walk(dir.resolve("exports"))) {
            List<Path> files = everything.filter(Files::isRegularFile).toList();
            assertTrue(files.stream().allMatch(f -> f.getParent().equals(target)), files.toString());
        }
        try (Stream<Path> outside = Files.list(dir)) {
            assertEquals(
                    List.of("exports", "sandbox"),
                    outside.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
