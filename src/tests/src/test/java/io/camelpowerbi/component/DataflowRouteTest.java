package io.camelpowerbi.component;

import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.operations.DataflowTransaction;
import io.camelpowerbi.operations.RefreshTimeoutException;
import io.camelpowerbi.sandbox.Dataflow;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
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

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * refreshDataflow and dataflowTransactions from YAML routes against the sandbox's dataflow "Sales Prep": the refresh is
 * followed by its own transaction to Success; one that outlives the wait is cancelled; one already running refuses.
 */
class DataflowRouteTest {

    @TempDir
    static Path dir;
    static Sandbox sandbox;
    CamelContext context;
    Dataflow prep;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().withPort(0).withStateDir(dir.resolve("sandbox")));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void routes() throws Exception {
        sandbox.reset();
        prep = sandbox.dataflow(Sandbox.WORKSPACE_SALES_ANALYTICS, Sandbox.DATAFLOW_SALES_PREP);
        context = new DefaultCamelContext();
        PowerBiComponent component = new PowerBiComponent();
        component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
        component.getConfiguration().setPollInterval(100);
        context.addComponent("powerbi", component);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.camel.yaml", """
                - route:
                    from:
                      uri: direct:refresh
                      steps:
                        - to: { uri: powerbi:refreshDataflow, parameters: { workspace: "Sales Analytics", dataflow: "Sales Prep" } }
                - route:
                    from:
                      uri: direct:start
                      steps:
                        - to:
                            uri: powerbi:refreshDataflow
                            parameters: { workspace: "Sales Analytics", dataflow: "Sales Prep", waitForCompletion: false }
                - route:
                    from:
                      uri: direct:impatient
                      steps:
                        - to:
                            uri: powerbi:refreshDataflow
                            parameters: { workspace: "Sales Analytics", dataflow: "Sales Prep", waitTimeout: 300, cancelOnTimeout: true }
                - route:
                    from:
                      uri: direct:transactions
                      steps:
                        - to: { uri: powerbi:dataflowTransactions, parameters: { workspace: "Sales Analytics", dataflow: "Sales Prep" } }
                """));
        context.start();
    }

    @AfterEach
    void stopContext() throws Exception {
        context.close();
    }

    Exchange send(String endpoint) {
        return context.createProducerTemplate().request(endpoint, x -> {
        });
    }

    static Exchange ok(Exchange e) {
        if (e.getException() != null) {
            throw new AssertionError("the exchange failed", e.getException());
        }
        return e;
    }

    @Test
    void aRefreshIsFollowedByItsTransactionToSuccess() {
        Exchange e = ok(send("direct:refresh"));

        DataflowTransaction t = e.getMessage().getBody(DataflowTransaction.class);
        assertEquals("Success", t.status());
        assertEquals(prep.transactions().get(0).id(), t.id());
        assertEquals(t.id(), e.getMessage().getHeader(PowerBiConstants.REFRESH_ID));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed = ok(send("direct:transactions")).getMessage().getBody(List.class);
        assertEquals(1, listed.size());
        assertEquals(t.id(), listed.get(0).get("id"));
        assertEquals("Success", listed.get(0).get("status"));
    }

    @Test
    void aRefreshOutlivingTheWaitIsCancelled() {
        RefreshTimeoutException e = assertInstanceOf(RefreshTimeoutException.class, send("direct:impatient").getException());

        assertTrue(e.cancelled(), e.getMessage());
        assertEquals(Dataflow.CANCELLED, prep.transactions().get(0).status(sandbox.clock().now()));
    }

    @Test
    void aRefreshWhileOneRunsIsRefusedAndStartsNothing() {
        ok(send("direct:start"));

        PowerBiException e = assertInstanceOf(PowerBiException.class, send("direct:start").getException());

        assertEquals(400, e.httpStatus());
        assertEquals(1, prep.transactions().size());
    }
}
