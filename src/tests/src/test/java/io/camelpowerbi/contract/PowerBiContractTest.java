package io.camelpowerbi.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The oracle itself: it must find what is wrong (an invented field, an unknown parameter, a call Power BI does not
 * have, a body of the wrong shape, an error in no documented shape) and let pass what the contract and its
 * exceptions allow.
 */
class PowerBiContractTest {

    static final String G = "7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52";
    static final String DATASETS = "/v1.0/myorg/groups/" + G + "/datasets";
    static final Map<String, List<String>> COMPONENT = Map.of(
            "User-Agent",
            List.of("camel-powerbi"),
            "Content-Type",
            List.of("application/json"),
            "Accept",
            List.of("application/json"));
    static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json; charset=utf-8"));

    static PowerBiContract contract;

    @BeforeAll
    static void load() {
        contract = PowerBiContract.load();
    }

    static ContractExchange answer(String method, String path, String query, int status, String body) {
        return new ContractExchange(
                "test",
                method,
                path,
                query,
                Map.of(),
                null,
                status,
                JSON,
                body.getBytes(StandardCharsets.UTF_8),
                false,
                true);
    }

    static ContractExchange request(String method, String path, String query, String body) {
        return new ContractExchange(
                "test",
                method,
                path,
                query,
                COMPONENT,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                200,
                Map.of(),
                new byte[0],
                true,
                false);
    }

    static PowerBiContract.Check check(ContractExchange x) {
        return contract.check(x).orElseThrow();
    }

    static ContractViolation only(PowerBiContract.Check check) {
        assertEquals(1, check.violations().size(), () -> "violations: " + check.violations());
        return check.violations().get(0);
    }

    @Test
    void anAnswerWithAFieldTheServiceDoesNotDocumentIsAViolationNamingOperationFieldAndRule() {
        ContractViolation v = only(check(answer(
                "GET",
                DATASETS,
                null,
                200,
                "{\"value\":[{\"id\":\"a\",\"name\":\"Sales\",\"isRefreshable\":true,\"tables\":[]}]}")));
        assertEquals("Datasets_GetDatasetsInGroup", v.operation());
        assertEquals("response", v.side());
        assertEquals("/value/0/tables", v.field());
        assertEquals("validation.response.body.schema.additionalProperties", v.rule());
    }

    @Test
    void aDocumentedAnswerPasses() {
        PowerBiContract.Check check = check(answer(
                "GET",
                DATASETS + "/d1/refreshes",
                "%24top=5",
                200,
                "{\"value\":[{\"requestId\":\"r\",\"refreshType\":\"ViaApi\",\"startTime\":\"2026-01-01T00:00:00Z\","
                        + "\"status\":\"Unknown\"}]}"));
        assertEquals("Datasets_GetRefreshHistoryInGroup", check.operation());
        assertEquals(List.of(), check.violations());
        assertTrue(check.responseChecked());
    }

    @Test
    void aValueOfTheWrongTypeIsAViolation() {
        ContractViolation v = only(check(answer(
                "GET",
                DATASETS + "/d1/refreshes",
                null,
                200,
                "{\"value\":[{\"requestId\":\"r\",\"refreshType\":\"Sometimes\"}]}")));
        assertEquals("/value/0/refreshType", v.field());
        assertEquals("validation.response.body.schema.enum", v.rule());
    }

    @Test
    void anUnknownQueryParameterIsAViolation() {
        ContractViolation v = only(check(request("GET", DATASETS + "/d1/refreshes", "%24topp=5", null)));
        assertEquals("request", v.side());
        assertEquals("$topp", v.field());
        assertEquals("validation.request.parameter.query.unexpected", v.rule());
    }

    @Test
    void aCallPowerBiDoesNotHaveIsAViolation() {
        ContractViolation v = only(check(request("GET", DATASETS + "/d1/tables/Sales/columns", null, null)));
        assertEquals(PowerBiContract.NO_OPERATION, v.operation());
        assertEquals("validation.request.path.missing", v.rule());

        ContractViolation method = only(check(request("PATCH", DATASETS + "/d1/refreshes", null, "{}")));
        assertEquals("validation.request.operation.notAllowed", method.rule());
    }

    @Test
    void theSandboxAnsweringACallPowerBiDoesNotHaveIsAViolationButRefusingItIsRight() {
        ContractViolation v = only(check(answer("GET", DATASETS + "/d1/tables/Sales/columns", null, 200, "{}")));
        assertEquals("validation.response.operation.unknown", v.rule());
        assertEquals(
                List.of(),
                check(answer(
                                "GET",
                                DATASETS + "/d1/tables/Sales/columns",
                                null,
                                404,
                                "{\"error\":{\"code\":\"PowerBIEntityNotFound\"}}"))
                        .violations());
    }

    @Test
    void aRequestBodyOfTheWrongShapeIsAViolation() {
        ContractViolation v =
                only(check(request("POST", DATASETS + "/d1/tables/Sales/rows", null, "{\"rows\":{\"a\":1}}")));
        assertEquals("Datasets_PostRowsInGroup", v.operation());
        assertEquals("/rows", v.field());
        assertEquals("validation.request.body.schema.type", v.rule());
    }

    @Test
    void pushedRowsAreFreeFormObjectsAndTenThousandBrokenRowsAreOneViolation() {
        StringBuilder rows = new StringBuilder("{\"rows\":[");
        for (int i = 0; i < 10_000; i++) {
            rows.append(i == 0 ? "" : ",").append("{\"OrderId\":").append(i).append(",\"Paid\":true}");
        }
        assertEquals(
                List.of(),
                check(request("POST", DATASETS + "/d1/tables/Sales/rows", null, rows + "]}"))
                        .violations());

        ContractViolation v = only(check(request(
                "POST",
                DATASETS + "/d1/tables/Sales/rows",
                null,
                rows.toString().replace("{\"OrderId\"", "[{\"OrderId\"").replace("true}", "true}]") + "]}")));
        assertEquals("/rows/0", v.field());
        assertTrue(v.message().endsWith("(and 9999 more like it)"), v.message());
    }

    @Test
    void errorAnswersMustHaveAPowerBiErrorShape() {
        String path = DATASETS + "/d1/refreshes";
        assertEquals(
                List.of(),
                check(answer("POST", path, null, 400, "{\"error\":{\"code\":\"InvalidRequest\",\"message\":\"no\"}}"))
                        .violations());
        assertEquals(
                List.of(),
                check(answer(
                                "POST",
                                path,
                                null,
                                404,
                                "{\"error\":{\"code\":\"PowerBIEntityNotFound\",\"pbi.error\":{\"code\":\"PowerBIEntityNotFound\","
                                        + "\"parameters\":{},\"details\":[],\"exceptionCulprit\":1}}}"))
                        .violations());
        assertEquals(
                List.of(),
                check(answer("POST", path, null, 429, "{\"message\":\"Retry in 30 seconds.\"}"))
                        .violations());

        ContractViolation v = only(check(answer("POST", path, null, 500, "{\"oops\":\"no\"}")));
        assertEquals("/oops", v.field());
        ContractViolation code = only(check(answer("POST", path, null, 400, "{\"error\":{\"message\":\"m\"}}")));
        assertEquals("validation.response.body.schema.required", code.rule());
        assertEquals("/error/code", code.field());
    }

    @Test
    void anExceptionExcusesWhatItNamesAndNothingElse() {
        PowerBiContract.Check check = check(answer(
                "GET",
                DATASETS,
                null,
                200,
                "{\"@odata.context\":\"https://x/$metadata#datasets\",\"@odata.count\":1,\"value\":[]}"));
        assertEquals(1, check.excused().size(), () -> "excused: " + check.excused());
        assertEquals("/@odata.context", check.excused().get(0).violation().field());
        assertTrue(check.excused().get(0).entry().reason().startsWith("https://"));
        assertEquals("/@odata.count", only(check).field());
    }

    @Test
    void datasetPropertiesAreJudgedAsTheServiceSpellsThem() {
        // the swagger says IsRefreshable; Microsoft's samples and the service say isRefreshable (exceptions.yaml)
        assertEquals(
                List.of(),
                check(
                                answer(
                                        "GET",
                                        DATASETS,
                                        null,
                                        200,
                                        "{\"value\":[{\"id\":\"a\",\"isRefreshable\":true,\"createdDate\":\"2026-01-01T00:00:00Z\"}]}"))
                        .violations());
        assertEquals(
                "/value/0/IsRefreshable",
                only(check(answer("GET", DATASETS, null, 200, "{\"value\":[{\"id\":\"a\",\"IsRefreshable\":true}]}")))
                        .field());
        ContractViolation type = only(
                check(answer("GET", DATASETS, null, 200, "{\"value\":[{\"id\":\"a\",\"isRefreshable\":\"yes\"}]}")));
        assertEquals("validation.response.body.schema.type", type.rule());
    }

    @Test
    void anUndocumentedSuccessStatusIsAViolation() {
        ContractViolation v = only(check(answer("POST", DATASETS + "/d1/refreshes", null, 200, "")));
        assertEquals("validation.response.status.unknown", v.rule());
        assertEquals("200", v.field());
    }

    @Test
    void nonPowerBiCallsAreNotJudged() {
        assertTrue(contract.check(answer("POST", "/" + G + "/oauth2/v2.0/token", null, 200, "{}"))
                .isEmpty());
        assertTrue(
                contract.check(answer("PUT", "/_sandbox/blob/x", null, 201, "")).isEmpty());
    }

    @Test
    void onlyTheComponentsRequestsAreItsToAnswerFor() {
        assertTrue(ContractExchange.sentByComponent(Map.of("user-agent", List.of("camel-powerbi"))));
        assertFalse(ContractExchange.sentByComponent(Map.of("User-Agent", List.of("Java-http-client/17"))));
        assertFalse(ContractExchange.sentByComponent(Map.of()));
    }

    @Test
    void everyExceptionCitesAPublicSourceAndEveryKnownViolationAFinding() {
        for (ContractExceptions.Entry e : contract.exceptions().entries()) {
            if (e.temporary()) {
                assertTrue(e.reason().contains("finding"), () -> "a known violation names its finding: " + e);
            } else {
                assertTrue(e.reason().startsWith("https://"), () -> "an exception cites a public URL: " + e);
            }
        }
        contract.exceptions().errorSources().forEach(s -> assertTrue(s.startsWith("https://"), s));
    }
}
