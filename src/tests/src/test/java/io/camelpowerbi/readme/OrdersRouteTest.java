package io.camelpowerbi.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.testing.PowerBiSandbox;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * README, "Testing your routes against the sandbox", exactly as written there (only this comment and the package
 * differ): an embedding team's route test with camel-test-junit5 and the sandbox's JUnit 5 extension.
 */
class OrdersRouteTest extends CamelTestSupport {

    @RegisterExtension
    static PowerBiSandbox powerBi = PowerBiSandbox.create();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return powerBi.configure(super.createCamelContext());
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:orders").to("powerbi:pushRows?workspace=Sales Analytics&dataset=Retail&table=Sales");
            }
        };
    }

    @Test
    void ordersArePushed() {
        template.sendBody(
                "direct:orders",
                List.of(
                        Map.of("OrderId", 1001, "Region", "North", "Amount", 12.5),
                        Map.of("OrderId", 1002, "Region", "South", "Amount", 7)));

        // the Retail dataset is seeded with five rows; ours come after them
        var sales =
                powerBi.sandbox().dataset(Sandbox.DATASET_RETAIL).table("Sales").orElseThrow();
        assertEquals(7, sales.rowCount());
    }
}
