package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.PowerBiCalls.FINANCE;
import static io.camelpowerbi.sandbox.PowerBiCalls.SALES;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertError;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertPowerBiHeaders;
import static io.camelpowerbi.sandbox.PowerBiCalls.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Push datasets, tables and rows: Microsoft Learn, plus listing and lookups. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushDatasetsTest {

    static final String ORDERS = """
            {"name": "%s", "tables": [{"name": "Orders", "columns": [
              {"name": "Id", "dataType": "int64"}, {"name": "Customer", "dataType": "STRING"},
              {"name": "Amount", "dataType": "Double"}, {"name": "Net", "dataType": "decimal"},
              {"name": "Paid", "dataType": "bool"}, {"name": "Placed", "dataType": "dateTime"},
              {"name": "Flag", "dataType": "Boolean"}]}]}""";

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

    String create(String name, String policy) {
        PowerBiCalls.Response r = api.post(
                SALES + "/datasets" + (policy == null ? "" : "?defaultRetentionPolicy=" + policy),
                ORDERS.formatted(name));
        assertEquals(201, r.status(), r.toString());
        return r.json().get("id").asText();
    }

    static String order(int i) {
        return "{\"Id\": " + i + ", \"Customer\": \"c" + i + "\", \"Amount\": " + i + ".5, \"Net\": 1.23456, "
                + "\"Paid\": true, \"Placed\": \"2026-03-0" + (1 + i % 9) + "T10:00:00Z\"}";
    }

    List<Long> ids(String datasetId) {
        PowerBiCalls.Response r = api.post(
                SALES + "/datasets/" + datasetId + "/executeQueries",
                "{\"queries\":[{\"query\":\"EVALUATE 'Orders'\"}]}");
        assertEquals(200, r.status(), r.toString());
        return StreamSupport.stream(r.json().at("/results/0/tables/0/rows").spliterator(), false)
                .map(n -> n.get("Orders[Id]").asLong())
                .toList();
    }

    // ------------------------------------------------------------------ row 1: create

    @Test
    void row1CreateReturns201WithIdNameAndPolicyAndAcceptsTypeNamesCaseInsensitively() {
        PowerBiCalls.Response r =
                api.post(SALES + "/datasets?defaultRetentionPolicy=basicFIFO", ORDERS.formatted("Shop"));
        assertEquals(201, r.status(), r.toString());
        assertPowerBiHeaders(r);
        JsonNode json = r.json();
        assertTrue(json.get("id").asText().matches("[0-9a-f-]{36}"), r.toString());
        assertEquals("Shop", json.get("name").asText());
        assertEquals("basicFIFO", json.get("defaultRetentionPolicy").asText());

        Dataset d = sandbox.dataset(json.get("id").asText());
        assertTrue(d.isPush());
        assertEquals(
                List.of(
                        ColumnType.INT64,
                        ColumnType.STRING,
                        ColumnType.DOUBLE,
                        ColumnType.DECIMAL,
                        ColumnType.BOOLEAN,
                        ColumnType.DATETIME,
                        ColumnType.BOOLEAN),
                d.table("orders").orElseThrow().columns().stream()
                        .map(PushTable.Column::type)
                        .toList());

        // without the parameter the policy is None; Power BI allows a second dataset of the same name
        PowerBiCalls.Response again = api.post(SALES + "/datasets", ORDERS.formatted("Shop"));
        assertEquals(201, again.status(), again.toString());
        assertEquals("None", again.json().get("defaultRetentionPolicy").asText());
        long shops = StreamSupport.stream(
                        api.get(SALES + "/datasets").json().get("value").spliterator(), false)
                .filter(n -> n.get("name").asText().equals("Shop"))
                .count();
        assertEquals(2, shops);
    }

    // ------------------------------------------------------------------ row 2: schema validation

    static String tables(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> "{\"name\":\"T" + i + "\",\"columns\":[{\"name\":\"c\"," + "\"dataType\":\"Int64\"}]}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    static String columns(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> "{\"name\":\"c" + i + "\",\"dataType\":\"String\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    static String relationships(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> "{\"name\":\"r" + i + "\",\"fromTable\":\"A\",\"fromColumn\":\"c\","
                        + "\"toTable\":\"B\",\"toColumn\":\"c\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void row2InvalidSchemasAre400() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("76 tables", "{\"name\":\"x\",\"tables\":" + tables(76) + "}");
        cases.put("76 columns", "{\"name\":\"x\",\"tables\":[{\"name\":\"T\",\"columns\":" + columns(76) + "}]}");
        String ab = "[{\"name\":\"A\",\"columns\":[{\"name\":\"c\",\"dataType\":\"Int64\"}]},"
                + "{\"name\":\"B\",\"columns\":[{\"name\":\"c\",\"dataType\":\"Int64\"}]}]";
        cases.put(
                "76 relationships",
                "{\"name\":\"x\",\"tables\":" + ab + ",\"relationships\":" + relationships(76) + "}");
        cases.put(
                "table name with '/'",
                "{\"name\":\"x\",\"tables\":[{\"name\":\"a/b\",\"columns\":" + columns(1) + "}]}");
        cases.put(
                "table name of 101 characters",
                "{\"name\":\"x\",\"tables\":[{\"name\":\"" + "t".repeat(101) + "\",\"columns\":" + columns(1) + "}]}");
        cases.put(
                "unknown dataType",
                "{\"name\":\"x\",\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"c\","
                        + "\"dataType\":\"Int32\"}]}]}");
        cases.put("no tables", "{\"name\":\"x\",\"tables\":[]}");
        cases.put("no name", "{\"tables\":" + tables(1) + "}");
        cases.put(
                "relationship to a missing column",
                "{\"name\":\"x\",\"tables\":" + ab + ",\"relationships\":"
                        + "[{\"name\":\"r\",\"fromTable\":\"A\",\"fromColumn\":\"zz\",\"toTable\":\"B\",\"toColumn\":\"c\"}]}");
        cases.put(
                "duplicate column",
                "{\"name\":\"x\",\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"c\","
                        + "\"dataType\":\"Int64\"},{\"name\":\"C\",\"dataType\":\"String\"}]}]}");
        cases.forEach((what, body) -> {
            PowerBiCalls.Response r = api.post(SALES + "/datasets", body);
            JsonNode json = assertError(r, 400, "InvalidRequest");
            assertFalse(json.at("/error/message").asText().isBlank(), what);
        });
        // the limits themselves are allowed
        assertEquals(
                201,
                api.post(SALES + "/datasets", "{\"name\":\"x\",\"tables\":" + tables(75) + "}")
                        .status());
        assertEquals(
                201,
                api.post(
                                SALES + "/datasets",
                                "{\"name\":\"x\",\"tables\":[{\"name\":\"" + "t".repeat(100) + "\",\"columns\":"
                                        + columns(75) + "}]}")
                        .status());
        assertEquals(
                201,
                api.post(
                                SALES + "/datasets",
                                "{\"name\":\"x\",\"tables\":" + ab + ",\"relationships\":" + relationships(75) + "}")
                        .status());
        assertError(
                api.post(SALES + "/datasets?defaultRetentionPolicy=forever", ORDERS.formatted("y")),
                400,
                "InvalidRequest");
    }

    // ------------------------------------------------------------------ rows 3, 4: post rows

    @Test
    void row3PostRowsStoresThemAndValidatesValues() {
        String id = create("Shop", "None");
        PowerBiCalls.Response r =
                api.post(SALES + "/datasets/" + id + "/tables/Orders/rows", rows(1, 3, PushDatasetsTest::order));
        assertEquals(200, r.status(), r.toString());
        assertEquals("0", r.header("Content-Length"));
        assertPowerBiHeaders(r);
        assertEquals(3, sandbox.dataset(id).table("Orders").orElseThrow().rowCount());
        assertEquals(List.of(1L, 2L, 3L), ids(id));

        // the docs' own DateTime form (07/30/2014), numeric strings and nulls are accepted
        assertEquals(
                200,
                api.post(
                                SALES + "/datasets/" + id + "/tables/orders/rows",
                                "{\"rows\":[{\"Id\":\"4\"," + "\"Placed\":\"07/30/2014\",\"Customer\":null}]}")
                        .status());
        assertEquals(4, sandbox.dataset(id).table("Orders").orElseThrow().rowCount());

        Map<String, String> bad = Map.of(
                "string over 4000 characters", "{\"Customer\":\"" + "x".repeat(4001) + "\"}",
                "unknown column", "{\"Id\":1,\"Nope\":2}",
                "text in Int64", "{\"Id\":\"one\"}",
                "fraction in Int64", "{\"Id\":1.5}",
                "Int64.MaxValue", "{\"Id\":9223372036854775807}",
                "number in Boolean", "{\"Paid\":1}",
                "no date", "{\"Placed\":\"yesterday\"}",
                "object value", "{\"Customer\":{\"a\":1}}");
        bad.forEach((what, row) -> {
            PowerBiCalls.Response rejected = api.post(
                    SALES + "/datasets/" + id + "/tables/Orders/rows", "{\"rows\":[" + order(9) + "," + row + "]}");
            JsonNode json = assertError(rejected, 400, "InvalidRequest");
            assertTrue(json.at("/error/message").asText().startsWith("Row 2"), what + ": " + json);
        });
        // all or nothing: none of the rejected batches left a row
        assertEquals(4, sandbox.dataset(id).table("Orders").orElseThrow().rowCount());
        assertEquals(
                200,
                api.post(
                                SALES + "/datasets/" + id + "/tables/Orders/rows",
                                "{\"rows\":[{\"Customer\":\"" + "x".repeat(4000) + "\"}]}")
                        .status());
        assertError(
                api.post(SALES + "/datasets/" + id + "/tables/Orders/rows", "{\"rows\": 5}"), 400, "InvalidRequest");
        assertError(api.post(SALES + "/datasets/" + id + "/tables/Orders/rows", "not json"), 400, "InvalidRequest");
    }

    @Test
    void row4MoreThan10000RowsAre400() {
        String id = create("Shop", "None");
        String path = SALES + "/datasets/" + id + "/tables/Orders/rows";
        assertEquals(
                200, api.post(path, rows(0, 10_000, i -> "{\"Id\":" + i + "}")).status());
        JsonNode json = assertError(api.post(path, rows(0, 10_001, i -> "{\"Id\":" + i + "}")), 400, "InvalidRequest");
        assertTrue(json.at("/error/message").asText().contains("10000"), json.toString());
        assertEquals(10_000, sandbox.dataset(id).table("Orders").orElseThrow().rowCount());
    }

    // ------------------------------------------------------------------ row 6: retention

    @Test
    void row6FifoEvictsTheOldestRowsAndNoneIsCapped() {
        sandbox.setLimits(sandbox.limits().merge(Map.of("fifoRows", 10, "maxRowsNone", 12)));
        String fifo = create("Fifo", "basicFIFO");
        for (int batch = 0; batch < 5; batch++) {
            assertEquals(
                    200,
                    api.post(
                                    SALES + "/datasets/" + fifo + "/tables/Orders/rows",
                                    rows(batch * 5, 5, i -> "{\"Id\":" + i + "}"))
                            .status());
        }
        assertEquals(10, sandbox.dataset(fifo).table("Orders").orElseThrow().rowCount());
        assertEquals(LongRange.of(15, 25), ids(fifo), "the 10 newest rows, oldest first");

        String none = create("Capped", "None");
        String path = SALES + "/datasets/" + none + "/tables/Orders/rows";
        assertEquals(200, api.post(path, rows(0, 12, i -> "{\"Id\":" + i + "}")).status());
        JsonNode json = assertError(api.post(path, rows(12, 1, i -> "{\"Id\":" + i + "}")), 400, "InvalidRequest");
        assertTrue(json.at("/error/message").asText().contains("12"), json.toString());
        assertEquals(12, sandbox.dataset(none).table("Orders").orElseThrow().rowCount());
    }

    /** A FIFO table beyond the documented 200,000 rows keeps exactly the newest 200,000. */
    @Test
    void row6FifoAtTheDocumentedCap() {
        String id = create("Big", "basicFIFO");
        sandbox.setLimits(sandbox.limits().with(LimitsConfig::enabled, false));
        String path = SALES + "/datasets/" + id + "/tables/Orders/rows";
        for (int batch = 0; batch < 21; batch++) {
            int from = batch * 10_000;
            assertEquals(
                    200,
                    api.post(path, rows(from, 10_000, i -> "{\"Id\":" + i + "}"))
                            .status());
        }
        PushTable table = sandbox.dataset(id).table("Orders").orElseThrow();
        assertEquals(200_000, table.rowCount());
        assertEquals(10_000L, table.rows(1).get(0)[0]);
        assertEquals(21 * 10_000L, sandbox.dataset(id).rowsAddedCount());
    }

    // ------------------------------------------------------------------ rows 7, 8, 9: delete, put table, tables

    @Test
    void row7DeleteRowsEmptiesTheTable() {
        assertEquals(
                5,
                sandbox.dataset(Sandbox.DATASET_RETAIL)
                        .table("Sales")
                        .orElseThrow()
                        .rowCount());
        PowerBiCalls.Response r = api.delete(SALES + "/datasets/" + Sandbox.DATASET_RETAIL + "/tables/Sales/rows");
        assertEquals(200, r.status(), r.toString());
        assertPowerBiHeaders(r);
        assertEquals(
                0,
                sandbox.dataset(Sandbox.DATASET_RETAIL)
                        .table("Sales")
                        .orElseThrow()
                        .rowCount());
    }

    @Test
    void row8PutTableReplacesTheSchemaAndLaterRowsFollowIt() {
        String id = create("Shop", "None");
        String rowsPath = SALES + "/datasets/" + id + "/tables/Orders/rows";
        assertEquals(
                200, api.post(rowsPath, rows(1, 2, PushDatasetsTest::order)).status());
        String table = "{\"name\":\"Orders\",\"columns\":[{\"name\":\"Id\",\"dataType\":\"Int64\"},"
                + "{\"name\":\"Region\",\"dataType\":\"string\",\"formatString\":\"@\"}]}";
        PowerBiCalls.Response r = api.put(SALES + "/datasets/" + id + "/tables/Orders", table);
        assertEquals(200, r.status(), r.toString());
        assertPowerBiHeaders(r);
        assertEquals("Orders", r.json().get("name").asText());
        assertEquals("Region", r.json().at("/columns/1/name").asText());
        assertEquals("String", r.json().at("/columns/1/dataType").asText());
        assertEquals("@", r.json().at("/columns/1/formatString").asText());

        // rows kept for the surviving column; the new column validates, the dropped one is unknown now
        assertEquals(List.of(1L, 2L), ids(id));
        assertEquals(
                200,
                api.post(rowsPath, "{\"rows\":[{\"Id\":3,\"Region\":\"North\"}]}")
                        .status());
        assertError(api.post(rowsPath, "{\"rows\":[{\"Id\":4,\"Customer\":\"c4\"}]}"), 400, "InvalidRequest");
        assertEquals(
                "Region",
                sandbox.dataset(id)
                        .table("Orders")
                        .orElseThrow()
                        .columns()
                        .get(1)
                        .name());

        assertError(
                api.put(SALES + "/datasets/" + id + "/tables/Orders", table.replace("\"Orders\"", "\"Renamed\"")),
                400,
                "InvalidRequest");
        assertError(
                api.put(
                        SALES + "/datasets/" + id + "/tables/Orders",
                        "{\"name\":\"Orders\",\"columns\":" + "[{\"name\":\"Id\",\"dataType\":\"Number\"}]}"),
                400,
                "InvalidRequest");
    }

    @Test
    void row8PutOfATableTheDatasetLacksIs404ItemNotFound() {
        // PUT updates existing tables only: a new name is 404 ItemNotFound, as PowerBI-CSharp#127 and
        // gbrueckl/PowerBI.API.Client#21 report, so no call adds a table to an existing push dataset.
        String id = create("Shop", "None");
        PowerBiCalls.Response r = api.put(
                SALES + "/datasets/" + id + "/tables/Returns",
                "{\"name\":\"Returns\",\"columns\":[{\"name\":\"Id\",\"dataType\":\"Int64\"}]}");
        JsonNode error = assertError(r, 404, "ItemNotFound");
        assertEquals(
                "Table '<pi>Returns</pi>' not found in dataset 'sobe_wowvirtualserver|" + id + "'",
                error.at("/error/message").asText());
        assertTrue(sandbox.dataset(id).table("Returns").isEmpty());
    }

    @Test
    void row9TablesOfAPushDatasetAreListedByNameOnlyAndOfAnImportedModelAre404() {
        // The docs show no response example and the service has been seen listing names only
        // (powerbi-powershell#397): by default the sandbox does too, so no client comes to depend on columns.
        PowerBiCalls.Response r = api.get(SALES + "/datasets/" + Sandbox.DATASET_RETAIL + "/tables");
        assertEquals(200, r.status(), r.toString());
        assertEquals("Sales", r.json().at("/value/0/name").asText());
        assertEquals(List.of("name"), iterable(r.json().at("/value/0").fieldNames()));

        // listTableColumns: true keeps the columns (as the Table model has them)
        sandbox.setSettings(sandbox.settings().with(ApiSettings::listTableColumns, true));
        r = api.get(SALES + "/datasets/" + Sandbox.DATASET_RETAIL + "/tables");
        assertEquals(7, r.json().at("/value/0/columns").size());
        assertEquals("Int64", r.json().at("/value/0/columns/0/dataType").asText());
        sandbox.reset();
        assertFalse(api.get(SALES + "/datasets/" + Sandbox.DATASET_RETAIL + "/tables")
                .json()
                .at("/value/0")
                .has("columns"));

        assertError(
                api.get(SALES + "/datasets/" + Sandbox.DATASET_FINANCE_MODEL + "/tables"),
                404,
                "PowerBIEntityNotFound");
        assertError(
                api.post(SALES + "/datasets/" + Sandbox.DATASET_FINANCE_MODEL + "/tables/Budget/rows", "{\"rows\":[]}"),
                404,
                "PowerBIEntityNotFound");
        assertError(
                api.post(SALES + "/datasets/" + Sandbox.DATASET_RETAIL + "/tables/Nope/rows", "{\"rows\":[]}"),
                404,
                "PowerBIEntityNotFound");
    }

    // ------------------------------------------------------------------ listing and lookups (row 35)

    @Test
    void datasetsAreListedAndLookedUp() {
        PowerBiCalls.Response list = api.get(SALES + "/datasets");
        assertEquals(200, list.status(), list.toString());
        assertPowerBiHeaders(list);
        JsonNode retail = list.json().at("/value/0");
        assertEquals(Sandbox.DATASET_RETAIL, retail.get("id").asText());
        assertEquals("Retail", retail.get("name").asText());
        assertTrue(retail.get("addRowsAPIEnabled").asBoolean());
        assertFalse(retail.get("isRefreshable").asBoolean());
        JsonNode model = list.json().at("/value/1");
        assertEquals("Finance Model", model.get("name").asText());
        assertFalse(model.get("addRowsAPIEnabled").asBoolean());
        assertTrue(model.get("isRefreshable").asBoolean());
        assertTrue(list.json().get("@odata.context").asText().endsWith("/datasets"));

        PowerBiCalls.Response one = api.get(SALES + "/datasets/" + Sandbox.DATASET_FINANCE_MODEL.toUpperCase());
        assertEquals(200, one.status(), one.toString());
        assertEquals("Finance Model", one.json().get("name").asText());

        assertError(api.get(SALES + "/datasets/" + Sandbox.DATASET_LEDGER), 404, "PowerBIEntityNotFound");
        assertError(api.get(FINANCE + "/datasets/00000000-0000-0000-0000-000000000000"), 404, "PowerBIEntityNotFound");
        assertError(api.get("/groups/00000000-0000-0000-0000-000000000000/datasets"), 404, "PowerBIEntityNotFound");
        assertError(
                api.get("/groups/" + Sandbox.WORKSPACE_EXECUTIVE_BOARD + "/datasets"),
                401,
                "PowerBINotAuthorizedException");

        String id = create("Temporary", null);
        assertEquals(200, api.delete(SALES + "/datasets/" + id).status());
        assertError(api.get(SALES + "/datasets/" + id), 404, "PowerBIEntityNotFound");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/datasets", "/reports", "/imports"})
    void listsNeedATokenLikeEveryPowerBiEndpoint(String list) {
        PowerBiCalls.Response r =
                api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.url(SALES + list)))
                        .GET()
                        .build());
        assertError(r, 401, "PowerBINotAuthorizedException");
    }

    /** Ranges of longs for row-id assertions. */
    static final class LongRange {
        static List<Long> of(long fromInclusive, long toExclusive) {
            return java.util.stream.LongStream.range(fromInclusive, toExclusive)
                    .boxed()
                    .toList();
        }
    }

    static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
