package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.PowerBiCalls.SALES;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertError;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertPowerBiHeaders;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertThrottled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** executeQueries: Microsoft Learn. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecuteQueriesTest {

    static final String RETAIL = SALES + "/datasets/" + Sandbox.DATASET_RETAIL + "/executeQueries";
    static final String MODEL = SALES + "/datasets/" + Sandbox.DATASET_FINANCE_MODEL + "/executeQueries";

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

    static String query(String dax) {
        return "{\"queries\":[{\"query\":" + TestHttp.JSON.valueToTree(dax) + "}]}";
    }

    static JsonNode rows(PowerBiCalls.Response r) {
        assertEquals(200, r.status(), r.toString());
        return r.json().at("/results/0/tables/0/rows");
    }

    @Test
    void row19EvaluateTableReturnsQualifiedColumns() {
        PowerBiCalls.Response r = api.post(RETAIL, query("EVALUATE 'Sales'"));
        assertPowerBiHeaders(r);
        JsonNode rows = rows(r);
        assertEquals(5, rows.size());
        JsonNode first = rows.get(0);
        assertEquals(1001, first.get("Sales[OrderId]").asLong());
        assertEquals("2026-01-05T09:30:00", first.get("Sales[OrderDate]").asText());
        assertEquals("North", first.get("Sales[Region]").asText());
        assertEquals(1299.9, first.get("Sales[Amount]").asDouble());
        assertTrue(first.get("Sales[Paid]").asBoolean());
        assertTrue(first.get("Sales[OrderId]").isIntegralNumber());
        assertFalse(r.json().at("/results/0").has("error"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"EVALUATE Sales", "evaluate 'sales'", "  EVALUATE\n\t'Sales' ;  "})
    void row19KeywordsAndQuotingAreFlexible(String dax) {
        assertEquals(5, rows(api.post(RETAIL, query(dax))).size());
    }

    @Test
    void row19TopnAndCountrows() {
        JsonNode top = rows(api.post(RETAIL, query("EVALUATE TOPN(2, 'Sales')")));
        assertEquals(List.of(1001L, 1002L), ids(top));
        JsonNode byAmount = rows(api.post(RETAIL, query("EVALUATE TOPN(2, 'Sales', 'Sales'[Amount], DESC)")));
        assertEquals(List.of(1001L, 1004L), ids(byAmount));
        JsonNode ascending = rows(api.post(RETAIL, query("evaluate topn(1, Sales, [Quantity], ASC)")));
        assertEquals(List.of(1004L), ids(ascending));

        JsonNode count = rows(api.post(RETAIL, query("EVALUATE ROW(\"n\", COUNTROWS('Sales'))")));
        assertEquals(1, count.size());
        assertEquals(5, count.get(0).get("[n]").asInt());
        // imported models are queryable too (the seeded Budget table)
        assertEquals(
                4,
                rows(api.post(MODEL, query("EVALUATE ROW(\"Rows\", COUNTROWS(Budget))")))
                        .get(0)
                        .get("[Rows]")
                        .asInt());
    }

    static List<Long> ids(JsonNode rows) {
        return StreamSupport.stream(rows.spliterator(), false)
                .map(n -> n.get("Sales[OrderId]").asLong())
                .toList();
    }

    @Test
    void row19NullsAreOmittedUnlessIncludeNullsAndImpersonationIsAccepted() {
        assertEquals(
                200,
                api.post(
                                SALES + "/datasets/" + Sandbox.DATASET_RETAIL + "/tables/Sales/rows",
                                "{\"rows\":[{\"OrderId\":2000}]}")
                        .status());
        JsonNode omitted = rows(api.post(RETAIL, query("EVALUATE 'Sales'"))).get(5);
        assertEquals(1, omitted.size(), omitted.toString());
        PowerBiCalls.Response r = api.post(
                RETAIL,
                "{\"queries\":[{\"query\":\"EVALUATE 'Sales'\"}],"
                        + "\"serializerSettings\":{\"includeNulls\":true},\"impersonatedUserName\":\"someone@contoso.com\"}");
        JsonNode withNulls = rows(r).get(5);
        assertEquals(7, withNulls.size(), withNulls.toString());
        assertTrue(withNulls.get("Sales[Region]").isNull());
    }

    @Test
    void row19CannedResultsAnswerOtherQueries() {
        JsonNode rows = rows(
                api.post(MODEL, query("EVALUATE  SUMMARIZECOLUMNS('Budget'[Year], \"Total\", SUM('Budget'[Amount]))")));
        assertEquals(2, rows.size());
        assertEquals(2025, rows.get(0).get("Budget[Year]").asInt());
        assertEquals(1_200_000, rows.get(0).get("[Total]").asLong());

        // added at run time
        PowerBiCalls.Response set = api.control(
                "POST",
                "/_sandbox/datasets/" + Sandbox.DATASET_RETAIL + "/queries",
                "{\"query\":\"EVALUATE VALUES('Sales'[Region])\",\"rows\":[{\"Sales[Region]\":\"North\"},"
                        + "{\"Sales[Region]\":null}]}");
        assertEquals(204, set.status(), set.toString());
        JsonNode regions = rows(api.post(RETAIL, query("EVALUATE VALUES('Sales'[Region])")));
        assertEquals(2, regions.size());
        assertEquals(0, regions.get(1).size(), "canned nulls are omitted too");
    }

    @Test
    void row20InvalidDaxOrTwoQueriesAre400WithTheDocumentedShape() {
        for (String body : List.of(
                query("EVALUATE SUMMARIZE(Sales)"),
                query("EVALUATE 'Nope'"),
                "{\"queries\":[{\"query\":\"EVALUATE Sales\"},{\"query\":\"EVALUATE Sales\"}]}",
                "{\"queries\":[]}",
                "{}")) {
            PowerBiCalls.Response r = api.post(RETAIL, body);
            JsonNode error = assertError(r, 400, "DatasetExecuteQueriesError").get("error");
            JsonNode pbi = error.get("pbi.error");
            assertEquals("DatasetExecuteQueriesError", pbi.get("code").asText());
            assertTrue(pbi.get("parameters").isObject());
            assertEquals("DetailsMessage", pbi.at("/details/0/code").asText());
            assertEquals(1, pbi.at("/details/0/detail/type").asInt());
            assertEquals(
                    "Failed to execute the DAX query.",
                    pbi.at("/details/0/detail/value").asText());
        }
        assertError(
                api.post(
                        SALES + "/datasets/" + java.util.UUID.randomUUID() + "/executeQueries",
                        query("EVALUATE Sales")),
                404,
                "PowerBIEntityNotFound");
    }

    @Test
    void row21ResultsOverTheCapAreTruncatedWithAnErrorInTheResult() {
        sandbox.setLimits(sandbox.limits().merge(Map.of("executeQueriesMaxRows", 3)));
        PowerBiCalls.Response r = api.post(RETAIL, query("EVALUATE 'Sales'"));
        assertEquals(3, rows(r).size());
        JsonNode error = r.json().at("/results/0/error");
        assertFalse(error.isMissingNode(), r.toString());
        assertTrue(error.get("message").asText().contains("3"), error.toString());
        assertFalse(api.post(RETAIL, query("EVALUATE TOPN(3, Sales)"))
                .json()
                .at("/results/0")
                .has("error"));

        // 1,000,000 values: 7 columns x 2 rows > 10 values
        sandbox.setLimits(sandbox.limits().merge(Map.of("executeQueriesMaxRows", 100, "executeQueriesMaxValues", 10)));
        PowerBiCalls.Response values = api.post(RETAIL, query("EVALUATE 'Sales'"));
        assertEquals(1, rows(values).size());
        assertTrue(values.json().at("/results/0").has("error"));
    }

    @Test
    void row22MoreThan120QueriesPerMinuteIs429() {
        for (int i = 1; i <= 120; i++) {
            assertEquals(
                    200,
                    api.post(RETAIL, query("EVALUATE ROW(\"n\", COUNTROWS(Sales))"))
                            .status(),
                    "query " + i);
        }
        long retryAfter = assertThrottled(api.post(RETAIL, query("EVALUATE Sales")));
        assertTrue(retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals(1, sandbox.stateJson().get("throttledExecuteQueries").asInt());
        // the limit is per caller and per minute, not per dataset
        assertThrottled(api.post(MODEL, query("EVALUATE Budget")));
    }
}
