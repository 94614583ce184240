package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.PowerBiCalls.FINANCE;
import static io.camelpowerbi.sandbox.PowerBiCalls.SALES;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertError;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertPowerBiHeaders;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Dataset refreshes: Microsoft Learn. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefreshesTest {

    static final String MODEL = SALES + "/datasets/" + Sandbox.DATASET_FINANCE_MODEL;
    static final String LEDGER = FINANCE + "/datasets/" + Sandbox.DATASET_LEDGER;
    static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

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

    String refresh(String dataset, String body) {
        PowerBiCalls.Response r = api.post(dataset + "/refreshes", body);
        assertEquals(202, r.status(), r.toString());
        return r.header("RequestId");
    }

    Optional<JsonNode> inHistory(String dataset, String requestId) {
        PowerBiCalls.Response r = api.get(dataset + "/refreshes");
        assertEquals(200, r.status(), r.toString());
        return StreamSupport.stream(r.json().get("value").spliterator(), false)
                .filter(n -> n.get("requestId").asText().equals(requestId))
                .findFirst();
    }

    void finishRunning() {
        sandbox.clock().advance(Duration.ofSeconds(5));
    }

    @Test
    void row10PlainRefreshIs202WithItsIdInRequestIdAndShowsInTheHistoryLate() {
        PowerBiCalls.Response r = api.post(MODEL + "/refreshes", null);
        assertEquals(202, r.status(), r.toString());
        String id = r.header("RequestId");
        assertTrue(id.matches(UUID), id);
        assertNull(r.header("Location"));
        assertNull(r.header("x-ms-request-id"));
        assertEquals("0", r.header("Content-Length"));
        assertEquals(0, r.bytes().length);
        assertPowerBiHeaders(r);

        // the Airflow #44618 race: not in the history at once, then there with status Unknown and no endTime
        assertTrue(inHistory(MODEL, id).isEmpty(), "a just-posted refresh is not in the history yet");
        JsonNode running = await().atMost(Duration.ofSeconds(5))
                .until(() -> inHistory(MODEL, id).orElse(null), n -> n != null);
        assertEquals("ViaApi", running.get("refreshType").asText());
        assertEquals("Unknown", running.get("status").asText());
        assertTrue(running.get("id").isIntegralNumber(), running.toString());
        assertFalse(running.has("endTime"), running.toString());
        assertTrue(Instant.parse(running.get("startTime").asText())
                .isBefore(sandbox.clock().now()));

        finishRunning();
        JsonNode done = inHistory(MODEL, id).orElseThrow();
        assertEquals("Completed", done.get("status").asText());
        assertEquals("Completed", done.get("extendedStatus").asText());
        assertEquals(
                Instant.parse(done.get("startTime").asText()).plusSeconds(2),
                Instant.parse(done.get("endTime").asText()),
                "Finance Model refreshes in 2 s");
        assertEquals(1, done.get("refreshAttempts").size());
        assertFalse(done.has("serviceExceptionJson"));

        // notifyOption alone is still a plain refresh
        PowerBiCalls.Response notify = api.post(MODEL + "/refreshes", "{\"notifyOption\":\"MailOnFailure\"}");
        assertEquals(202, notify.status(), notify.toString());
        assertNull(notify.header("Location"));
    }

    @Test
    void row10FailedRefreshCarriesServiceExceptionJson() throws Exception {
        PowerBiCalls.Response set = api.control(
                "POST",
                "/_sandbox/datasets/" + Sandbox.DATASET_FINANCE_MODEL + "/refreshBehaviour",
                "{\"durationSeconds\": 0.2, \"outcome\": \"Failed\", \"serviceExceptionJson\": "
                        + "{\"errorCode\": \"ModelRefreshFailed_CredentialsNotSpecified\", \"errorDescription\": \"no creds\"}}");
        assertEquals(200, set.status(), set.toString());
        String id = refresh(MODEL, "{}");
        JsonNode failed = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> inHistory(MODEL, id).orElse(null),
                        n -> n != null && n.get("status").asText().equals("Failed"));
        JsonNode error =
                TestHttp.JSON.readTree(failed.get("serviceExceptionJson").asText());
        assertEquals(
                "ModelRefreshFailed_CredentialsNotSpecified",
                error.get("errorCode").asText());
        assertTrue(failed.has("endTime"));
        assertEquals(
                failed.get("serviceExceptionJson").asText(),
                failed.at("/refreshAttempts/0/serviceExceptionJson").asText());

        // back to success through the Java API
        sandbox.setRefreshBehaviour(
                Sandbox.DATASET_FINANCE_MODEL, Dataset.RefreshBehaviour.completing(Duration.ofMillis(100)));
        String ok = refresh(MODEL, null);
        finishRunning();
        assertEquals(
                "Completed", inHistory(MODEL, ok).orElseThrow().get("status").asText());
    }

    @Test
    void row11EnhancedRefreshHasLocationAndXMsRequestId() {
        PowerBiCalls.Response r = api.post(
                MODEL + "/refreshes",
                "{\"type\":\"Full\",\"commitMode\":\"Transactional\","
                        + "\"objects\":[{\"table\":\"Budget\"}],\"retryCount\":1,\"timeout\":\"02:00:00\"}");
        assertEquals(202, r.status(), r.toString());
        String id = r.header("x-ms-request-id");
        assertTrue(id.matches(UUID), id);
        assertEquals(id, r.header("RequestId"));
        assertEquals(sandbox.apiBaseUrl() + "/v1.0/myorg" + MODEL + "/refreshes/" + id, r.header("Location"));
        finishRunning();
        assertEquals(
                "ViaEnhancedApi",
                inHistory(MODEL, id).orElseThrow().get("refreshType").asText());
    }

    @Test
    void row12EnhancedRefreshOnSharedCapacityIs400() {
        assertError(api.post(LEDGER + "/refreshes", "{\"type\":\"Full\"}"), 400, "InvalidRequest");
        assertEquals(
                202,
                api.post(LEDGER + "/refreshes", "{\"notifyOption\":\"NoNotification\"}")
                        .status());
    }

    @Test
    void row13SecondRefreshWhileOneRunsIs400Or409() {
        refresh(MODEL, null);
        JsonNode json = assertError(api.post(MODEL + "/refreshes", null), 400, "InvalidRequest");
        assertTrue(json.at("/error/message").asText().contains("Another refresh request is already executing"));
        assertError(api.post(MODEL + "/refreshes", "{\"type\":\"Full\"}"), 400, "InvalidRequest");

        sandbox.setSettings(sandbox.settings().merge(Map.of("refreshes", Map.of("conflictStatus", 409))));
        assertError(api.post(MODEL + "/refreshes", null), 409, "InvalidRequest");
        finishRunning();
        refresh(MODEL, null);
    }

    @Test
    void row14NinthRefreshOfTheDayOnSharedCapacityIsRefused() {
        // move to the middle of a UTC day so the count cannot cross midnight, with a token of that time
        Instant now = sandbox.clock().now();
        Instant noon = LocalDate.ofInstant(now, ZoneOffset.UTC)
                .plusDays(1)
                .atTime(12, 0)
                .toInstant(ZoneOffset.UTC);
        sandbox.clock().advance(Duration.between(now, noon));
        PowerBiCalls later = new PowerBiCalls(sandbox);
        for (int i = 1; i <= 8; i++) {
            PowerBiCalls.Response r = later.post(LEDGER + "/refreshes", null);
            assertEquals(202, r.status(), "refresh " + i + ": " + r);
            finishRunning();
        }
        JsonNode json = assertError(later.post(LEDGER + "/refreshes", null), 400, "InvalidRequest");
        assertTrue(json.at("/error/message").asText().contains("8"), json.toString());
        // dedicated capacity has no such limit
        for (int i = 0; i < 9; i++) {
            assertEquals(202, later.post(MODEL + "/refreshes", null).status());
            finishRunning();
        }
    }

    @Test
    void row15HistoryIsNewestFirstAndHonoursTop() {
        String first = refresh(MODEL, null);
        finishRunning();
        String second = refresh(MODEL, "{\"type\":\"Full\"}");
        finishRunning();
        String third = refresh(MODEL, null);
        finishRunning();
        PowerBiCalls.Response all = api.get(MODEL + "/refreshes");
        assertEquals(List.of(third, second, first), requestIds(all));
        assertTrue(all.json().get("@odata.context").asText().endsWith("/refreshes"));
        PowerBiCalls.Response top = api.get(MODEL + "/refreshes?$top=2");
        assertEquals(List.of(third, second), requestIds(top));
        JsonNode entry = top.json().at("/value/0");
        for (String field : List.of(
                "requestId",
                "id",
                "refreshType",
                "startTime",
                "endTime",
                "status",
                "extendedStatus",
                "refreshAttempts")) {
            assertTrue(entry.has(field), field + " in " + entry);
        }
        assertError(api.get(MODEL + "/refreshes?$top=0"), 400, "InvalidRequest");
        assertError(api.get(MODEL + "/refreshes?$top=x"), 400, "InvalidRequest");
    }

    static List<String> requestIds(PowerBiCalls.Response r) {
        return StreamSupport.stream(r.json().get("value").spliterator(), false)
                .map(n -> n.get("requestId").asText())
                .toList();
    }

    @Test
    void row16EnhancedRefreshDetailsAre202WhileRunningAnd200AtTheEnd() {
        String id = api.post(MODEL + "/refreshes", "{\"type\":\"Full\",\"objects\":[{\"table\":\"Budget\"}]}")
                .header("x-ms-request-id");
        PowerBiCalls.Response running = api.get(MODEL + "/refreshes/" + id);
        assertEquals(202, running.status(), running.toString());
        assertEquals("Unknown", running.json().get("status").asText());
        assertTrue(List.of("NotStarted", "InProgress")
                .contains(running.json().get("extendedStatus").asText()));
        assertPowerBiHeaders(running);

        sandbox.clock().advance(Duration.ofMillis(1000));
        JsonNode inProgress = api.get(MODEL + "/refreshes/" + id).json();
        assertEquals("InProgress", inProgress.get("extendedStatus").asText());
        assertEquals(1, inProgress.get("numberOfAttempts").asInt());

        finishRunning();
        PowerBiCalls.Response done = api.get(MODEL + "/refreshes/" + id);
        assertEquals(200, done.status(), done.toString());
        assertEquals("Completed", done.json().get("status").asText());
        assertEquals("Completed", done.json().get("extendedStatus").asText());
        assertEquals("Budget", done.json().at("/objects/0/table").asText());
        assertEquals("Completed", done.json().at("/objects/0/status").asText());
        assertEquals(0, done.json().get("messages").size());
        assertEquals("Full", done.json().get("type").asText());

        sandbox.setRefreshBehaviour(Sandbox.DATASET_FINANCE_MODEL, Dataset.RefreshBehaviour.failing(null, null));
        String failing = api.post(MODEL + "/refreshes", "{\"type\":\"Full\"}").header("x-ms-request-id");
        finishRunning();
        JsonNode failed = api.get(MODEL + "/refreshes/" + failing).json();
        assertEquals("Failed", failed.get("status").asText());
        assertEquals(
                "ModelRefreshFailed_CredentialsNotSpecified",
                failed.at("/messages/0/code").asText());
        assertEquals("Error", failed.at("/messages/0/type").asText());
    }

    @Test
    void row17StandardRefreshIdsCannotBeQueriedOrCancelled() {
        String plain = refresh(MODEL, null);
        assertError(api.get(MODEL + "/refreshes/" + plain), 404, "ItemNotFound");
        assertError(api.delete(MODEL + "/refreshes/" + plain), 404, "ItemNotFound");
        assertError(api.get(MODEL + "/refreshes/" + java.util.UUID.randomUUID()), 404, "ItemNotFound");
    }

    @Test
    void row18CancelledEnhancedRefreshShowsCancelled() {
        String id = api.post(MODEL + "/refreshes", "{\"type\":\"Full\"}").header("x-ms-request-id");
        PowerBiCalls.Response cancel = api.delete(MODEL + "/refreshes/" + id);
        assertEquals(200, cancel.status(), cancel.toString());
        assertPowerBiHeaders(cancel);
        JsonNode entry = await().atMost(Duration.ofSeconds(5))
                .until(() -> inHistory(MODEL, id).orElse(null), n -> n != null);
        assertEquals("Cancelled", entry.get("status").asText());
        assertEquals("Cancelled", entry.get("extendedStatus").asText());
        assertTrue(entry.has("endTime"));
        assertEquals(
                "Cancelled",
                api.get(MODEL + "/refreshes/" + id).json().get("status").asText());
        assertError(api.delete(MODEL + "/refreshes/" + id), 400, "InvalidRequest");
        // the dataset is free again
        refresh(MODEL, null);
    }

    @Test
    void invalidRequestsAndPushDatasetsAre400() {
        assertError(
                api.post(SALES + "/datasets/" + Sandbox.DATASET_RETAIL + "/refreshes", null), 400, "InvalidRequest");
        assertError(api.post(MODEL + "/refreshes", "{\"type\":\"Add\"}"), 400, "InvalidRequest");
        assertError(
                api.post(MODEL + "/refreshes", "{\"type\":\"Full\",\"notifyOption\":\"MailOnFailure\"}"),
                400,
                "InvalidRequest");
        assertError(api.post(MODEL + "/refreshes", "{\"timeout\":\"5 hours\"}"), 400, "InvalidRequest");
        assertError(api.post(MODEL + "/refreshes", "[1]"), 400, "InvalidRequest");
        assertError(
                api.post(SALES + "/datasets/" + java.util.UUID.randomUUID() + "/refreshes", null),
                404,
                "PowerBIEntityNotFound");
    }

    @Test
    void stateShowsRefreshes() {
        String id = refresh(MODEL, null);
        JsonNode state = sandbox.stateJson();
        JsonNode model = state.at("/tenants/0/workspaces/0/datasets/1");
        assertEquals("Finance Model", model.get("name").asText());
        JsonNode r = model.at("/refreshes/0");
        assertEquals(id, r.get("requestId").asText());
        assertEquals("Unknown", r.get("status").asText());
        assertFalse(r.get("inHistory").asBoolean());
        assertEquals(
                1, sandbox.dataset(Sandbox.DATASET_FINANCE_MODEL).refreshes().size());
    }
}
