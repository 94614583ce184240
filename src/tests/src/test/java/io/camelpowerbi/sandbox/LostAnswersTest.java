package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.PowerBiCalls.SALES;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertPowerBiHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The fault kind "served, then the answer was lost" ({@code afterProcessing}): the request does its work, and the client
 * gets a dropped connection or a 504 instead of the answer. Faults that replace the handler cannot show that case.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LostAnswersTest {

    static final String RETAIL_ROWS = SALES + "/datasets/" + Sandbox.DATASET_RETAIL + "/tables/Sales/rows";
    static final String ROW = "{\"rows\":[{\"OrderId\":9001,\"Region\":\"North\",\"Quantity\":1}]}";

    Sandbox sandbox;
    PowerBiCalls api;

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(SandboxTestSupport.config());
        api = new PowerBiCalls(sandbox);
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @BeforeEach
    void fresh() {
        sandbox.reset();
    }

    long retailRows() {
        return sandbox.dataset(Sandbox.DATASET_RETAIL)
                .table("Sales")
                .orElseThrow()
                .rowCount();
    }

    @Test
    void aGatewayTimeoutAfterTheRowsWereStored() {
        long before = retailRows();
        sandbox.faults()
                .add(FaultRule.status("/rows$", 504)
                        .onMethod("POST")
                        .afterServing()
                        .times(1));

        PowerBiCalls.Response r = api.post(RETAIL_ROWS, ROW);

        assertEquals(504, r.status(), r.toString());
        assertPowerBiHeaders(r);
        assertEquals(before + 1, retailRows(), "the rows were stored although the answer says otherwise");
        assertEquals(200, api.post(RETAIL_ROWS, ROW).status(), "the rule fired once");
        assertEquals(before + 2, retailRows());
    }

    @Test
    void aDroppedConnectionAfterTheDatasetWasCreated() {
        int before =
                sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS).datasets().size();
        sandbox.faults()
                .add(FaultRule.drop("/datasets$")
                        .onMethod("POST")
                        .afterServing()
                        .times(1));

        assertThrows(
                UncheckedIOException.class,
                () -> api.post(
                        SALES + "/datasets",
                        "{\"name\":\"Lost\",\"tables\":"
                                + "[{\"name\":\"T\",\"columns\":[{\"name\":\"Id\",\"dataType\":\"Int64\"}]}]}"));

        assertEquals(
                before + 1,
                sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS).datasets().size());
        assertTrue(sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS).datasets().stream()
                .anyMatch(d -> d.name().equals("Lost")));
    }

    @Test
    void aRefusalIsLostTheSameWay() {
        long before = retailRows();
        sandbox.faults()
                .add(FaultRule.status("/rows$", 504)
                        .onMethod("POST")
                        .afterServing()
                        .times(1));

        assertEquals(504, api.post(RETAIL_ROWS, "{\"rows\": 5}").status(), "the 400 it earned is replaced as well");
        assertEquals(before, retailRows());
    }

    @Test
    void theRuleCanBePostedAsJsonAndNeedsSomethingToAnswerWith() {
        PowerBiCalls.Response added = api.control(
                "POST",
                "/_sandbox/faults",
                "{\"path\":\"/refreshes$\",\"method\":\"POST\",\"status\":502,\"afterProcessing\":true,\"maxCount\":1}");
        assertEquals(201, added.status(), added.toString());
        assertTrue(sandbox.faults().rules().get(0).afterProcessing());

        PowerBiCalls.Response refused = api.control(
                "POST", "/_sandbox/faults", "{\"path\":\"/refreshes$\",\"delayMs\":10,\"afterProcessing\":true}");
        assertEquals(400, refused.status(), refused.toString());
        assertTrue(refused.body().contains("set status or dropConnection"), refused.body());
    }
}
