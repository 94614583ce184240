package io.camelpowerbi.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.client.PowerBiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryOperationsTest extends WireMockSupport {

    static final String EXECUTE = BASE + "/datasets/" + D + "/executeQueries";
    static final String ROWS = "{\"results\":[{\"tables\":[{\"rows\":["
            + "{\"Sales[Year]\":2024,\"Sales[Region]\":\"North\",\"[Total]\":12.5},"
            + "{\"Sales[Year]\":2025,\"Sales[Region]\":null,\"[Total]\":7}]}]}]}";

    void answer(String body) {
        wm.stubFor(post(urlPathEqualTo(EXECUTE)).willReturn(okJson(body)));
    }

    @Test
    void returnsRowsWithQualifiedNamesAndSendsTheExactBody() {
        answer(ROWS);

        QueryResult result = new QueryOperations(client)
                .execute(G, D, "EVALUATE SUMMARIZE(Sales, Sales[Year])", "ann@contoso.com", true, false);

        assertFalse(result.truncated());
        assertNull(result.errorMessage());
        assertEquals(2, result.rows().size());
        assertEquals(
                List.of("Sales[Year]", "Sales[Region]", "[Total]"),
                new ArrayList<>(result.rows().get(0).keySet()));
        assertEquals(12.5, result.rows().get(0).get("[Total]"));
        assertTrue(result.rows().get(1).containsKey("Sales[Region]"));
        assertNull(result.rows().get(1).get("Sales[Region]"));
        wm.verify(postRequestedFor(urlPathEqualTo(EXECUTE))
                .withRequestBody(equalToJson(
                        "{\"queries\":[{\"query\":\"EVALUATE SUMMARIZE(Sales, Sales[Year])\"}],\"serializerSettings\":{\"includeNulls\":true},"
                                + "\"impersonatedUserName\":\"ann@contoso.com\"}")));
    }

    @Test
    void stripsTableNamesAndLeavesOutImpersonationWhenNotGiven() {
        answer(ROWS);

        QueryResult result = new QueryOperations(client).execute(G, D, "EVALUATE Sales", null, false, true);

        Map<String, Object> first = new LinkedHashMap<>();
        first.put("Year", 2024);
        first.put("Region", "North");
        first.put("Total", 12.5);
        assertEquals(first, result.rows().get(0));
        assertEquals(
                List.of("Year", "Region", "Total"),
                new ArrayList<>(result.rows().get(0).keySet()));
        wm.verify(
                postRequestedFor(urlPathEqualTo(EXECUTE))
                        .withRequestBody(
                                equalToJson(
                                        "{\"queries\":[{\"query\":\"EVALUATE Sales\"}],\"serializerSettings\":{\"includeNulls\":false}}")));
    }

    @Test
    void collidingShortNamesKeepTheirTableNames() {
        // Power BI leaves nulls out of a row unless asked: the second row introduces a column the first one lacks.
        List<Map<String, Object>> rows = List.of(
                new LinkedHashMap<>(Map.of("Sales[Amount]", 1)),
                new LinkedHashMap<>(Map.of("Sales[Amount]", 2, "Budget[Amount]", 3, "Budget[Year]", 2024)));

        List<Map<String, Object>> stripped = QueryOperations.strip(rows);

        assertEquals(Map.of("Sales[Amount]", 1), stripped.get(0));
        assertEquals(Map.of("Sales[Amount]", 2, "Budget[Amount]", 3, "Year", 2024), stripped.get(1));
    }

    @Test
    void shortNamesHandleQuotesAndEscapedBrackets() {
        assertEquals("Amount", QueryOperations.shortName("Sales[Amount]"));
        assertEquals("Total", QueryOperations.shortName("[Total]"));
        assertEquals("a]b", QueryOperations.shortName("'My [odd] Table'[a]]b]"));
        assertEquals("x", QueryOperations.shortName("'it''s'[x]"));
        assertEquals("Plain", QueryOperations.shortName("Plain"));
        assertEquals("[]", QueryOperations.shortName("[]"));
    }

    @Test
    void daxErrorBecomesDaxQueryExceptionQuotingTheQuery() {
        wm.stubFor(
                post(urlPathEqualTo(EXECUTE))
                        .willReturn(
                                aResponse()
                                        .withStatus(400)
                                        .withHeader("Content-Type", "application/json")
                                        .withHeader("RequestId", "req-1")
                                        .withBody(
                                                "{\"error\":{\"code\":\"DatasetExecuteQueriesError\",\"pbi.error\":{\"code\":\"DatasetExecuteQueriesError\","
                                                        + "\"parameters\":{},\"details\":[{\"code\":\"DetailsMessage\",\"detail\":{\"type\":1,\"value\":\"Failed to execute the DAX query.\"}},"
                                                        + "{\"code\":\"AnalysisServicesErrorCode\",\"detail\":{\"type\":1,\"value\":\"3239575574\"}}]}}}")));
        String dax = "EVALUATE FILTER(Sales, Sales[Amount] > 0) " + "x".repeat(300);

        DaxQueryException e = assertThrows(
                DaxQueryException.class, () -> new QueryOperations(client).execute(G, D, dax, null, false, false));

        assertFalse(e.truncated());
        assertContains(
                e.getMessage(),
                "DatasetExecuteQueriesError",
                "Failed to execute the DAX query.",
                "3239575574",
                "Query: " + dax.substring(0, 200) + "…");
        assertFalse(e.getMessage().contains(dax.substring(0, 201)), "only the first 200 characters are quoted");
        assertInstanceOf(PowerBiException.class, e.getCause());
    }

    @Test
    void truncatedResultIsAnErrorUnlessAllowed() {
        answer("{\"results\":[{\"tables\":[{\"rows\":[{\"T[a]\":1},{\"T[a]\":2}],"
                + "\"error\":{\"code\":\"ResultTruncated\",\"message\":\"The result set exceeds 100000 rows\"}}]}]}");
        QueryOperations ops = new QueryOperations(client);

        DaxQueryException e =
                assertThrows(DaxQueryException.class, () -> ops.execute(G, D, "EVALUATE T", null, false, false));

        assertTrue(e.truncated());
        assertContains(
                e.getMessage(),
                "truncated",
                "after 2 rows",
                "ResultTruncated: The result set exceeds 100000 rows",
                "100,000 rows",
                "allowTruncated",
                "Query: EVALUATE T");

        QueryResult allowed = ops.execute(G, D, "EVALUATE T", null, false, true, true);
        assertTrue(allowed.truncated());
        assertEquals(List.of(Map.of("a", 1), Map.of("a", 2)), allowed.rows());
        assertEquals("ResultTruncated: The result set exceeds 100000 rows", allowed.errorMessage());
    }

    @Test
    void errorInsideTheResultAndExtraTablesCountAsTruncation() {
        answer(
                "{\"results\":[{\"tables\":[{\"rows\":[{\"T[a]\":1}]}],\"error\":{\"code\":\"x\",\"message\":\"More than one result table in a query\"}}]}");
        DaxQueryException e = assertThrows(
                DaxQueryException.class,
                () -> new QueryOperations(client).execute(G, D, "EVALUATE T EVALUATE U", null, false, false));
        assertContains(e.getMessage(), "More than one result table in a query");

        wm.resetAll();
        answer("{\"results\":[{\"tables\":[{\"rows\":[{\"T[a]\":1}]},{\"rows\":[{\"U[b]\":2}]}]}]}");
        QueryResult two = new QueryOperations(client).execute(G, D, "EVALUATE T EVALUATE U", null, false, false, true);
        assertTrue(two.truncated());
        assertEquals(List.of(Map.of("T[a]", 1)), two.rows());
        assertContains(two.errorMessage(), "2 result tables");
    }

    @Test
    void emptyQueryIsRefusedBeforeSending() {
        InvalidOptionException e = assertThrows(
                InvalidOptionException.class, () -> new QueryOperations(client).execute(G, D, " ", null, false, false));
        assertEquals("query", e.option());
        assertContains(e.getMessage(), "no DAX query is given");
        assertTrue(requests().isEmpty());
    }
}
