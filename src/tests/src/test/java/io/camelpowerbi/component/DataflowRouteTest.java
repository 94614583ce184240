package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.operations.DataflowTransaction;
import io.camelpowerbi.operations.RefreshTimeoutException;
import io.camelpowerbi.sandbox.Dataflow;
import io.camelpowerbi.sandbox.Sandbox;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * refreshDataflow and dataflowTransactions from YAML routes against the sandbox's dataflow "Sales Prep": the refresh is
 * followed by its own transaction to Success; one that outlives the wait is cancelled; one already running refuses.
 */
class DataflowRouteTest extends SandboxRouteTest {

    Dataflow prep;

    @BeforeEach
    void start() throws Exception {
        prep = sandbox.dataflow(Sandbox.WORKSPACE_SALES_ANALYTICS, Sandbox.DATAFLOW_SALES_PREP);
        routes("""
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
                """);
    }

    Exchange send(String endpoint) {
        return send(endpoint, null);
    }

    @Test
    void aRefreshIsFollowedByItsTransactionToSuccess() {
        Exchange e = ok(send("direct:refresh"));

        DataflowTransaction t = e.getMessage().getBody(DataflowTransaction.class);
        assertEquals("Success", t.status());
        assertEquals(prep.transactions().get(0).id(), t.id());
        assertEquals(t.id(), e.getMessage().getHeader(PowerBiConstants.REFRESH_ID));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed =
                ok(send("direct:transactions")).getMessage().getBody(List.class);
        assertEquals(1, listed.size());
        assertEquals(t.id(), listed.get(0).get("id"));
        assertEquals("Success", listed.get(0).get("status"));
    }

    @Test
    void aRefreshOutlivingTheWaitIsCancelled() {
        RefreshTimeoutException e = assertInstanceOf(
                RefreshTimeoutException.class, send("direct:impatient").getException());

        assertTrue(e.cancelled(), e.getMessage());
        assertEquals(
                Dataflow.CANCELLED,
                prep.transactions().get(0).status(sandbox.clock().now()));
    }

    @Test
    void aRefreshWhileOneRunsIsRefusedAndStartsNothing() {
        ok(send("direct:start"));

        PowerBiException e =
                assertInstanceOf(PowerBiException.class, send("direct:start").getException());

        assertEquals(400, e.httpStatus());
        assertEquals(1, prep.transactions().size());
    }
}
