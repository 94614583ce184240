package io.camelpowerbi.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.sandbox.ObservedExchange;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OneLake contract (onelake-contract.json, derived from Azure Storage's ADLS Gen2 DFS swagger) as a judge of what
 * the component sends to OneLake and what the sandbox's OneLake answers: append and flush told apart by their query as
 * AutoRest's x-ms-paths do, a path of several segments judged as the swagger's one {path}, the storage version and the
 * statuses each operation documents.
 */
class OneLakeContractTest {

    static final String W = "7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52";
    static final String FILE = "/" + W + "/6b1e9d4c-2a7f-4c3e-8d5b-9f0a1c2e3d47/Files/landing/orders.csv";
    static final String REQUEST_ID = "0e7aa1f5-601f-0024-4469-ca0fa1000000";

    static PowerBiContract contract;

    @BeforeAll
    static void load() {
        contract = PowerBiContract.loadOneLake();
    }

    static Map<String, List<String>> sent(String version, String contentLength, String contentType) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("User-Agent", List.of(HttpClientFactory.USER_AGENT));
        headers.put("Authorization", List.of("Bearer x"));
        if (version != null) {
            headers.put("x-ms-version", List.of(version));
        }
        if (contentLength != null) {
            headers.put("Content-Length", List.of(contentLength));
        }
        if (contentType != null) {
            headers.put("Content-Type", List.of(contentType));
        }
        return headers;
    }

    /** A request the component sent (its body streamed, so not kept), and the sandbox's answer. */
    static ContractExchange exchange(
            String method,
            String path,
            String query,
            Map<String, List<String>> headers,
            int status,
            Map<String, List<String>> answerHeaders,
            String answer) {
        return new ContractExchange(
                "test",
                method,
                path,
                query,
                headers,
                null,
                status,
                answerHeaders,
                answer.getBytes(StandardCharsets.UTF_8),
                true,
                true,
                ObservedExchange.ONELAKE);
    }

    static Map<String, List<String>> answered(String... nameValue) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("x-ms-request-id", List.of(REQUEST_ID));
        headers.put("x-ms-version", List.of("2021-06-08"));
        for (int i = 0; i < nameValue.length; i += 2) {
            headers.put(nameValue[i], List.of(nameValue[i + 1]));
        }
        return headers;
    }

    static PowerBiContract.Check check(ContractExchange x) {
        return contract.check(x).orElseThrow();
    }

    @Test
    void createAppendAndFlushAsTheComponentSendsThemPass() {
        PowerBiContract.Check create = check(exchange(
                "PUT",
                FILE,
                "resource=file",
                sent("2021-06-08", "0", null),
                201,
                answered("ETag", "\"0x8DB9880DA6CF769\"", "x-ms-request-server-encrypted", "true"),
                ""));
        PowerBiContract.Check append = check(exchange(
                "PATCH",
                FILE,
                "action=append&position=0",
                sent("2021-06-08", "11", "application/octet-stream"),
                202,
                answered(),
                ""));
        PowerBiContract.Check flush = check(exchange(
                "PATCH",
                FILE,
                "action=flush&position=11",
                sent("2021-06-08", "0", null),
                200,
                answered("ETag", "\"0x8DB9880DA8FFBA9\""),
                ""));
        PowerBiContract.Check delete =
                check(exchange("DELETE", FILE, null, sent("2021-06-08", null, null), 200, answered(), ""));
        PowerBiContract.Check workspace = check(exchange(
                "HEAD",
                "/" + W,
                "resource=filesystem",
                sent("2021-06-08", null, null),
                200,
                answered("x-ms-namespace-enabled", "true"),
                ""));
        assertEquals(
                List.of("Path_Create", "Path_AppendData", "Path_FlushData", "Path_Delete", "FileSystem_GetProperties"),
                List.of(
                        create.operation(),
                        append.operation(),
                        flush.operation(),
                        delete.operation(),
                        workspace.operation()));
        for (PowerBiContract.Check c : List.of(create, append, flush, delete, workspace)) {
            assertEquals(List.of(), c.violations(), c.operation());
            assertTrue(c.requestChecked() && c.responseChecked(), c.operation());
        }
    }

    @Test
    void everyRequestMustCarryTheStorageVersionTheContractIsFor() {
        PowerBiContract.Check missing =
                check(exchange("PUT", FILE, "resource=file", sent(null, "0", null), 201, answered(), ""));
        assertTrue(
                missing.violations().stream()
                        .anyMatch(v -> v.field().equals("x-ms-version")
                                && v.rule().equals("validation.request.parameter.header.missing")),
                missing.toString());
        PowerBiContract.Check newer =
                check(exchange("PUT", FILE, "resource=file", sent("2023-11-03", "0", null), 201, answered(), ""));
        assertTrue(
                newer.violations().stream()
                        .anyMatch(v -> v.field().equals("x-ms-version")
                                && v.rule().equals("validation.request.parameter.schema.enum")),
                newer.toString());
    }

    @Test
    void queryParametersAreThoseOfTheOperation() {
        PowerBiContract.Check blob =
                check(exchange("PUT", FILE, "resource=blob", sent("2021-06-08", "0", null), 201, answered(), ""));
        assertTrue(blob.violations().stream().anyMatch(v -> v.field().equals("resource")), blob.toString());
        PowerBiContract.Check retain = check(exchange(
                "PATCH",
                FILE,
                "action=append&position=0&retainUncommittedData=true",
                sent("2021-06-08", "11", "application/octet-stream"),
                202,
                answered(),
                ""));
        assertTrue(
                retain.violations().stream()
                        .anyMatch(v -> v.field().equals("retainUncommittedData")
                                && v.rule().equals("validation.request.parameter.query.unexpected")),
                "retainUncommittedData is a flush's, not an append's: " + retain);
        PowerBiContract.Check position = check(exchange(
                "PATCH", FILE, "action=flush&position=end", sent("2021-06-08", "0", null), 200, answered(), ""));
        assertTrue(position.violations().stream().anyMatch(v -> v.field().equals("position")), position.toString());
    }

    @Test
    void anAnswerMustHaveAStatusTheOperationDocumentsAndHeadersOfTheirType() {
        PowerBiContract.Check created = check(exchange(
                "PATCH", FILE, "action=flush&position=11", sent("2021-06-08", "0", null), 201, answered(), ""));
        // a flush documents 200 and, for every other status, the StorageError answer: a bodiless 201 is neither
        assertTrue(
                created.violations().stream().anyMatch(v -> v.side().equals("response")),
                "a flush answers 200, not 201: " + created);
        PowerBiContract.Check encrypted = check(exchange(
                "PUT",
                FILE,
                "resource=file",
                sent("2021-06-08", "0", null),
                201,
                answered("x-ms-request-server-encrypted", "yes"),
                ""));
        assertTrue(
                encrypted.violations().stream().anyMatch(v -> v.rule().startsWith("validation.response.header.")),
                "x-ms-request-server-encrypted is a boolean: " + encrypted);
    }

    @Test
    void errorsHaveTheStorageErrorShapeInTheCaseTheServiceWritesIt() {
        String lower = "{\"error\":{\"code\":\"PathNotFound\",\"message\":\"The specified path does not exist.\"}}";
        PowerBiContract.Check notFound = check(exchange(
                "DELETE",
                FILE,
                null,
                sent("2021-06-08", null, null),
                404,
                answered("x-ms-error-code", "PathNotFound", "Content-Type", "application/json;charset=utf-8"),
                lower));
        assertEquals(List.of(), notFound.violations());
        assertEquals(2, notFound.excused().size(), "code and message, excused by exceptions.yaml");
        PowerBiContract.Check fabricShape = check(exchange(
                "DELETE",
                FILE,
                null,
                sent("2021-06-08", null, null),
                404,
                answered("Content-Type", "application/json"),
                "{\"errorCode\":\"ItemNotFound\",\"message\":\"no\"}"));
        assertTrue(fabricShape.violations().size() > 0, "Fabric's error shape is not OneLake's: " + fabricShape);
        PowerBiContract.Check refusedHead = check(exchange(
                "HEAD",
                "/" + W,
                "resource=filesystem",
                sent("2021-06-08", null, null),
                403,
                answered("x-ms-error-code", "AuthorizationFailure"),
                ""));
        assertEquals(List.of(), refusedHead.violations(), "an answer to HEAD has no body: the code is in the header");
    }

    @Test
    void onlyTheOneLakeListenersExchangesAreItsToJudge() {
        ContractExchange fabric = new ContractExchange(
                "test",
                "PUT",
                FILE,
                "resource=file",
                sent("2021-06-08", "0", null),
                null,
                201,
                answered(),
                new byte[0],
                true,
                true,
                ObservedExchange.FABRIC);
        ContractExchange unknown = new ContractExchange(
                "test",
                "PUT",
                FILE,
                "resource=file",
                sent("2021-06-08", "0", null),
                null,
                201,
                answered(),
                new byte[0],
                true,
                true);
        assertTrue(contract.check(fabric).isEmpty());
        assertTrue(contract.check(unknown).isEmpty());
        assertTrue(
                PowerBiContract.loadFabric()
                        .check(exchange(
                                "GET", "/v1/workspaces", null, sent("2021-06-08", null, null), 200, answered(), ""))
                        .isEmpty(),
                "a OneLake path is not Fabric's");
    }

    @Test
    void theAccountLevelHasNoOperation() {
        PowerBiContract.Check account = check(exchange(
                "GET",
                "/",
                null,
                sent("2021-06-08", null, null),
                403,
                answered("x-ms-error-code", "OperationNotAllowedOnProtectedPath"),
                ""));
        assertEquals(PowerBiContract.NO_OPERATION, account.operation());
        assertTrue(
                account.violations().stream()
                        .anyMatch(v -> v.side().equals("request") && v.rule().startsWith("validation.request.")),
                account.toString());
    }
}
