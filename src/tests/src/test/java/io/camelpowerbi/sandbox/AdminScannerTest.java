package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.PowerBiCalls.SALES;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertError;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertThrottled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The scanner API and admin/groups (https://learn.microsoft.com/en-us/power-bi/enterprise/service-admin-metadata-scanning, https://learn.microsoft.com/en-us/rest/api/power-bi/groups/get-groups) against a sandbox with 260 extra
 * workspaces: modified list, getInfo limits (1-100 ids, 16 in flight), status transitions on the sandbox clock, result
 * shape per option, result before success and after expiry, and admin/groups {@code $top} validation and paging.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminScannerTest {

    static final int EXTRA = 260;

    Sandbox sandbox;
    PowerBiCalls api;

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(SandboxTestSupport.config().with(SandboxConfig::extraWorkspaces, EXTRA));
        api = new PowerBiCalls(sandbox);
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
        sandbox.setSettings(sandbox.settings().with(ApiSettings::scans, new ApiSettings.Scans(30, 24)));
    }

    String since(Duration ago) {
        return "/admin/workspaces/modified?modifiedSince="
                + sandbox.clock().now().minus(ago);
    }

    List<String> modifiedIds(String path) {
        PowerBiCalls.Response r = api.get(path);
        assertEquals(200, r.status(), r.toString());
        List<String> ids = new ArrayList<>();
        r.json().forEach(w -> ids.add(w.path("id").asText()));
        return ids;
    }

    static String body(List<String> ids) {
        StringBuilder sb = new StringBuilder("{\"workspaces\":[");
        for (int i = 0; i < ids.size(); i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(ids.get(i)).append('"');
        }
        return sb.append("]}").toString();
    }

    @Test
    void modifiedListsEveryWorkspaceAndReflectsChanges() {
        List<String> all = modifiedIds(since(Duration.ofDays(29)));
        assertEquals(3 + EXTRA, all.size());
        List<String> noPersonal = modifiedIds(
                since(Duration.ofDays(29)) + "&excludePersonalWorkspaces=true" + "&excludeInActiveWorkspaces=true");
        assertTrue(noPersonal.size() < all.size() && noPersonal.size() > 200, "" + noPersonal.size());
        List<String> lastDay = modifiedIds(since(Duration.ofDays(1)));
        assertTrue(lastDay.size() < all.size(), "modification times are spread over days");

        assertError(api.get(since(Duration.ofMinutes(10))), 400, "InvalidRequest");
        assertError(api.get(since(Duration.ofDays(31))), 400, "InvalidRequest");

        // everything older than an hour; a served change makes Sales Analytics modified again
        Instant old = sandbox.clock().now().minus(Duration.ofHours(2));
        sandbox.state().requireTenant(Sandbox.DEV_TENANT_ID).workspaces().forEach(w -> w.touch(old));
        assertEquals(List.of(), modifiedIds(since(Duration.ofHours(1))));
        assertEquals(
                200,
                api.post(
                                SALES + "/datasets/" + Sandbox.DATASET_RETAIL + "/tables/Sales/rows",
                                "{\"rows\":[{\"OrderId\":1}]}")
                        .status());
        assertEquals(List.of(Sandbox.WORKSPACE_SALES_ANALYTICS), modifiedIds(since(Duration.ofHours(1))));
    }

    @Test
    void getInfoTakesOneToOneHundredIds() {
        List<String> all = modifiedIds(since(Duration.ofDays(29)));
        assertError(api.post("/admin/workspaces/getInfo", body(all.subList(0, 101))), 400, "InvalidRequest");
        assertError(api.post("/admin/workspaces/getInfo", body(List.of())), 400, "InvalidRequest");
        PowerBiCalls.Response r = api.post("/admin/workspaces/getInfo", body(all.subList(0, 100)));
        assertEquals(202, r.status(), r.toString());
        JsonNode scan = r.json();
        assertEquals("NotStarted", scan.path("status").asText());
        assertTrue(scan.path("createdDateTime").asText().endsWith("Z"));
        assertEquals(
                sandbox.apiBaseUrl() + "/v1.0/myorg/admin/workspaces/scanStatus/"
                        + scan.path("id").asText(),
                r.header("Location"));
    }

    @Test
    void statusGoesNotStartedRunningSucceededAndTheResultHasTheRequestedParts() {
        PowerBiCalls.Response r = api.post(
                "/admin/workspaces/getInfo?lineage=true&datasourceDetails=true"
                        + "&datasetSchema=true&datasetExpressions=true&getArtifactUsers=true",
                body(List.of(Sandbox.WORKSPACE_SALES_ANALYTICS, Sandbox.WORKSPACE_FINANCE)));
        assertEquals(202, r.status(), r.toString());
        String id = r.json().path("id").asText();
        String status = "/admin/workspaces/scanStatus/" + id;
        String result = "/admin/workspaces/scanResult/" + id;
        assertEquals("NotStarted", api.get(status).json().path("status").asText());
        assertError(api.get(result), 400, "InvalidRequest");
        sandbox.clock().advance(Duration.ofSeconds(15));
        assertEquals("Running", api.get(status).json().path("status").asText());
        assertError(api.get(result), 400, "InvalidRequest");
        sandbox.clock().advance(Duration.ofSeconds(16));
        assertEquals("Succeeded", api.get(status).json().path("status").asText());

        JsonNode body = api.get(result).json();
        assertEquals(2, body.path("workspaces").size(), body.toString());
        JsonNode sales = body.path("workspaces").get(0);
        assertEquals("Sales Analytics", sales.path("name").asText());
        assertEquals("Workspace", sales.path("type").asText());
        assertEquals("Active", sales.path("state").asText());
        assertTrue(sales.path("isOnDedicatedCapacity").asBoolean());
        assertEquals(2, sales.path("reports").size());
        JsonNode model = null;
        for (JsonNode d : sales.path("datasets")) {
            if (d.path("id").asText().equals(Sandbox.DATASET_FINANCE_MODEL)) {
                model = d;
            }
        }
        assertTrue(model != null, sales.toString());
        assertEquals("Budget", model.path("tables").get(0).path("name").asText());
        assertEquals(3, model.path("tables").get(0).path("columns").size());
        assertTrue(model.path("tables")
                .get(0)
                .path("source")
                .get(0)
                .path("expression")
                .asText()
                .contains("Sql"));
        assertTrue(model.path("expressions").isArray());
        assertTrue(
                sales.path("users").toString().contains(Sandbox.DEV_CLIENT_ID),
                sales.path("users").toString());
        assertFalse(body.path("datasourceInstances").isEmpty());

        // without options: no schema, no users
        PowerBiCalls.Response plain = api.post("/admin/workspaces/getInfo", body(List.of(Sandbox.WORKSPACE_FINANCE)));
        sandbox.clock().advance(Duration.ofSeconds(31));
        JsonNode finance = api.get("/admin/workspaces/scanResult/"
                        + plain.json().path("id").asText())
                .json()
                .path("workspaces")
                .get(0);
        assertFalse(finance.path("datasets").get(0).has("tables"), finance.toString());
        assertFalse(finance.has("users"));
    }

    @Test
    void the17thScanInFlightIs429() {
        String ids = body(List.of(Sandbox.WORKSPACE_FINANCE));
        for (int i = 1; i <= 16; i++) {
            PowerBiCalls.Response r = api.post("/admin/workspaces/getInfo", ids);
            assertEquals(
                    202,
                    r.status(),
                    "scan " + i + ": " + r + " " + sandbox.stateJson().path("scans"));
        }
        long retryAfter = assertThrottled(api.post("/admin/workspaces/getInfo", ids));
        assertTrue(retryAfter <= 30, "" + retryAfter);
        sandbox.clock().advance(Duration.ofSeconds(31));
        assertEquals(202, api.post("/admin/workspaces/getInfo", ids).status());
        assertEquals(17, sandbox.stateJson().path("scans").path("total").asInt());
    }

    @Test
    void allWorkspacesCanBeScannedInBatchesOfAHundred() {
        sandbox.setSettings(sandbox.settings().with(ApiSettings::scans, new ApiSettings.Scans(0, 24)));
        List<String> all = modifiedIds(since(Duration.ofDays(29)));
        Set<String> scanned = new HashSet<>();
        for (int from = 0; from < all.size(); from += 100) {
            PowerBiCalls.Response r = api.post(
                    "/admin/workspaces/getInfo?datasetSchema=true",
                    body(all.subList(from, Math.min(all.size(), from + 100))));
            assertEquals(202, r.status(), r.toString());
            String id = r.json().path("id").asText();
            assertEquals(
                    "Succeeded",
                    api.get("/admin/workspaces/scanStatus/" + id)
                            .json()
                            .path("status")
                            .asText());
            api.get("/admin/workspaces/scanResult/" + id)
                    .json()
                    .path("workspaces")
                    .forEach(w -> scanned.add(w.path("id").asText()));
        }
        assertEquals(new HashSet<>(all), scanned);
        assertTrue(scanned.size() >= 250);
    }

    @Test
    void theResultExpiresAfter24Hours() {
        sandbox.setSettings(sandbox.settings().with(ApiSettings::scans, new ApiSettings.Scans(0, 24)));
        String id = api.post("/admin/workspaces/getInfo", body(List.of(Sandbox.WORKSPACE_FINANCE)))
                .json()
                .path("id")
                .asText();
        assertEquals(200, api.get("/admin/workspaces/scanResult/" + id).status());
        sandbox.clock().advance(Duration.ofHours(25));
        PowerBiCalls fresh = new PowerBiCalls(sandbox);
        assertError(fresh.get("/admin/workspaces/scanResult/" + id), 404, "PowerBIEntityNotFound");
        assertError(
                fresh.get("/admin/workspaces/scanStatus/" + java.util.UUID.randomUUID()), 404, "PowerBIEntityNotFound");
    }

    @Test
    void adminGroupsNeedsTopAndPages() {
        assertError(api.get("/admin/groups"), 400, "InvalidRequest");
        assertError(api.get("/admin/groups?$top=5001"), 400, "InvalidRequest");
        assertError(api.get("/admin/groups?$top=0"), 400, "InvalidRequest");
        assertError(api.get("/admin/groups?$top=10&$expand=bogus"), 400, "InvalidRequest");
        JsonNode first = api.get("/admin/groups?$top=100").json();
        JsonNode second = api.get("/admin/groups?$top=100&$skip=100").json();
        JsonNode last = api.get("/admin/groups?$top=5000&$skip=200").json();
        assertEquals(100, first.path("value").size());
        assertEquals(100, second.path("value").size());
        assertEquals(3 + EXTRA - 200, last.path("value").size());
        Set<String> ids = new HashSet<>();
        for (JsonNode page : List.of(first, second, last)) {
            page.path("value").forEach(g -> ids.add(g.path("id").asText()));
        }
        assertEquals(3 + EXTRA, ids.size(), "pages do not overlap");
        // the admin listing shows workspaces the app is not a member of, with $expand
        JsonNode board = api.get("/admin/groups?$top=1&$filter=name%20eq%20'Executive%20Board'&$expand=users,"
                        + "datasets,reports")
                .json()
                .path("value")
                .get(0);
        assertEquals(Sandbox.WORKSPACE_EXECUTIVE_BOARD, board.path("id").asText());
        assertTrue(board.path("users").isArray() && board.path("datasets").isArray(), board.toString());
        JsonNode sales = api.get("/admin/groups?$top=1&$expand=datasets,reports")
                .json()
                .path("value")
                .get(0);
        assertEquals(3, sales.path("datasets").size(), "Sales, Retail and the Direct Lake model");
        assertEquals(2, sales.path("reports").size());
    }

    @Test
    void adminGroupsAllows15PerMinute() {
        for (int i = 1; i <= 15; i++) {
            assertEquals(200, api.get("/admin/groups?$top=1").status(), "call " + i);
        }
        long retryAfter = assertThrottled(api.get("/admin/groups?$top=1"));
        assertTrue(retryAfter <= 60, "" + retryAfter);
        assertTrue(sandbox.adminCallCounts().get("groups") >= 16);
        assertEquals(Map.of(), Map.of());
    }
}
