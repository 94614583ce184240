package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.SandboxTestSupport.GROUPS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Observers see every exchange as it went over the wire, before the client has the answer: a recorder of traffic, a
 * contract check. They never change what the client gets, and they never print secrets by accident.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxObserverTest {

    Sandbox sandbox;
    TestHttp http;
    String token;
    final List<ObservedExchange> seen = new CopyOnWriteArrayList<>();
    final SandboxObserver recorder = seen::add;

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(SandboxTestSupport.config());
        http = new TestHttp(sandbox);
        token = SandboxTestSupport.devToken(sandbox, http);
        sandbox.addObserver(recorder);
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @BeforeEach
    void clear() {
        sandbox.faults().clear();
        seen.clear();
    }

    @Test
    void anObserverSeesRequestAndAnswerBeforeTheClientHasTheAnswer() {
        TestHttp.Response r = http.getWithBearer(sandbox.apiBaseUrl() + GROUPS + "?%24top=1", token);
        assertEquals(200, r.status());

        // the observer ran before the answer was written, so it is there when the call returns: no waiting
        assertEquals(1, seen.size());
        ObservedExchange e = seen.get(0);
        assertEquals("GET", e.method());
        assertEquals(GROUPS, e.path());
        assertEquals("%24top=1", e.rawQuery());
        assertEquals("Bearer " + token, e.requestHeader("authorization"));
        assertEquals(200, e.status());
        assertArrayEquals(r.body().getBytes(StandardCharsets.UTF_8), e.responseBody());
        assertEquals(r.header("RequestId"), e.responseHeader("requestid"));
        assertNull(e.faultRuleId());
    }

    @Test
    void theRequestBodyIsSeenAsSent() {
        String body =
                "{\"name\":\"Observed\",\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"a\",\"dataType\":\"Int64\"}]}]}";
        http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        sandbox.apiBaseUrl() + GROUPS + "/" + Sandbox.WORKSPACE_SALES_ANALYTICS + "/datasets"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build());

        ObservedExchange e = seen.get(0);
        assertEquals("POST", e.method());
        assertEquals(body, new String(e.requestBody(), StandardCharsets.UTF_8));
        assertEquals(201, e.status());
    }

    @Test
    void answersOfFaultRulesAndDroppedConnectionsAreMarked() {
        FaultRule unavailable = sandbox.faults()
                .add(FaultRule.status(GROUPS + "$", 503).onMethod("GET").times(1));
        assertEquals(
                503, http.getWithBearer(sandbox.apiBaseUrl() + GROUPS, token).status());
        assertEquals(unavailable.id(), seen.get(0).faultRuleId());
        assertEquals(503, seen.get(0).status());

        FaultRule drop = sandbox.faults().add(FaultRule.drop(GROUPS + "$").times(1));
        // the JDK client sends a GET again once after a dropped connection, and that one is answered
        assertEquals(
                200, http.getWithBearer(sandbox.apiBaseUrl() + GROUPS, token).status());
        ObservedExchange dropped = seen.get(1);
        assertEquals(0, dropped.status(), "no answer");
        assertEquals(drop.id(), dropped.faultRuleId());
        assertTrue(dropped.toString().endsWith("dropped (fault " + drop.id() + ")"), dropped.toString());
        assertEquals(200, seen.get(2).status());
        assertNull(seen.get(2).faultRuleId());
    }

    @Test
    void aFailingObserverDoesNotChangeTheAnswer() {
        SandboxObserver broken = e -> {
            throw new IllegalStateException("observer bug");
        };
        sandbox.addObserver(broken);
        try {
            assertEquals(
                    200,
                    http.getWithBearer(sandbox.apiBaseUrl() + GROUPS, token).status());
            assertEquals(1, seen.size(), "the other observers still ran");
        } finally {
            assertTrue(sandbox.removeObserver(broken));
        }
    }

    @Test
    void observersOnTheClassPathAreInstalledAtStart() {
        // the test class path declares one in META-INF/services (the contract oracle); users add theirs the same way
        assertTrue(
                sandbox.observers().stream()
                        .anyMatch(
                                o -> o.getClass().getName().equals("io.camelpowerbi.contract.SandboxContractObserver")),
                () -> "observers: " + sandbox.observers());
        assertTrue(sandbox.observers().contains(recorder));
    }

    @Test
    void anObservedExchangeShowsNoSecretWhenPrinted() {
        http.getWithBearer(sandbox.apiBaseUrl() + GROUPS, token);
        String printed = seen.get(0).toString();
        assertFalse(printed.contains(token), printed);
        assertEquals("GET " + GROUPS + " -> 200", printed);
    }
}
