package io.camelpowerbi.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.camelpowerbi.TestClock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetOperationsTest extends WireMockSupport {

    static final DatasetDefinition SALES = DatasetDefinition.fromMap(Map.of(
            "name",
            "Sales",
            "retentionPolicy",
            "basicFIFO",
            "tables",
            List.of(
                    Map.of(
                            "name",
                            "Orders",
                            "columns",
                            List.of(
                                    Map.of("name", "OrderId", "dataType", "Int64"),
                                    Map.of("name", "Amount", "dataType", "Double"))),
                    Map.of("name", "Order Lines", "columns", List.of(Map.of("name", "Sku", "dataType", "string"))))));

    static final String ORDERS_REMOTE =
            "{\"name\":\"Orders\",\"columns\":[{\"name\":\"OrderId\",\"dataType\":\"Int64\"},"
                    + "{\"name\":\"Amount\",\"dataType\":\"Double\"}]}";
    static final String LINES_REMOTE =
            "{\"name\":\"Order Lines\",\"columns\":[{\"name\":\"Sku\",\"dataType\":\"String\"}]}";

    void datasets(String json) {
        wm.stubFor(get(urlPathEqualTo(BASE + "/datasets")).willReturn(okJson(json)));
    }

    void tables(String... tables) {
        wm.stubFor(get(urlPathEqualTo(BASE + "/datasets/" + D + "/tables"))
                .willReturn(okJson("{\"@odata.context\":\"ctx\",\"value\":[" + String.join(",", tables) + "]}")));
    }

    @Test
    void createsAMissingDatasetWithRetentionPolicyAndRemembersItsId() {
        datasets("{\"value\":[{\"id\":\"other\",\"name\":\"Stock\"}]}");
        wm.stubFor(post(urlPathEqualTo(BASE + "/datasets"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                                "{\"id\":\"" + D + "\",\"name\":\"Sales\",\"defaultRetentionPolicy\":\"basicFIFO\"}")));
        NameResolver resolver = new NameResolver(client);

        DatasetOperations.EnsureResult result =
                new DatasetOperations(client, resolver, Poller.SYSTEM).ensureDataset(G, SALES);

        assertEquals(new DatasetOperations.EnsureResult(D, true, 2, 3), result);
        wm.verify(postRequestedFor(urlPathEqualTo(BASE + "/datasets"))
                .withQueryParam("defaultRetentionPolicy", equalTo("basicFIFO"))
                .withRequestBody(equalToJson("{\"name\":\"Sales\",\"defaultMode\":\"Push\",\"tables\":["
                        + "{\"name\":\"Orders\",\"columns\":[{\"name\":\"OrderId\",\"dataType\":\"Int64\"},{\"name\":\"Amount\",\"dataType\":\"Double\"}]},"
                        + "{\"name\":\"Order Lines\",\"columns\":[{\"name\":\"Sku\",\"dataType\":\"String\"}]}]}")));
        int before = requests().size();
        assertEquals(D, resolver.datasetId(G, "Sales"));
        assertEquals(before, requests().size());
    }

    @Test
    void aCreateWhoseAnswerWasLostIsLookedUpByNameNotSentAgain() {
        // The dataset was made, the connection broke before the answer: a second POST makes a second "Sales".
        TestClock time = new TestClock();
        wm.stubFor(get(urlPathEqualTo(BASE + "/datasets"))
                .inScenario("d")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("made")
                .willReturn(okJson("{\"value\":[{\"id\":\"other\",\"name\":\"Stock\"}]}")));
        wm.stubFor(get(urlPathEqualTo(BASE + "/datasets"))
                .inScenario("d")
                .whenScenarioStateIs("made")
                .willReturn(okJson("{\"value\":[{\"id\":\"other\",\"name\":\"Stock\"},{\"id\":\"" + D
                        + "\",\"name\":\"Sales\"}]}")));
        wm.stubFor(post(urlPathEqualTo(BASE + "/datasets"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        NameResolver resolver = new NameResolver(client);

        DatasetOperations.EnsureResult result =
                new DatasetOperations(client, resolver, new Poller(time)).ensureDataset(G, SALES);

        assertEquals(new DatasetOperations.EnsureResult(D, true, 2, 3), result);
        wm.verify(1, postRequestedFor(urlPathEqualTo(BASE + "/datasets")));
        assertEquals(D, resolver.datasetId(G, "Sales"));
    }

    @Test
    void aCreateThatDidNotHappenIsSentOnceMore() {
        TestClock time = new TestClock();
        datasets("{\"value\":[]}");
        wm.stubFor(post(urlPathEqualTo(BASE + "/datasets"))
                .inScenario("p")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("ok")
                .willReturn(aResponse().withStatus(504)));
        wm.stubFor(post(urlPathEqualTo(BASE + "/datasets"))
                .inScenario("p")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"" + D + "\",\"name\":\"Sales\"}")));

        DatasetOperations.EnsureResult result =
                new DatasetOperations(client, null, new Poller(time)).ensureDataset(G, SALES);

        assertEquals(D, result.datasetId());
        wm.verify(2, postRequestedFor(urlPathEqualTo(BASE + "/datasets")));
        assertEquals(DatasetOperations.RECONCILE_WINDOW, time.slept());
    }

    @Test
    void aTableTheDatasetLacksIsRefusedBeforeAnythingIsSent() {
        // Orders lacks the definition's Amount column (a PUT would add it) and Order Lines is missing altogether. Power
        // BI has no call that adds a table to an existing push dataset (PUT tables/{new} is 404 ItemNotFound:
        // PowerBI-CSharp#127, gbrueckl/PowerBI.API.Client#21), so nothing is sent, and the message says what to do.
        datasets("{\"value\":[{\"id\":\"" + D + "\",\"name\":\"Sales\"}]}");
        tables("{\"name\":\"Orders\",\"columns\":[{\"name\":\"OrderId\",\"dataType\":\"Int64\"}]}");

        DatasetDefinitionException e = assertThrows(
                DatasetDefinitionException.class, () -> new DatasetOperations(client).ensureDataset(G, SALES));

        assertContains(
                e.getMessage(),
                "dataset 'Sales' (" + D + ") cannot be made to match inline definition; nothing was changed",
                "table 'Order Lines' is in inline definition but not in the dataset",
                "Power BI has no call that adds a table to an existing push dataset",
                "a new dataset",
                "delete dataset 'Sales' so it is created again with every table");
        wm.verify(0, putRequestedFor(anyUrl()));
        assertEquals(
                List.of(
                        "GET /v1.0/myorg/groups/" + G + "/datasets",
                        "GET /v1.0/myorg/groups/" + G + "/datasets/" + D + "/tables"),
                traffic());
    }

    @Test
    void aMissingTableAndATypeConflictAreReportedTogether() {
        datasets("{\"value\":[{\"id\":\"" + D + "\",\"name\":\"Sales\"}]}");
        tables(ORDERS_REMOTE.replace("\"Double\"", "\"Int64\""));

        DatasetDefinitionException e = assertThrows(
                DatasetDefinitionException.class, () -> new DatasetOperations(client).ensureDataset(G, SALES));

        assertContains(
                e.getMessage(),
                "table 'Order Lines' is in inline definition but not in the dataset",
                "table 'Orders', column 'Amount' is Int64 in Power BI but Double in inline definition",
                "no call that adds a table",
                "cannot change a column's type");
        wm.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    void addsAMissingColumnKeepingTheExistingOnesAndTheirProperties() {
        datasets("{\"value\":[{\"id\":\"" + D + "\",\"name\":\"Sales\"}]}");
        tables(
                "{\"name\":\"Orders\",\"columns\":[{\"name\":\"OrderId\",\"dataType\":\"Int64\",\"isHidden\":true},"
                        + "{\"name\":\"Legacy\",\"dataType\":\"string\"}],\"measures\":[{\"name\":\"Count\",\"expression\":\"COUNTROWS(Orders)\"}]}",
                LINES_REMOTE);
        wm.stubFor(put(urlPathEqualTo(BASE + "/datasets/" + D + "/tables/Orders"))
                .willReturn(okJson("{\"name\":\"Orders\"}")));

        DatasetOperations.EnsureResult result = new DatasetOperations(client).ensureDataset(G, SALES);

        assertEquals(new DatasetOperations.EnsureResult(D, false, 0, 1), result);
        wm.verify(1, putRequestedFor(anyUrl()));
        wm.verify(putRequestedFor(urlPathEqualTo(BASE + "/datasets/" + D + "/tables/Orders"))
                .withRequestBody(equalToJson(
                        "{\"name\":\"Orders\",\"columns\":[{\"name\":\"OrderId\",\"dataType\":\"Int64\",\"isHidden\":true},"
                                + "{\"name\":\"Legacy\",\"dataType\":\"String\"},{\"name\":\"Amount\",\"dataType\":\"Double\"}],"
                                + "\"measures\":[{\"name\":\"Count\",\"expression\":\"COUNTROWS(Orders)\"}]}")));
    }

    @Test
    void secondCallChangesNothing() {
        datasets("{\"value\":[{\"id\":\"" + D + "\",\"name\":\"Sales\"}]}");
        // Power BI's spelling of types may differ from the file's ("string" vs "String"): still the same type.
        tables(ORDERS_REMOTE, LINES_REMOTE.replace("\"String\"", "\"string\""));

        DatasetOperations.EnsureResult result = new DatasetOperations(client).ensureDataset(G, SALES);

        assertEquals(new DatasetOperations.EnsureResult(D, false, 0, 0), result);
        assertFalse(result.changed());
        assertTrue(
                requests().stream()
                        .map(LoggedRequest::getMethod)
                        .allMatch(m -> m.getName().equals("GET")),
                traffic().toString());
    }

    @Test
    void aTableListedWithoutColumnsIsLeftAlone() {
        datasets("{\"value\":[{\"id\":\"" + D + "\",\"name\":\"Sales\"}]}");
        // The service may list tables by name only: without its columns a PUT could drop some, so none is sent.
        tables("{\"name\":\"Orders\"}", LINES_REMOTE);

        DatasetOperations.EnsureResult result = new DatasetOperations(client).ensureDataset(G, SALES);

        assertEquals(new DatasetOperations.EnsureResult(D, false, 0, 0), result);
        wm.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    void changedColumnTypeIsAClearErrorAndNothingIsSent() {
        datasets("{\"value\":[{\"id\":\"" + D + "\",\"name\":\"Sales\"}]}");
        // Orders.Amount changed type: nothing may be changed at all.
        tables(ORDERS_REMOTE.replace("\"Double\"", "\"Int64\""), LINES_REMOTE);

        DatasetDefinitionException e = assertThrows(
                DatasetDefinitionException.class, () -> new DatasetOperations(client).ensureDataset(G, SALES));

        assertContains(
                e.getMessage(),
                "table 'Orders', column 'Amount' is Int64 in Power BI but Double in inline definition",
                "cannot change a column's type");
        wm.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    void anExistingDatasetIsFoundIgnoringCase() {
        datasets("{\"value\":[{\"id\":\"" + D + "\",\"name\":\"SALES\"}]}");
        tables(ORDERS_REMOTE, LINES_REMOTE);

        assertEquals(
                new DatasetOperations.EnsureResult(D, false, 0, 0),
                new DatasetOperations(client).ensureDataset(G, SALES));
        wm.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void theFacadeSharesItsNameCacheWithEnsureDataset() {
        datasets("{\"value\":[]}");
        wm.stubFor(post(urlPathEqualTo(BASE + "/datasets"))
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"" + D + "\"}")));
        PowerBiOperations ops = new PowerBiOperations(client);

        assertTrue(ops.datasets().ensureDataset(G, SALES).created());
        wm.resetRequests();
        assertEquals(D, ops.names().datasetId(G, "Sales"));
        assertTrue(requests().isEmpty());
    }

    @Test
    void duplicateDatasetNamesAreAnError() {
        datasets("{\"value\":[{\"id\":\"a\",\"name\":\"Sales\"},{\"id\":\"b\",\"name\":\"Sales\"}]}");
        NameResolutionException e = assertThrows(
                NameResolutionException.class, () -> new DatasetOperations(client).ensureDataset(G, SALES));
        assertContains(e.getMessage(), "2 datasets", "'Sales'", "[a, b]");
    }

    @Test
    void deleteRowsEncodesTheTableName() {
        wm.stubFor(delete(anyUrl()).willReturn(aResponse().withStatus(200)));
        // With '/' escaped, ".." inside the name is no path segment; a name that is only dots would be, so it is
        // escaped.
        new DatasetOperations(client).deleteRows(G, D, "Order Lines/../x");
        new DatasetOperations(client).deleteRows(G, D, "..");
        assertEquals(
                List.of(
                        "DELETE /v1.0/myorg/groups/" + G + "/datasets/" + D + "/tables/Order%20Lines%2F..%2Fx/rows",
                        "DELETE /v1.0/myorg/groups/" + G + "/datasets/" + D + "/tables/%2E%2E/rows"),
                traffic());
    }

    @Test
    void listsUnwrapTheODataValueArray() {
        datasets("{\"@odata.context\":\"x\",\"value\":[{\"id\":\"" + D
                + "\",\"name\":\"Sales\",\"@odata.etag\":\"e\"}]}");
        wm.stubFor(get(urlPathEqualTo(BASE + "/reports"))
                .willReturn(okJson("{\"odata.context\":\"x\",\"value\":[{\"id\":\"" + R + "\"}]}")));
        tables(ORDERS_REMOTE);
        wm.stubFor(get(urlPathEqualTo(BASE + "/datasets/" + D))
                .willReturn(okJson("{\"@odata.context\":\"x\",\"id\":\"" + D + "\",\"name\":\"Sales\"}")));
        DatasetOperations ops = new DatasetOperations(client);

        assertEquals(List.of(Map.of("id", D, "name", "Sales")), ops.listDatasets(G));
        assertEquals(List.of(Map.of("id", R)), ops.listReports(G));
        assertEquals("Orders", ops.listTables(G, D).get(0).get("name"));
        assertEquals(Map.of("id", D, "name", "Sales"), ops.getDataset(G, D));
    }

    @Test
    void listWorkspacesPagesUntilAShortPage() {
        wm.stubFor(get(urlPathEqualTo("/v1.0/myorg/groups"))
                .withQueryParam("$skip", equalTo("0"))
                .willReturn(okJson("{\"value\":[{\"id\":\"1\"},{\"id\":\"2\"}]}")));
        wm.stubFor(get(urlPathEqualTo("/v1.0/myorg/groups"))
                .withQueryParam("$skip", equalTo("2"))
                .willReturn(okJson("{\"value\":[{\"id\":\"3\"},{\"id\":\"4\"}]}")));
        wm.stubFor(get(urlPathEqualTo("/v1.0/myorg/groups"))
                .withQueryParam("$skip", equalTo("4"))
                .willReturn(okJson("{\"value\":[{\"id\":\"5\"}]}")));

        List<Map<String, Object>> all = new DatasetOperations(client).listWorkspaces("contains(name,'Sales')", 2);

        assertEquals(
                List.of("1", "2", "3", "4", "5"),
                all.stream().map(w -> w.get("id")).toList());
        assertEquals(3, requests().size());
        for (LoggedRequest r : requests()) {
            assertEquals("contains(name,'Sales')", r.queryParameter("$filter").firstValue());
            assertEquals("2", r.queryParameter("$top").firstValue());
        }
    }
}
