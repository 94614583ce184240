package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.PowerBiCalls.SALES;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertError;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertThrottled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelpowerbi.TestClocks;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code GET admin/activityevents} (https://learn.microsoft.com/en-us/power-bi/enterprise/service-admin-auditing): one-UTC-day windows in single quotes,
 * paging by continuation token through pages that may be empty, the seeded history delivered exactly once, events of
 * served calls after the log's delay, the 200-per-hour limit and the read-only admin API switch. The log has a day
 * profile and one-day windows, so the class runs with the sandbox's clock started at each of
 * {@link TestClocks#dayEdges()}.
 */
@ParameterizedClass(name = "sandbox clock from {0}")
@MethodSource("io.camelpowerbi.TestClocks#dayEdges")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminActivityEventsTest {

    static final String EVENTS = "/admin/activityevents";

    @Parameter
    Instant clockStart;

    Sandbox sandbox;
    PowerBiCalls api;

    @BeforeParameterizedClassInvocation
    void start(Instant start) throws Exception {
        sandbox = Sandbox.start(SandboxTestSupport.config(), SandboxClock.startingAt(start));
        api = new PowerBiCalls(sandbox);
    }

    @AfterParameterizedClassInvocation
    void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    static String window(Instant start, Instant end) {
        return EVENTS + "?startDateTime='" + start + "'&endDateTime='" + end + "'";
    }

    static Instant dayStart(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static Instant dayEnd(LocalDate day) {
        return dayStart(day.plusDays(1)).minusMillis(1);
    }

    /** Every page of a query, following the token (alternately decoded in quotes, and as returned, URL-encoded). */
    List<JsonNode> allPages(String firstPath) {
        List<JsonNode> pages = new ArrayList<>();
        PowerBiCalls.Response r = api.get(firstPath);
        for (int i = 0; ; i++) {
            assertEquals(200, r.status(), r.toString());
            JsonNode page = r.json();
            pages.add(page);
            if (page.path("lastResultSet").asBoolean()) {
                assertTrue(page.get("continuationToken").isNull(), page.toString());
                assertTrue(page.get("continuationUri").isNull(), page.toString());
                return pages;
            }
            String token = page.path("continuationToken").asText();
            assertFalse(token.isEmpty(), "a page that is not the last carries a token");
            String uri = page.path("continuationUri").asText();
            assertTrue(uri.contains("continuationToken='" + token + "'"), uri);
            String decoded = URLDecoder.decode(token, StandardCharsets.UTF_8);
            String next = i % 2 == 0
                    ? EVENTS + "?continuationToken="
                            + java.net.URLEncoder.encode("'" + decoded + "'", StandardCharsets.UTF_8)
                    : EVENTS + "?continuationToken='" + token + "'";
            r = api.get(next);
            assertTrue(pages.size() < 1000, "too many pages");
        }
    }

    @Test
    void aDayIsDeliveredExactlyOnceThroughPagesIncludingEmptyOnes() {
        LocalDate yesterday = LocalDate.now(sandbox.clock()).minusDays(1);
        Instant start = dayStart(yesterday);
        Instant end = dayEnd(yesterday);
        List<ActivityLog.Event> expected = sandbox.activityLog().events(start, end);
        assertTrue(expected.size() >= 500, "a seeded day has hundreds to thousands of events: " + expected.size());

        List<JsonNode> pages = allPages(window(start, end));
        Set<String> ids = new HashSet<>();
        int delivered = 0;
        boolean emptyWithToken = false;
        for (JsonNode page : pages) {
            JsonNode entities = page.get("activityEventEntities");
            assertTrue(entities.isArray());
            if (entities.isEmpty() && !page.path("lastResultSet").asBoolean()) {
                emptyWithToken = true;
            }
            for (JsonNode e : entities) {
                delivered++;
                ids.add(e.path("Id").asText());
                assertEquals("PowerBI", e.path("Workload").asText());
                assertEquals(e.path("Activity").asText(), e.path("Operation").asText());
                Instant time =
                        ActivityLog.parseCreationTime(e.path("CreationTime").asText());
                assertFalse(time.isBefore(start.minusSeconds(1)) || time.isAfter(end), e.toString());
                assertNotNull(e.get("UserId"));
                assertNotNull(e.get("ClientIP"));
            }
        }
        assertTrue(emptyWithToken, "the small hours give empty pages that still carry a token");
        assertTrue(pages.size() >= 24, "an hour per page at most: " + pages.size());
        assertEquals(expected.size(), delivered, "each event once");
        assertEquals(expected.size(), ids.size(), "no duplicates");
        assertEquals(expected.stream().map(ActivityLog.Event::id).collect(java.util.stream.Collectors.toSet()), ids);
    }

    @Test
    void theSeededHistoryCoversTheLastWeekWithThousandsOfEventsAndIsTheSameAfterARestart() throws Exception {
        Instant now = sandbox.clock().now();
        List<ActivityLog.Event> week = sandbox.activityLog().events(now.minus(Duration.ofDays(7)), now);
        assertTrue(week.size() > 5_000, "thousands of events: " + week.size());
        LocalDate yesterday = LocalDate.now(sandbox.clock()).minusDays(1);
        List<String> ids = sandbox.activityLog().events(dayStart(yesterday), dayEnd(yesterday)).stream()
                .map(ActivityLog.Event::id)
                .toList();
        try (Sandbox again = Sandbox.start(SandboxTestSupport.config(), SandboxClock.startingAt(clockStart))) {
            assertEquals(
                    ids,
                    again.activityLog().events(dayStart(yesterday), dayEnd(yesterday)).stream()
                            .map(ActivityLog.Event::id)
                            .toList());
        }
    }

    @Test
    void windowsAcrossUtcDaysOrWithoutQuotesAre400() {
        LocalDate today = LocalDate.now(sandbox.clock());
        Instant start = dayStart(today.minusDays(1)).plus(Duration.ofHours(23));
        assertError(api.get(window(start, start.plus(Duration.ofHours(2)))), 400, "InvalidRequest");
        assertError(
                api.get(EVENTS + "?startDateTime=" + dayStart(today) + "&endDateTime='"
                        + dayStart(today).plusSeconds(60) + "'"),
                400,
                "InvalidRequest");
        assertError(api.get(EVENTS + "?startDateTime='" + dayStart(today) + "'"), 400, "InvalidRequest");
        assertError(api.get(EVENTS + "?continuationToken='bm90LWEtdG9rZW4='"), 400, "InvalidRequest");
        assertError(
                api.get(window(dayStart(today), dayStart(today).plusSeconds(5)) + "&$filter=Activity%20ne%20'x'"),
                400,
                "InvalidRequest");
        // the documented forms: no zone designator, and a window within one hour
        assertEquals(
                200,
                api.get(EVENTS + "?startDateTime='" + today + "T00:00:00'&endDateTime='" + today + "T00:59:59'")
                        .status());
    }

    @Test
    void filterOnActivityAndUserId() {
        LocalDate day = LocalDate.now(sandbox.clock()).minusDays(2);
        ActivityLog.Event sample =
                sandbox.activityLog().events(dayStart(day), dayEnd(day)).get(0);
        String filter = "Activity eq '" + sample.activity().toLowerCase() + "' and UserId eq '" + sample.userId() + "'";
        long expected = sandbox.activityLog().events(dayStart(day), dayEnd(day)).stream()
                .filter(e ->
                        e.activity().equals(sample.activity()) && e.userId().equals(sample.userId()))
                .count();
        int delivered = 0;
        for (JsonNode page : allPages(window(dayStart(day), dayEnd(day)) + "&$filter="
                + java.net.URLEncoder.encode(filter, StandardCharsets.UTF_8))) {
            for (JsonNode e : page.get("activityEventEntities")) {
                assertEquals(sample.activity(), e.path("Activity").asText());
                assertEquals(sample.userId(), e.path("UserId").asText());
                delivered++;
            }
        }
        assertTrue(expected >= 1);
        assertEquals(expected, delivered);
    }

    @Test
    void servedCallsAppearAfterTheDelay() {
        PowerBiCalls.Response rows = api.post(
                SALES + "/datasets/" + Sandbox.DATASET_RETAIL + "/tables/Sales/rows",
                "{\"rows\":[{\"OrderId\":9001,\"Region\":\"North\"}]}");
        assertEquals(200, rows.status(), rows.toString());
        assertEquals(
                202,
                api.post(SALES + "/datasets/" + Sandbox.DATASET_FINANCE_MODEL + "/refreshes", null)
                        .status());
        assertEquals(
                202,
                api.post(SALES + "/reports/" + Sandbox.REPORT_SALES + "/ExportTo", "{\"format\":\"PDF\"}")
                        .status());
        Instant now = sandbox.clock().now();
        Instant start = now.minus(Duration.ofMinutes(1));
        String filter = "&$filter="
                + java.net.URLEncoder.encode("UserId eq '" + Sandbox.DEV_CLIENT_ID + "'", StandardCharsets.UTF_8);
        assertEquals(List.of(), activities(start, now, filter), "not yet: the log lags");

        sandbox.clock().advance(Duration.ofSeconds(31));
        List<String> activities = activities(start, sandbox.clock().now(), filter);
        assertEquals(List.of("AddRowsToDataset", "RefreshDataset", "ExportReport"), activities);
        ActivityLog.Event rowsEvent = sandbox.activityLog().recorded().get(0);
        assertEquals("Retail", rowsEvent.json().path("DatasetName").asText());
        assertEquals("Sales Analytics", rowsEvent.json().path("WorkSpaceName").asText());
        assertEquals(
                Sandbox.WORKSPACE_SALES_ANALYTICS,
                rowsEvent.json().path("WorkspaceId").asText());
    }

    @Test
    void eventsAddedThroughTheControlEndpointAreListed() {
        Instant when = sandbox.clock().now().minus(Duration.ofMinutes(5));
        PowerBiCalls.Response added = api.control(
                "POST",
                "/_sandbox/activity",
                "[{\"Activity\":\"ViewReport\"," + "\"UserId\":\"tester@sandbox.onmicrosoft.com\",\"CreationTime\":\""
                        + when + "\"}]");
        assertEquals(201, added.status(), added.toString());
        String id = added.json().path("events").get(0).path("Id").asText();
        Instant start = when.minusSeconds(1);
        Instant end = when.plusSeconds(1).isAfter(dayEnd(LocalDate.ofInstant(start, ZoneOffset.UTC)))
                ? dayEnd(LocalDate.ofInstant(start, ZoneOffset.UTC))
                : when.plusSeconds(1);
        List<String> ids = new ArrayList<>();
        allPages(window(start, end))
                .forEach(p -> p.get("activityEventEntities")
                        .forEach(e -> ids.add(e.path("Id").asText())));
        assertTrue(ids.contains(id), ids.toString());
    }

    /** The activities of [start, end], one query per UTC day (a window must not cross midnight). */
    List<String> activities(Instant start, Instant end, String filter) {
        List<String> result = new ArrayList<>();
        for (Instant from = start;
                !from.isAfter(end);
                from = dayStart(LocalDate.ofInstant(from, ZoneOffset.UTC).plusDays(1))) {
            Instant to = dayEnd(LocalDate.ofInstant(from, ZoneOffset.UTC));
            for (JsonNode page : allPages(window(from, to.isBefore(end) ? to : end) + filter)) {
                page.get("activityEventEntities")
                        .forEach(e -> result.add(e.path("Activity").asText()));
            }
        }
        return result;
    }

    @Test
    void the201stCallInAScaledHourIs429WithRetryAfter() {
        // timeScale 60: the hour lasts a real minute
        sandbox.setLimits(sandbox.limits().with(LimitsConfig::timeScale, 60.0));
        Instant start = dayStart(LocalDate.now(sandbox.clock()));
        String path = window(start, start.plusSeconds(1));
        for (int i = 1; i <= 200; i++) {
            PowerBiCalls.Response r = api.get(path);
            assertEquals(200, r.status(), "call " + i + ": " + r);
        }
        long retryAfter = assertThrottled(api.get(path));
        assertTrue(retryAfter <= 60, "real seconds within the scaled hour: " + retryAfter);
        assertEquals(1, sandbox.throttledAdminCallCount());
        assertEquals(201L, sandbox.adminCallCounts().get("activityevents"));
        assertEquals(
                201,
                sandbox.stateJson().path("adminCalls").path("activityevents").asInt());
    }

    @Test
    void theReadOnlyAdminApiSwitchOffIs401() {
        Tenant dev = sandbox.state().requireTenant(Sandbox.DEV_TENANT_ID);
        try {
            assertEquals(
                    204,
                    api.control(
                                    "POST",
                                    "/_sandbox/tenants/" + Sandbox.DEV_TENANT_ID,
                                    "{\"servicePrincipalsCanUseReadOnlyAdminApis\": false}")
                            .status());
            assertFalse(dev.servicePrincipalsCanUseReadOnlyAdminApis());
            Instant start = dayStart(LocalDate.now(sandbox.clock()));
            PowerBiCalls.Response r = api.get(window(start, start.plusSeconds(1)));
            assertError(r, 401, "PowerBINotAuthorizedException");
            assertEquals("ServicePrincipalIsNotAllowedByTenantAdminSwitch", r.header("x-powerbi-error-info"));
            assertEquals(401, api.get("/admin/groups?$top=10").status());
            // the non-admin API is unaffected
            assertEquals(200, api.get("/groups").status());
        } finally {
            dev.setServicePrincipalsCanUseReadOnlyAdminApis(true);
        }
    }
}
