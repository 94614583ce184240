package io.camelpowerbi.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.TestClock;
import io.camelpowerbi.client.PowerBiException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RefreshOperationsTest extends WireMockSupport {

    static final String REFRESHES = BASE + "/datasets/" + D + "/refreshes";
    static final String OURS = "aaaaaaaa-0000-0000-0000-000000000001";
    static final String NEWER = "aaaaaaaa-0000-0000-0000-000000000002";
    static final String OLDER = "aaaaaaaa-0000-0000-0000-000000000003";
    static final String RUNNING = "aaaaaaaa-0000-0000-0000-000000000004";
    static final String ENHANCED = "bbbbbbbb-0000-0000-0000-000000000001";

    final TestClock time = new TestClock();
    static final WaitOptions FAST = new WaitOptions(Duration.ofSeconds(10), Duration.ofMinutes(5), false);

    RefreshOperations ops() {
        return new RefreshOperations(client, new Poller(time));
    }

    static String entry(String requestId, String status, String extra) {
        return "{\"requestId\":\"" + requestId
                + "\",\"id\":7,\"refreshType\":\"ViaApi\",\"startTime\":\"2025-01-01T10:00:00Z\","
                + "\"status\":\"" + status + "\""
                + (status.equals("Unknown") ? "" : ",\"endTime\":\"2025-01-01T10:05:00Z\"")
                + (extra == null ? "" : "," + extra) + "}";
    }

    static String history(String... entries) {
        return "{\"@odata.context\":\"x\",\"value\":[" + String.join(",", entries) + "]}";
    }

    @BeforeEach
    void emptyHistoryByDefault() {
        // every start first reads what the history holds (to find its refresh should the answer be lost)
        wm.stubFor(get(urlPathEqualTo(REFRESHES)).atPriority(10).willReturn(okJson(history())));
    }

    void acceptPlain(String requestId) {
        wm.stubFor(post(urlPathEqualTo(REFRESHES))
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("RequestId", requestId)
                        .withHeader("Content-Type", "application/octet-stream")));
    }

    /** History answers, one per GET, the last one repeated. */
    void historySequence(String... bodies) {
        String state = Scenario.STARTED;
        for (int i = 0; i < bodies.length; i++) {
            String next = i == bodies.length - 1 ? state : "h" + (i + 1);
            wm.stubFor(get(urlPathEqualTo(REFRESHES))
                    .inScenario("history")
                    .whenScenarioStateIs(state)
                    .willSetStateTo(next)
                    .willReturn(okJson(bodies[i])));
            state = next;
        }
    }

    @Test
    void plainRefreshIsFollowedByItsOwnRequestIdNotByTheLatestEntry() {
        acceptPlain(OURS);
        // A newer (scheduled) refresh and an older failed one are in the history; ours only shows up on the third poll.
        String newer = entry(
                        NEWER,
                        "Failed",
                        "\"refreshType\":\"Scheduled\",\"serviceExceptionJson\":\"{\\\"errorCode\\\":\\\"NotOurs\\\"}\"")
                .replace("\"refreshType\":\"ViaApi\",", "");
        String older = entry(OLDER, "Failed", null);
        historySequence(
                history(newer, older), // read before the start
                history(newer, older),
                history(newer, older),
                history(newer, entry(OURS, "Unknown", null), older),
                history(
                        newer,
                        entry(
                                OURS,
                                "Completed",
                                "\"refreshAttempts\":[{\"attemptId\":1,\"type\":\"Data\"},{\"attemptId\":1,\"type\":\"Query\"}]"),
                        older));

        RefreshOutcome outcome = ops().refresh(G, D, RefreshRequest.plain(), FAST, true, IfRefreshRunning.FAIL);

        assertEquals(OURS, outcome.refreshId());
        assertEquals("Completed", outcome.status());
        assertTrue(outcome.succeeded());
        assertEquals(2, outcome.attemptCount());
        assertEquals("ViaApi", outcome.refreshType());
        assertEquals("2025-01-01T10:05:00Z", outcome.endTime());
        assertTrue(outcome.errors().isEmpty());
        wm.verify(postRequestedFor(urlPathEqualTo(REFRESHES)).withHeader("Content-Length", equalTo("0")));
        wm.verify(5, getRequestedFor(urlPathEqualTo(REFRESHES)).withQueryParam("$top", equalTo("20")));
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10)), time.sleeps());
    }

    @Test
    void plainRefreshIsPostedWithoutABodyOrContentType() {
        // The body is optional (SW) and a plain refresh has nothing to say: Content-Length 0, no Content-Type:
        // application/json.
        acceptPlain(OURS);
        assertEquals(OURS, ops().start(G, D, RefreshRequest.plain()));
        wm.verify(postRequestedFor(urlPathEqualTo(REFRESHES))
                .withHeader("Content-Length", equalTo("0"))
                .withHeader("Content-Type", absent()));
    }

    @Test
    void plainRefreshMailsWhenAsked() {
        acceptPlain(OURS);
        assertEquals(OURS, ops().start(G, D, RefreshRequest.plain("MailOnFailure")));
        wm.verify(postRequestedFor(urlPathEqualTo(REFRESHES))
                .withRequestBody(equalToJson("{\"notifyOption\":\"MailOnFailure\"}")));
    }

    @Test
    void enhancedRefreshPollsItsStatusEndpointFrom202To200() {
        wm.stubFor(post(urlPathEqualTo(REFRESHES))
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("x-ms-request-id", ENHANCED)
                        .withHeader("RequestId", ENHANCED)
                        .withHeader("Location", wm.baseUrl() + REFRESHES + "/" + ENHANCED)));
        String detail = REFRESHES + "/" + ENHANCED;
        wm.stubFor(get(urlPathEqualTo(detail))
                .inScenario("e")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("2")
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                                "{\"status\":\"Unknown\",\"extendedStatus\":\"NotStarted\",\"numberOfAttempts\":0}")));
        wm.stubFor(get(urlPathEqualTo(detail))
                .inScenario("e")
                .whenScenarioStateIs("2")
                .willSetStateTo("3")
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                                "{\"status\":\"Unknown\",\"extendedStatus\":\"InProgress\",\"numberOfAttempts\":1}")));
        wm.stubFor(get(urlPathEqualTo(detail))
                .inScenario("e")
                .whenScenarioStateIs("3")
                .willReturn(okJson(
                        "{\"startTime\":\"2025-01-01T10:00:00Z\",\"endTime\":\"2025-01-01T10:01:00Z\",\"type\":\"Full\","
                                + "\"commitMode\":\"Transactional\",\"status\":\"Completed\",\"extendedStatus\":\"Completed\",\"numberOfAttempts\":1,"
                                + "\"objects\":[{\"table\":\"Orders\",\"status\":\"Completed\"}]}")));
        RefreshRequest request = RefreshRequest.fromMap(Map.of(
                "type",
                "full",
                "commitMode",
                "transactional",
                "objects",
                List.of(Map.of("table", "Orders"), "Customers/2024"),
                "retryCount",
                2,
                "timeout",
                "01:30:00"));

        RefreshOutcome outcome = ops().refresh(G, D, request, FAST, true, IfRefreshRunning.FAIL);

        assertEquals(ENHANCED, outcome.refreshId());
        assertEquals("Completed", outcome.extendedStatus());
        assertEquals("Full", outcome.refreshType());
        assertEquals(1, outcome.attemptCount());
        wm.verify(
                postRequestedFor(urlPathEqualTo(REFRESHES))
                        .withRequestBody(
                                equalToJson(
                                        "{\"type\":\"Full\",\"commitMode\":\"Transactional\","
                                                + "\"objects\":[{\"table\":\"Orders\"},{\"table\":\"Customers\",\"partition\":\"2024\"}],\"retryCount\":2,\"timeout\":\"01:30:00\"}")));
        wm.verify(3, getRequestedFor(urlPathEqualTo(detail)));
        // the history only once, before the submit (to find the refresh should the answer be lost), never to follow it
        wm.verify(1, getRequestedFor(urlPathEqualTo(REFRESHES)));
    }

    @Test
    void failedRefreshCarriesTheParsedServiceExceptionJson() {
        acceptPlain(OURS);
        String failed = entry(
                OURS,
                "Failed",
                "\"serviceExceptionJson\":\"{\\\"errorCode\\\":\\\"ModelRefreshFailed_CredentialsNotSpecified\\\",\\\"errorDescription\\\":\\\"Data source credentials are missing\\\"}\","
                        + "\"refreshAttempts\":[{\"attemptId\":1,\"type\":\"Data\",\"serviceExceptionJson\":\"{\\\"errorCode\\\":\\\"ModelRefreshFailed_CredentialsNotSpecified\\\",\\\"errorDescription\\\":\\\"Data source credentials are missing\\\"}\"},"
                        + "{\"attemptId\":2,\"type\":\"Data\",\"serviceExceptionJson\":\"gateway offline\"}]");
        historySequence(history(failed));

        RefreshFailedException e = assertThrows(
                RefreshFailedException.class, () -> ops().refresh(G, D, null, FAST, true, IfRefreshRunning.FAIL));

        RefreshOutcome outcome = e.outcome();
        assertEquals("Failed", outcome.status());
        assertTrue(outcome.failed());
        assertEquals(
                List.of(
                        new RefreshOutcome.RefreshError(
                                "ModelRefreshFailed_CredentialsNotSpecified",
                                "Data source credentials are missing",
                                "refresh"),
                        new RefreshOutcome.RefreshError(null, "gateway offline", "attempt 2")),
                outcome.errors());
        assertEquals(2, outcome.attempts().size());
        assertContains(
                e.getMessage(),
                "did not succeed",
                OURS,
                "ModelRefreshFailed_CredentialsNotSpecified: Data source credentials are missing",
                "gateway offline",
                "after 2 attempts");

        // Without failOnError the same outcome is returned.
        wm.resetRequests();
        RefreshOutcome quiet = ops().refresh(G, D, null, FAST, false, IfRefreshRunning.FAIL);
        assertEquals("Failed", quiet.status());
    }

    @Test
    void enhancedFailureCarriesEngineMessages() {
        wm.stubFor(post(urlPathEqualTo(REFRESHES))
                .willReturn(aResponse().withStatus(202).withHeader("x-ms-request-id", ENHANCED)));
        wm.stubFor(get(urlPathEqualTo(REFRESHES + "/" + ENHANCED))
                .willReturn(okJson("{\"status\":\"Failed\",\"extendedStatus\":\"Failed\","
                        + "\"messages\":[{\"code\":\"0xC11C0005\",\"message\":\"The column 'x' cannot be found.\",\"type\":\"Error\"},"
                        + "{\"message\":\"slow source\",\"type\":\"Warning\"}]}")));

        RefreshFailedException e = assertThrows(
                RefreshFailedException.class,
                () -> ops().refresh(
                                G, D, RefreshRequest.enhanced(RefreshType.Full), FAST, true, IfRefreshRunning.FAIL));

        assertEquals(2, e.outcome().messages().size());
        assertContains(e.getMessage(), "0xC11C0005: The column 'x' cannot be found.");
        assertFalse(e.getMessage().contains("slow source"), e.getMessage());
    }

    @Test
    void conflictIsAlreadyRunningWithTheRunningRefreshFromHistory() {
        wm.stubFor(post(urlPathEqualTo(REFRESHES)).willReturn(aResponse().withStatus(409)));
        wm.stubFor(get(urlPathEqualTo(REFRESHES))
                .willReturn(okJson(history(entry(RUNNING, "Unknown", null), entry(OLDER, "Completed", null)))));

        RefreshAlreadyRunningException e = assertThrows(
                RefreshAlreadyRunningException.class,
                () -> ops().refresh(G, D, null, FAST, true, IfRefreshRunning.FAIL));

        assertEquals(RUNNING, e.runningRefreshId());
        assertContains(e.getMessage(), "already refreshing", RUNNING, "one refresh per dataset", "ifRunning=WAIT");
        assertInstanceOf(PowerBiException.class, e.getCause());
        wm.verify(getRequestedFor(urlPathEqualTo(REFRESHES)).withQueryParam("$top", equalTo("10")));
    }

    @Test
    void badRequestSayingAnotherRefreshRunsIsAlreadyRunningEvenWithoutHistory() {
        wm.stubFor(
                post(urlPathEqualTo(REFRESHES))
                        .willReturn(
                                aResponse()
                                        .withStatus(400)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"error\":{\"code\":\"InvalidRequest\",\"message\":\"Another refresh request is already executing\"}}")));
        wm.stubFor(get(urlPathEqualTo(REFRESHES)).willReturn(okJson(history(entry(OLDER, "Completed", null)))));

        RefreshAlreadyRunningException e =
                assertThrows(RefreshAlreadyRunningException.class, () -> ops().start(G, D, RefreshRequest.plain()));

        assertNull(e.runningRefreshId());
    }

    @Test
    void plainBadRequestWithAnUnknownRefreshInHistoryIsAlreadyRunning() {
        wm.stubFor(post(urlPathEqualTo(REFRESHES))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":\"InvalidRequest\"}}")));
        wm.stubFor(get(urlPathEqualTo(REFRESHES)).willReturn(okJson(history(entry(RUNNING, "Unknown", null)))));

        RefreshAlreadyRunningException e =
                assertThrows(RefreshAlreadyRunningException.class, () -> ops().start(G, D, null));

        assertEquals(RUNNING, e.runningRefreshId());
    }

    @Test
    void otherBadRequestsStayPowerBiErrors() {
        wm.stubFor(
                post(urlPathEqualTo(REFRESHES))
                        .willReturn(
                                aResponse()
                                        .withStatus(400)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"error\":{\"code\":\"InvalidRequest\",\"message\":\"Enhanced refresh needs a Premium capacity\"}}")));
        wm.stubFor(get(urlPathEqualTo(REFRESHES)).willReturn(okJson(history(entry(OLDER, "Completed", null)))));

        PowerBiException e = assertThrows(
                PowerBiException.class, () -> ops().start(G, D, RefreshRequest.enhanced(RefreshType.Full)));

        assertEquals(400, e.httpStatus());
    }

    @Test
    void waitIfRunningWaitsForTheRunningRefreshThenStartsOurs() {
        wm.stubFor(post(urlPathEqualTo(REFRESHES))
                .inScenario("post")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("free")
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                                "{\"error\":{\"code\":\"InvalidRequest\",\"message\":\"A refresh is in progress\"}}")));
        wm.stubFor(post(urlPathEqualTo(REFRESHES))
                .inScenario("post")
                .whenScenarioStateIs("free")
                .willReturn(aResponse().withStatus(202).withHeader("RequestId", OURS)));
        historySequence(
                history(entry(RUNNING, "Unknown", null)), // read before the first start
                history(entry(RUNNING, "Unknown", null)), // found as running
                history(entry(RUNNING, "Unknown", null)), // still running
                history(entry(RUNNING, "Completed", null)), // done: now ours may start
                history(entry(RUNNING, "Completed", null)), // read before the second start
                history(entry(OURS, "Completed", null), entry(RUNNING, "Completed", null)));

        RefreshOutcome outcome = ops().refresh(G, D, null, FAST, true, IfRefreshRunning.WAIT);

        assertEquals(OURS, outcome.refreshId());
        assertEquals("Completed", outcome.status());
        assertEquals(
                List.of("GET", "POST", "GET", "GET", "GET", "GET", "POST", "GET"),
                requests().stream().map(r -> r.getMethod().getName()).toList());
        wm.verify(0, deleteRequestedFor(anyUrl())); // the running refresh is not ours to cancel
    }

    @Test
    void enhancedTimeoutCancelsTheRefresh() {
        wm.stubFor(post(urlPathEqualTo(REFRESHES))
                .willReturn(aResponse().withStatus(202).withHeader("x-ms-request-id", ENHANCED)));
        wm.stubFor(get(urlPathEqualTo(REFRESHES + "/" + ENHANCED))
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"Unknown\",\"extendedStatus\":\"InProgress\"}")));
        wm.stubFor(delete(urlPathEqualTo(REFRESHES + "/" + ENHANCED))
                .willReturn(aResponse().withStatus(200)));
        WaitOptions options = new WaitOptions(Duration.ofSeconds(20), Duration.ofMinutes(1), true);

        RefreshTimeoutException e = assertThrows(
                RefreshTimeoutException.class,
                () -> ops().refresh(
                                G,
                                D,
                                RefreshRequest.enhanced(RefreshType.DataOnly),
                                options,
                                true,
                                IfRefreshRunning.FAIL));

        assertTrue(e.cancelled());
        assertEquals(ENHANCED, e.jobId());
        assertEquals("Unknown/InProgress", e.lastState());
        assertContains(e.getMessage(), "did not finish within PT1M", "it was cancelled");
        wm.verify(1, deleteRequestedFor(urlPathEqualTo(REFRESHES + "/" + ENHANCED)));
        // Polled at 0, 20, 40 and 60 s: the wait never runs past the timeout.
        wm.verify(4, getRequestedFor(urlPathEqualTo(REFRESHES + "/" + ENHANCED)));
        assertEquals(Duration.ofMinutes(1), time.slept());
    }

    @Test
    void plainTimeoutWhenTheEntryNeverAppearsIsNotCancelled() {
        acceptPlain(OURS);
        wm.stubFor(get(urlPathEqualTo(REFRESHES)).willReturn(okJson(history(entry(NEWER, "Completed", null)))));
        WaitOptions options = new WaitOptions(Duration.ofSeconds(30), Duration.ofSeconds(45), true);

        RefreshTimeoutException e = assertThrows(
                RefreshTimeoutException.class, () -> ops().refresh(G, D, null, options, true, IfRefreshRunning.FAIL));

        assertFalse(e.cancelled());
        assertNull(e.lastState());
        assertContains(e.getMessage(), "never showed up in the refresh history", "cannot be cancelled");
        wm.verify(0, deleteRequestedFor(anyUrl()));
        assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(15)), time.sleeps());
    }

    @Test
    void enhancedStatusEndpointNotFoundYetIsTolerated() {
        String detail = REFRESHES + "/" + ENHANCED;
        wm.stubFor(get(urlPathEqualTo(detail))
                .inScenario("lag")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("there")
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":\"ItemNotFound\"}}")));
        wm.stubFor(get(urlPathEqualTo(detail))
                .inScenario("lag")
                .whenScenarioStateIs("there")
                .willReturn(okJson("{\"status\":\"Completed\",\"extendedStatus\":\"Completed\"}")));

        RefreshOutcome outcome = ops().waitFor(G, D, ENHANCED, true, FAST);

        assertEquals("Completed", outcome.status());
        wm.verify(2, getRequestedFor(urlPathEqualTo(detail)));
    }

    @Test
    void historyStatusAndCancelCallTheirEndpoints() {
        wm.stubFor(get(urlPathEqualTo(REFRESHES)).willReturn(okJson(history(entry(OLDER, "Completed", null)))));
        wm.stubFor(get(urlPathEqualTo(REFRESHES + "/" + ENHANCED))
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"Unknown\",\"extendedStatus\":\"NotStarted\"}")));
        wm.stubFor(delete(urlPathEqualTo(REFRESHES + "/" + ENHANCED))
                .willReturn(aResponse().withStatus(200)));
        RefreshOperations ops = ops();

        List<Map<String, Object>> history = ops.history(G, D, 5);
        RefreshOutcome status = ops.status(G, D, ENHANCED);
        ops.cancel(G, D, ENHANCED);

        assertEquals(OLDER, history.get(0).get("requestId"));
        assertEquals("NotStarted", status.extendedStatus());
        assertFalse(status.finished());
        assertEquals(
                List.of(
                        "GET " + REFRESHES + "?%24top=5",
                        "GET " + REFRESHES + "/" + ENHANCED,
                        "DELETE " + REFRESHES + "/" + ENHANCED),
                traffic());
    }

    @Test
    void notWaitingReturnsTheIdAtOnce() {
        acceptPlain(OURS);
        RefreshOutcome outcome = ops().refresh(G, D, null, null, true, IfRefreshRunning.FAIL);
        assertEquals(OURS, outcome.refreshId());
        assertFalse(outcome.finished());
        assertEquals(List.of("GET " + REFRESHES + "?%24top=20", "POST " + REFRESHES), traffic());
    }

    @Test
    void anInterruptedThreadStopsWaiting() {
        acceptPlain(OURS);
        wm.stubFor(get(urlPathEqualTo(REFRESHES)).willReturn(okJson(history(entry(OURS, "Unknown", null)))));
        // Real sleeping, with a poll interval no test would sit out: only the interrupt can end it.
        RefreshOperations ops = new RefreshOperations(client, Poller.SYSTEM);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                ops.waitFor(G, D, OURS, false, new WaitOptions(Duration.ofMinutes(10), Duration.ofHours(1), false));
            } catch (Throwable t) {
                thrown.set(t);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> waiter.getState() == Thread.State.TIMED_WAITING
                        && !wm.findAll(getRequestedFor(urlPathEqualTo(REFRESHES)))
                                .isEmpty());
        waiter.interrupt();
        await().atMost(Duration.ofSeconds(10)).until(() -> !waiter.isAlive());

        assertInstanceOf(WaitInterruptedException.class, thrown.get());
        assertSame(Boolean.TRUE, flag.get());
    }

    // ---------------------------------------------------------------- a start whose answer was lost

    @Test
    void aStartAnswered504IsFoundInTheHistoryAndFollowedNotStartedAgain() {
        // The service started the refresh, but a gateway answered 504: a second POST would start a second refresh (or
        // meet the first as "already running" and, with ifRunning=WAIT, wait for it and start another after it).
        wm.stubFor(post(urlPathEqualTo(REFRESHES)).willReturn(aResponse().withStatus(504)));
        String scheduled = entry(NEWER, "Unknown", null).replace("\"ViaApi\"", "\"Scheduled\"");
        historySequence(
                history(entry(OLDER, "Completed", null)), // before the submit
                history(entry(OLDER, "Completed", null)), // not visible yet
                history(scheduled, entry(OURS, "Unknown", null), entry(OLDER, "Completed", null)), // there: followed
                history(scheduled, entry(OURS, "Completed", null), entry(OLDER, "Completed", null)));

        RefreshOutcome outcome = ops().refresh(G, D, RefreshRequest.plain(), FAST, true, IfRefreshRunning.WAIT);

        assertEquals(OURS, outcome.refreshId(), "the new API refresh, not the scheduled one");
        assertEquals("Completed", outcome.status());
        wm.verify(1, postRequestedFor(urlPathEqualTo(REFRESHES)));
    }

    @Test
    void aStartWhoseConnectionBrokeIsNotResentWhenItsRefreshShowsUp() {
        wm.stubFor(post(urlPathEqualTo(REFRESHES)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        historySequence(history(), history(entry(OURS, "Unknown", null)));

        assertEquals(OURS, ops().start(G, D, RefreshRequest.plain()));

        wm.verify(1, postRequestedFor(urlPathEqualTo(REFRESHES)));
    }

    @Test
    void aStartThatNeverShowsUpIsSentOnceMoreAfterTheWindow() {
        wm.stubFor(post(urlPathEqualTo(REFRESHES))
                .inScenario("p")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("ok")
                .willReturn(aResponse().withStatus(502)));
        wm.stubFor(post(urlPathEqualTo(REFRESHES))
                .inScenario("p")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(202).withHeader("RequestId", OURS)));

        assertEquals(OURS, ops().start(G, D, RefreshRequest.plain()));

        wm.verify(2, postRequestedFor(urlPathEqualTo(REFRESHES)));
        // looked for it every poll interval until the window closed, and not a moment longer
        assertEquals(RefreshOperations.RECONCILE_WINDOW, time.slept());
    }

    @Test
    void aStartRefusedWith503AndRetryAfterWasNotProcessedAndIsSentAgain() {
        wm.stubFor(post(urlPathEqualTo(REFRESHES))
                .inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("ok")
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "0")));
        wm.stubFor(post(urlPathEqualTo(REFRESHES))
                .inScenario("busy")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(202).withHeader("RequestId", OURS)));

        assertEquals(OURS, ops().start(G, D, RefreshRequest.plain()));

        wm.verify(2, postRequestedFor(urlPathEqualTo(REFRESHES)));
        wm.verify(1, getRequestedFor(urlPathEqualTo(REFRESHES))); // only the read before the submit: no search
    }

    @Test
    void refreshRequestValidation() {
        InvalidOptionException partial = assertThrows(
                InvalidOptionException.class,
                () -> new RefreshRequest(
                        null, RefreshType.Full, CommitMode.PartialBatch, null, null, null, null, true, null));
        assertEquals("applyRefreshPolicy", partial.option());
        assertContains(partial.getMessage(), "must be false with commitMode PartialBatch");

        RefreshRequest batch = RefreshRequest.fromMap(
                Map.of("commitMode", "partialbatch", "maxParallelism", "4", "effectiveDate", "2025-01-31"));
        assertEquals(
                Map.of(
                        "commitMode",
                        "PartialBatch",
                        "maxParallelism",
                        4,
                        "applyRefreshPolicy",
                        false,
                        "effectiveDate",
                        "2025-01-31"),
                batch.toJson());
        assertTrue(batch.enhanced());

        assertContains(
                assertThrows(
                                InvalidOptionException.class,
                                () -> new RefreshRequest(
                                        "MailOnFailure", RefreshType.Full, null, null, null, null, null, null, null))
                        .getMessage(),
                "notifyOption: applies to a plain refresh only");
        assertContains(
                assertThrows(InvalidOptionException.class, () -> RefreshRequest.fromMap(Map.of("timeout", "90m")))
                        .getMessage(),
                "hh:mm:ss");
        assertContains(
                assertThrows(InvalidOptionException.class, () -> RefreshRequest.fromMap(Map.of("type", "Add")))
                        .getMessage(),
                "type: 'Add' is not a value it takes. Fix: use one of Full, ClearValues");
        assertContains(
                assertThrows(InvalidOptionException.class, () -> RefreshRequest.fromMap(Map.of("typo", "x")))
                        .getMessage(),
                "typo: is not a refresh parameter");
        // the option: a Duration, sent as Power BI's hh:mm:ss, within its 24 hours
        assertEquals(
                "02:30:00",
                new RefreshRequest(null, null, null, null, null, null, Duration.ofMinutes(150), null, null)
                        .toJson()
                        .get("timeout"));
        assertEquals(
                Duration.ofMinutes(90),
                RefreshRequest.fromMap(Map.of("timeout", "01:30:00")).timeout());
        assertEquals(
                "refreshTimeout",
                assertThrows(
                                InvalidOptionException.class,
                                () -> new RefreshRequest(
                                        null, null, null, null, null, null, Duration.ofHours(25), null, null))
                        .option());
        assertFalse(RefreshRequest.plain().enhanced());
        assertFalse(RefreshRequest.plain("NoNotification").enhanced());
        assertTrue(RefreshRequest.plain().toJson().isEmpty());
    }
}
