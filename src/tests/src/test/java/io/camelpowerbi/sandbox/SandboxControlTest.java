package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.PowerBiCalls.SALES;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertError;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertPowerBiHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code /_sandbox}: the state view, fault rules per endpoint set at run time, settings (wrong cluster),
 * tenant and workspace switches, reset and the loopback-only rule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxControlTest {

    static final String RETAIL_ROWS = SALES + "/datasets/" + Sandbox.DATASET_RETAIL + "/tables/Sales/rows";

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
        sandbox.state().requireTenant(Sandbox.DEV_TENANT_ID).setServicePrincipalsCanUseApis(true);
    }

    @Test
    void stateListsWorkspacesDatasetsTablesRowCountsReportsAndCounters() {
        PowerBiCalls.Response r = api.control("GET", "/_sandbox/state", null);
        assertEquals(200, r.status(), r.toString());
        JsonNode sales = r.json().at("/tenants/0/workspaces/0");
        assertEquals("Sales Analytics", sales.get("name").asText());
        JsonNode retail = sales.at("/datasets/0");
        assertEquals(Sandbox.DATASET_RETAIL, retail.get("id").asText());
        assertTrue(retail.get("push").asBoolean());
        assertEquals("basicFIFO", retail.get("defaultRetentionPolicy").asText());
        assertEquals("Sales", retail.at("/tables/0/name").asText());
        assertEquals(5, retail.at("/tables/0/rowCount").asInt());
        assertEquals("Finance Model", sales.at("/datasets/1/name").asText());
        assertEquals(
                2.0, sales.at("/datasets/1/refreshBehaviour/durationSeconds").asDouble());
        assertEquals("Sales Report", sales.at("/reports/0/name").asText());
        assertEquals(
                "Ledger", r.json().at("/tenants/0/workspaces/1/datasets/0/name").asText());
        assertTrue(r.json().get("tokenRequestCount").asLong() >= 1);
        assertTrue(r.json().get("limits").get("enabled").asBoolean());
        assertEquals(1.5, r.json().at("/settings/refreshes/durationSeconds").asDouble());

        assertEquals(200, api.post(RETAIL_ROWS, "{\"rows\":[{\"OrderId\":7}]}").status());
        JsonNode after = api.control("GET", "/_sandbox/state", null).json().at("/tenants/0/workspaces/0/datasets/0");
        assertEquals(6, after.at("/tables/0/rowCount").asInt());
        assertEquals(1, after.get("postRowsRequests").asInt());
        assertEquals(1, after.get("rowsAdded").asInt());
    }

    @Test
    void faultRulesPerEndpointAtRunTime() {
        PowerBiCalls.Response added = api.control(
                "POST",
                "/_sandbox/faults",
                "[{\"method\":\"POST\",\"path\":"
                        + "\"/tables/Sales/rows$\",\"status\":503,\"retryAfterSeconds\":3,\"maxCount\":1},"
                        + "{\"path\":\"/reports$\",\"status\":429,\"retryAfterSeconds\":7,\"body\":{\"message\":\"slow down\"},"
                        + "\"maxCount\":1},"
                        + "{\"path\":\"/executeQueries$\",\"dropConnection\":true,\"maxCount\":1},"
                        + "{\"path\":\"/refreshes$\",\"method\":\"POST\",\"delayMs\":300,\"maxCount\":1},"
                        + "{\"path\":\"/datasets$\",\"status\":500,\"probability\":0}]");
        assertEquals(201, added.status(), added.toString());

        PowerBiCalls.Response unavailable = api.post(RETAIL_ROWS, "{\"rows\":[{\"OrderId\":7}]}");
        assertEquals(503, unavailable.status());
        assertEquals("3", unavailable.header("Retry-After"));
        assertPowerBiHeaders(unavailable);
        assertEquals(
                5,
                sandbox.dataset(Sandbox.DATASET_RETAIL)
                        .table("Sales")
                        .orElseThrow()
                        .rowCount(),
                "a faulted request does not reach the endpoint");
        assertEquals(200, api.post(RETAIL_ROWS, "{\"rows\":[{\"OrderId\":7}]}").status(), "maxCount 1");

        PowerBiCalls.Response throttled = api.get(SALES + "/reports");
        assertEquals(429, throttled.status());
        assertEquals("7", throttled.header("Retry-After"));
        assertEquals("slow down", throttled.json().get("message").asText());
        assertEquals(200, api.get(SALES + "/reports").status());

        String query = SALES + "/datasets/" + Sandbox.DATASET_RETAIL + "/executeQueries";
        assertThrows(
                UncheckedIOException.class, () -> api.post(query, "{\"queries\":[{\"query\":\"EVALUATE Sales\"}]}"));
        assertEquals(
                200,
                api.post(query, "{\"queries\":[{\"query\":\"EVALUATE Sales\"}]}")
                        .status());

        long started = System.nanoTime();
        assertEquals(
                202,
                api.post(SALES + "/datasets/" + Sandbox.DATASET_FINANCE_MODEL + "/refreshes", null)
                        .status());
        assertTrue(System.nanoTime() - started >= 300_000_000L, "the delay rule held the request");

        assertEquals(200, api.get(SALES + "/datasets").status(), "probability 0 never fires");
        JsonNode rules = api.control("GET", "/_sandbox/faults", null).json().get("rules");
        assertEquals(1, rules.get(0).get("fired").asInt());
        assertEquals(0, rules.get(4).get("fired").asInt());
        assertEquals(204, api.control("DELETE", "/_sandbox/faults", null).status());
    }

    @Test
    void row36WrongClusterRedirectsPreferClientRoutingRequests() {
        PowerBiCalls.Response set = api.control("POST", "/_sandbox/settings", "{\"wrongCluster\": true}");
        assertEquals(200, set.status(), set.toString());
        assertTrue(set.json().get("wrongCluster").asBoolean());

        PowerBiCalls.Response redirect = api.get("/groups?preferClientRouting=true&$top=1");
        assertEquals(307, redirect.status(), redirect.toString());
        assertPowerBiHeaders(redirect);
        String location = redirect.header("Location");
        // the home cluster is another host name, as wabi-…-redirect.analysis.windows.net is for the service
        assertEquals(sandbox.clusterBaseUrl() + "/v1.0/myorg/groups?$top=1", location);
        assertNotEquals(
                URI.create(sandbox.apiBaseUrl()).getHost(), URI.create(location).getHost());
        PowerBiCalls.Response followed = api.send(api.request(location).GET().build());
        assertEquals(200, followed.status(), followed.toString());
        assertEquals("true", followed.header("request-redirected"));
        assertEquals(1, followed.json().get("value").size());
        // followed without the token, the cluster refuses it
        PowerBiCalls.Response tokenless =
                api.send(HttpRequest.newBuilder(URI.create(location)).GET().build());
        assertEquals(401, tokenless.status(), tokenless.toString());

        PowerBiCalls.Response post = api.post(
                SALES + "/datasets/" + Sandbox.DATASET_RETAIL + "/tables/Sales/rows?preferClientRouting=true",
                "{\"rows\":[]}");
        assertEquals(307, post.status());
        assertEquals(sandbox.clusterBaseUrl() + "/v1.0/myorg" + RETAIL_ROWS, post.header("Location"));

        sandbox.setSettings(sandbox.settings().with(ApiSettings::wrongCluster, false));
        PowerBiCalls.Response normal = api.get("/groups?preferClientRouting=true");
        assertEquals(200, normal.status());
        assertNull(normal.header("request-redirected"));
    }

    @Test
    void settingsAreMergedAndValidated() {
        PowerBiCalls.Response r = api.control(
                "POST",
                "/_sandbox/settings",
                "{\"refreshes\": {\"durationSeconds\": 0.1}, \"exports\": {\"retryAfterSeconds\": 3}}");
        assertEquals(200, r.status(), r.toString());
        assertEquals(0.1, sandbox.settings().refreshes().durationSeconds());
        assertEquals(1.0, sandbox.settings().refreshes().historyDelaySeconds(), "untouched keys keep their value");
        assertEquals(3, sandbox.settings().exports().retryAfterSeconds());
        assertEquals(
                400,
                api.control("POST", "/_sandbox/settings", "{\"refreshes\": {\"duration\": 1}}")
                        .status());
        assertEquals(
                400,
                api.control("POST", "/_sandbox/settings", "{\"refreshes\": {\"conflictStatus\": 418}}")
                        .status());
        assertEquals(400, api.control("POST", "/_sandbox/settings", "not json").status());
        assertEquals(
                3,
                api.control("GET", "/_sandbox/settings", null)
                        .json()
                        .at("/exports/retryAfterSeconds")
                        .asInt());
    }

    @Test
    void tenantSwitchAndMembershipAtRunTime() {
        String tenant = "/_sandbox/tenants/" + Sandbox.DEV_TENANT_ID;
        assertEquals(
                204,
                api.control("POST", tenant, "{\"servicePrincipalsCanUseApis\": false}")
                        .status());
        PowerBiCalls.Response off = api.get(SALES + "/datasets");
        assertEquals(401, off.status());
        assertEquals(
                "API is not accessible for application",
                off.json().get("Message").asText());
        assertEquals(
                204,
                api.control("POST", tenant, "{\"servicePrincipalsCanUseApis\": true}")
                        .status());

        String board = "/groups/" + Sandbox.WORKSPACE_EXECUTIVE_BOARD + "/datasets";
        assertError(api.get(board), 401, "PowerBINotAuthorizedException");
        String workspace = "/_sandbox/workspaces/" + Sandbox.WORKSPACE_EXECUTIVE_BOARD;
        assertEquals(
                204,
                api.control("POST", workspace, "{\"addMembers\": [\"" + Sandbox.DEV_CLIENT_ID + "\"]}")
                        .status());
        assertEquals(200, api.get(board).status());
        assertEquals(
                204,
                api.control("POST", workspace, "{\"removeMembers\": [\"" + Sandbox.DEV_CLIENT_ID + "\"]}")
                        .status());
        assertError(api.get(board), 401, "PowerBINotAuthorizedException");
        assertEquals(
                400,
                api.control("POST", "/_sandbox/workspaces/" + java.util.UUID.randomUUID(), "{}")
                        .status());
    }

    @Test
    void resetRestoresTheConfiguredContent() {
        PowerBiCalls.Response created = api.post(
                SALES + "/datasets",
                "{\"name\":\"Scratch\",\"tables\":[{\"name\":"
                        + "\"T\",\"columns\":[{\"name\":\"c\",\"dataType\":\"Int64\"}]}]}");
        assertEquals(201, created.status());
        assertEquals(200, api.delete(RETAIL_ROWS).status());
        sandbox.setLimits(sandbox.limits().with(LimitsConfig::timeScale, 60.0));
        sandbox.faults().add(FaultRule.status("/nothing$", 500));

        assertEquals(204, api.control("POST", "/_sandbox/reset", null).status());
        assertEquals(3, api.get(SALES + "/datasets").json().get("value").size());
        assertEquals(
                5,
                sandbox.dataset(Sandbox.DATASET_RETAIL)
                        .table("Sales")
                        .orElseThrow()
                        .rowCount());
        assertEquals(1.0, sandbox.limits().timeScale());
        assertTrue(sandbox.faults().rules().isEmpty());
    }

    @Test
    void controlEndpointsAnswerLoopbackCallersOnly() throws Exception {
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst();
        assumeTrue(external.isPresent(), "no non-loopback IPv4 address on this machine");
        try (Sandbox open = Sandbox.start(
                SandboxTestSupport.config().with(SandboxConfig::host, "0.0.0.0").with(SandboxConfig::https, false))) {
            String viaExternal = "http://" + external.get().getHostAddress() + ":" + open.port();
            var client = java.net.http.HttpClient.newHttpClient();
            var refused = client.send(
                    HttpRequest.newBuilder(URI.create(viaExternal + "/_sandbox/state"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(403, refused.statusCode(), refused.body());
            var local = client.send(
                    HttpRequest.newBuilder(URI.create(open.baseUrl() + "/_sandbox/state"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, local.statusCode());
        }
        try (Sandbox remote = Sandbox.start(SandboxTestSupport.config()
                .with(SandboxConfig::host, "0.0.0.0")
                .with(SandboxConfig::https, false)
                .with(SandboxConfig::remoteControl, true))) {
            String viaExternal = "http://" + external.get().getHostAddress() + ":" + remote.port();
            var allowed = java.net.http.HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(viaExternal + "/_sandbox/limits"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, allowed.statusCode());
        }
    }

    @Test
    void javaApiLooksUpContent() {
        assertEquals("Retail", sandbox.dataset(Sandbox.DATASET_RETAIL).name());
        assertEquals("Invoice", sandbox.report(Sandbox.REPORT_INVOICE).name());
        assertEquals("Finance", sandbox.workspace(Sandbox.WORKSPACE_FINANCE).name());
        assertThrows(IllegalArgumentException.class, () -> sandbox.dataset("nope"));
    }
}
