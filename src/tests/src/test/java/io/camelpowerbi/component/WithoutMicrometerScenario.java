package io.camelpowerbi.component;

import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;

/** Run by {@link WithoutMicrometerTest} in a class loader without Micrometer: a push and the health checks. */
public final class WithoutMicrometerScenario implements Callable<String> {

    private final Path dir;

    public WithoutMicrometerScenario(Path dir) {
        this.dir = dir;
    }

    @Override
    public String call() throws Exception {
        try (Sandbox sandbox =
                        Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")));
                CamelContext context = new DefaultCamelContext()) {
            PowerBiComponent component = new PowerBiComponent();
            component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
            context.addComponent("powerbi", component);
            String definition =
                    Path.of("config/datasets/sales.yaml").toAbsolutePath().toString();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:ensure")
                            .to("powerbi:ensureDataset?workspace=Sales Analytics&datasetDefinition=" + definition);
                    from("direct:push")
                            .to("powerbi:pushRows?workspace=Sales Analytics&dataset=Sales&table=Orders"
                                    + "&batchSize=100&datasetDefinition=" + definition);
                }
            });
            context.start();
            context.createProducerTemplate().request("direct:ensure", e -> {});
            StringBuilder csv = new StringBuilder("OrderId,Quantity,UnitPrice,Paid\n");
            for (int i = 1; i <= 250; i++) {
                csv.append(i).append(",1,2.50,true\n");
            }
            Exchange pushed = context.createProducerTemplate()
                    .request("direct:push", e -> e.getIn().setBody(csv.toString()));
            if (pushed.getException() != null) {
                throw pushed.getException();
            }
            // "full": every check's result (the default level answers the DOWN ones, or one when all are UP)
            String health = HealthCheckHelper.invoke(context, "full").stream()
                    .filter(r -> r.getCheck().getId().startsWith("powerbi-"))
                    .sorted((a, b) ->
                            a.getCheck().getId().compareTo(b.getCheck().getId()))
                    .map(r -> r.getCheck().getId() + " " + r.getState())
                    .collect(Collectors.joining("; "));
            return "rows pushed: " + pushed.getMessage().getHeader(PowerBiConstants.ROWS_SENT) + "; " + health;
        }
    }
}
