package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.SandboxTestSupport.GROUPS;
import static io.camelpowerbi.sandbox.SandboxTestSupport.SCOPE;
import static io.camelpowerbi.sandbox.TestHttp.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Fault rules from the configuration, the Java API and {@code /_sandbox/faults}; and {@code /_sandbox/state}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class FaultInjectionTest {

    Sandbox sandbox;
    TestHttp http;
    Map<String, String> secretRequest;

    @BeforeAll
    void start() throws Exception {
        FaultRule configured = FaultRule.status("/oauth2/v2\\.0/token$", 503)
                .onMethod("POST")
                .withRetryAfter(7)
                .withBody(TestHttp.JSON.readTree("{\"error\":\"temporarily_unavailable\"}"))
                .withId("configured-503");
        sandbox = Sandbox.start(SandboxTestSupport.config().withFault(configured));
        http = new TestHttp(sandbox);
        secretRequest = form(
                "grant_type",
                "client_credentials",
                "client_id",
                Sandbox.DEV_CLIENT_ID,
                "client_secret",
                sandbox.devClientSecret(),
                "scope",
                SCOPE);
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    TestHttp.Response token() {
        return http.postForm(sandbox.tokenEndpoint(Sandbox.DEV_TENANT_ID), secretRequest);
    }

    @BeforeEach
    void onlyTheConfiguredRuleAtFirst(org.junit.jupiter.api.TestInfo info) {
        if (!info.getTestMethod().orElseThrow().getName().startsWith("configured")) {
            sandbox.faults().clear();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void configuredFaultIsReturnedThenClearedAtRunTime() {
        long before = sandbox.tokenRequestCount();
        TestHttp.Response faulted = token();
        assertEquals(503, faulted.status());
        assertEquals("7", faulted.header("Retry-After"));
        assertEquals("temporarily_unavailable", faulted.json().get("error").asText());
        assertEquals(503, token().status(), "no maxCount: it keeps firing");
        assertEquals(2, sandbox.faults().firedCount("configured-503"));
        // the discovery document is not affected (path and method do not match)
        assertEquals(
                200,
                http.get(sandbox.baseUrl() + "/" + Sandbox.DEV_TENANT_ID + "/v2.0/.well-known/openid-configuration")
                        .status());

        TestHttp.Response cleared = http.delete(sandbox.baseUrl() + "/_sandbox/faults");
        assertEquals(204, cleared.status());
        assertTrue(sandbox.faults().rules().isEmpty());
        assertEquals(200, token().status());
        assertEquals(before + 3, sandbox.tokenRequestCount(), "faulted requests count as token requests");
    }

    @Test
    void rulesPostedAtRunTime() {
        TestHttp.Response added = http.postJson(
                sandbox.baseUrl() + "/_sandbox/faults",
                "{\"path\":\"/oauth2/v2\\\\.0/token$\",\"status\":429,\"retryAfterSeconds\":2,\"maxCount\":1,"
                        + "\"body\":{\"error\":\"too_many\"}}");
        assertEquals(201, added.status(), added.body());
        String id = added.json().at("/rules/0/id").asText();
        assertFalse(id.isBlank());
        TestHttp.Response first = token();
        assertEquals(429, first.status());
        assertEquals("2", first.header("Retry-After"));
        assertEquals(200, token().status(), "maxCount 1");
        JsonNode listed = http.get(sandbox.baseUrl() + "/_sandbox/faults").json();
        assertEquals(1, listed.at("/rules/0/fired").asInt());
        assertEquals(
                204, http.delete(sandbox.baseUrl() + "/_sandbox/faults/" + id).status());
        assertEquals(
                404, http.delete(sandbox.baseUrl() + "/_sandbox/faults/" + id).status());
    }

    @Test
    void arrayOfRulesAndInvalidRules() {
        TestHttp.Response added = http.postJson(
                sandbox.baseUrl() + "/_sandbox/faults",
                "[{\"path\":\"^/v1\\\\.0/myorg/groups$\",\"method\":\"GET\",\"status\":500},"
                        + "{\"path\":\"/never\",\"status\":502,\"probability\":0.5}]");
        assertEquals(201, added.status(), added.body());
        assertEquals(2, added.json().get("rules").size());
        TestHttp.Response api = http.getWithBearer(sandbox.apiBaseUrl() + GROUPS, "ignored");
        assertEquals(500, api.status(), "faults act before authentication");
        assertTrue(api.header("RequestId").matches("[0-9a-f-]{36}"), "Power BI headers on injected answers");

        assertEquals(
                400,
                http.postJson(sandbox.baseUrl() + "/_sandbox/faults", "{\"path\":\"x\"}")
                        .status(),
                "no effect");
        assertEquals(
                400,
                http.postJson(sandbox.baseUrl() + "/_sandbox/faults", "{\"path\":\"(\",\"status\":500}")
                        .status(),
                "bad regex");
        assertEquals(
                400,
                http.postJson(sandbox.baseUrl() + "/_sandbox/faults", "not json")
                        .status());
        assertEquals(
                400,
                http.postJson(sandbox.baseUrl() + "/_sandbox/faults", "{\"path\":\"x\",\"status\":500,\"color\":1}")
                        .status(),
                "unknown key");
    }

    @Test
    void droppedConnection() {
        sandbox.faults().add(FaultRule.drop("/oauth2/v2\\.0/token$").times(1));
        assertThrows(UncheckedIOException.class, this::token);
        assertEquals(200, token().status());
    }

    @Test
    void delayThenNormalAnswer() {
        sandbox.faults().add(FaultRule.delay("/oauth2/v2\\.0/token$", 300).times(1));
        long started = System.nanoTime();
        TestHttp.Response r = token();
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(200, r.status());
        assertTrue(millis >= 300, "answered after " + millis + " ms");
    }

    @Test
    void sandboxPathsAreNeverFaulted() {
        sandbox.faults().add(FaultRule.status(".*", 500));
        assertEquals(500, token().status());
        assertEquals(200, http.get(sandbox.baseUrl() + "/_sandbox/state").status());
        assertEquals(204, http.delete(sandbox.baseUrl() + "/_sandbox/faults").status());
    }

    @Test
    void stateShowsDirectoryWithoutSecrets() {
        long before = sandbox.tokenRequestCount();
        TestHttp.Response r = http.get(sandbox.baseUrl() + "/_sandbox/state");
        assertEquals(200, r.status());
        assertFalse(r.body().contains(sandbox.devClientSecret()), "the secret must not appear");
        assertFalse(r.body().contains("PRIVATE KEY"));
        JsonNode json = r.json();
        assertEquals(before, json.get("tokenRequestCount").asLong());
        JsonNode tenant = json.get("tenants").get(0);
        assertEquals(Sandbox.DEV_TENANT_ID, tenant.get("id").asText());
        assertEquals(Sandbox.DEV_TENANT_DOMAIN, tenant.get("domain").asText());
        JsonNode app = tenant.get("apps").get(0);
        assertEquals(Sandbox.DEV_CLIENT_ID, app.get("clientId").asText());
        assertEquals(1, app.get("secrets").size());
        assertFalse(app.get("secrets").get(0).has("value"));
        assertEquals(
                Thumbprints.of(sandbox.devCertificate()).sha1Hex(),
                app.get("certificates").get(0).get("thumbprintSha1").asText());
        assertEquals(3, tenant.get("workspaces").size());
        assertEquals(
                "Sales Analytics", tenant.get("workspaces").get(0).get("name").asText());
    }

    @Test
    void clockEndpoint() {
        TestHttp.Response moved = http.postJson(sandbox.baseUrl() + "/_sandbox/clock", "{\"advanceSeconds\":120}");
        assertEquals(200, moved.status());
        assertEquals(120, sandbox.clock().offset().toSeconds());
        assertEquals(
                200,
                http.postJson(sandbox.baseUrl() + "/_sandbox/clock", "{\"reset\":true}")
                        .status());
        assertEquals(0, sandbox.clock().offset().toSeconds());
    }
}
