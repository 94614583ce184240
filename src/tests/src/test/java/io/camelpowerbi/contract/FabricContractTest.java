package io.camelpowerbi.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Fabric contract (fabric-contract.json, derived from Fabric's OpenAPI) as a judge: Load Table requests,
 * operation states and Fabric's error answers, and the operation's Location without /v1.
 */
class FabricContractTest {

    static final String W = "7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52";
    static final String L = "6b1e9d4c-2a7f-4c3e-8d5b-9f0a1c2e3d47";
    static final String LOAD = "/v1/workspaces/" + W + "/lakehouses/" + L + "/tables/Orders/load";
    static final String OP = "abcdef00-9d7e-469a-abf1-fca847a0ea69";

    static PowerBiContract contract;

    @BeforeAll
    static void load() {
        contract = PowerBiContract.loadFabric();
    }

    static PowerBiContract.Check check(ContractExchange x) {
        return contract.check(x).orElseThrow();
    }

    static ContractExchange request(String path, String body) {
        return new ContractExchange(
                "test",
                "POST",
                path,
                null,
                PowerBiContractTest.COMPONENT,
                body.getBytes(StandardCharsets.UTF_8),
                202,
                Map.of(),
                new byte[0],
                true,
                false);
    }

    static ContractExchange answer(String path, int status, String body) {
        return new ContractExchange(
                "test",
                "GET",
                path,
                null,
                Map.of(),
                null,
                status,
                PowerBiContractTest.JSON,
                body.getBytes(StandardCharsets.UTF_8),
                false,
                true);
    }

    @Test
    void aLoadTableRequestAsTheComponentSendsItPasses() {
        PowerBiContract.Check check = check(request(
                LOAD,
                "{\"relativePath\":\"Files/landing/orders.csv\","
                        + "\"pathType\":\"File\",\"mode\":\"Append\",\"formatOptions\":{\"format\":\"Csv\",\"header\":true,"
                        + "\"delimiter\":\",\"}}"));
        assertEquals("Tables_LoadTable", check.operation());
        assertEquals(List.of(), check.violations());
    }

    @Test
    void aModeFabricDoesNotHaveIsAViolation() {
        PowerBiContract.Check check = check(
                request(LOAD, "{\"relativePath\":\"Files/a.csv\",\"pathType\":\"File\"," + "\"mode\":\"Upsert\"}"));
        assertEquals(1, check.violations().size(), check.violations().toString());
        assertEquals("/mode", check.violations().get(0).field());
        assertEquals(
                "validation.request.body.schema.enum", check.violations().get(0).rule());
    }

    @Test
    void anOperationStateIsJudgedAlsoAtTheLocationWithoutV1() {
        String running = "{\"status\":\"Running\",\"createdTimeUtc\":\"2026-11-18T14:00:00Z\","
                + "\"lastUpdatedTimeUtc\":\"2026-11-18T14:00:01Z\",\"percentComplete\":25}";
        PowerBiContract.Check v1 = check(answer("/v1/operations/" + OP, 200, running));
        PowerBiContract.Check bare = check(answer("/operations/" + OP, 200, running));
        assertEquals("LongRunningOperations_GetOperationState", v1.operation());
        assertEquals("LongRunningOperations_GetOperationState", bare.operation());
        assertEquals(List.of(), bare.violations());
        PowerBiContract.Check invented = check(
                answer(
                        "/operations/" + OP,
                        200,
                        "{\"status\":\"Paused\","
                                + "\"createdTimeUtc\":\"2026-11-18T14:00:00Z\",\"lastUpdatedTimeUtc\":\"2026-11-18T14:00:01Z\"}"));
        assertTrue(invented.violations().stream().anyMatch(x -> x.field().equals("/status")), invented.toString());
    }

    @Test
    void errorsMustHaveFabricsErrorResponseShape() {
        String lakehouses = "/v1/workspaces/" + W + "/lakehouses";
        assertEquals(
                List.of(),
                check(
                                answer(
                                        lakehouses,
                                        404,
                                        "{\"requestId\":\"" + OP + "\",\"errorCode\":"
                                                + "\"WorkspaceNotFound\",\"message\":\"The requested workspace was not found\"}"))
                        .violations());
        PowerBiContract.Check powerBiShape =
                check(answer(lakehouses, 404, "{\"error\":{\"code\":\"ItemNotFound\",\"message\":\"nope\"}}"));
        assertTrue(powerBiShape.violations().size() > 0, "Power BI's error shape is not Fabric's");
    }

    @Test
    void onlyFabricPathsAreItsToJudge() {
        assertTrue(contract.check(answer("/v1.0/myorg/groups", 200, "{\"value\":[]}"))
                .isEmpty());
        assertTrue(
                contract.check(answer("/" + W + "/" + L + "/Files/a.csv", 200, ""))
                        .isEmpty(),
                "OneLake");
    }
}
