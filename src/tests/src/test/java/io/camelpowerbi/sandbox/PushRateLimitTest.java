package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.PowerBiCalls.SALES;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertThrottled;
import static io.camelpowerbi.sandbox.PowerBiCalls.rows;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The three push limits per dataset (https://learn.microsoft.com/en-us/power-bi/developer/embedded/push-datasets-limitations): 120 POST rows per minute (120 per hour once
 * the table holds 250,000 rows), 1,000,000 rows per hour, 5 pending requests; answered 429 with Retry-After in real
 * seconds, with windows shortened by {@code limits.timeScale}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushRateLimitTest {

    Sandbox sandbox;
    PowerBiCalls api;
    String dataset;
    String rowsPath;

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
    void freshDataset() {
        sandbox.reset();
        PowerBiCalls.Response r = api.post(
                SALES + "/datasets?defaultRetentionPolicy=None",
                "{\"name\":\"Limits\","
                        + "\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"n\",\"dataType\":\"Int64\"}]}]}");
        assertEquals(201, r.status(), r.toString());
        dataset = r.json().get("id").asText();
        rowsPath = SALES + "/datasets/" + dataset + "/tables/T/rows";
    }

    @AfterEach
    void release() {
        sandbox.resumePostRows();
    }

    PowerBiCalls.Response post(int rows) {
        return api.post(rowsPath, PowerBiCalls.rows(0, rows, i -> "{\"n\":" + i + "}"));
    }

    @Test
    void the121stPostWithinAScaledMinuteIs429UntilTheWindowFrees() {
        // timeScale 6: a sandbox minute lasts 10 real seconds
        sandbox.setLimits(sandbox.limits().with(LimitsConfig::timeScale, 6.0));
        for (int i = 1; i <= 120; i++) {
            PowerBiCalls.Response r = post(1);
            assertEquals(200, r.status(), "POST " + i + ": " + r);
        }
        long retryAfter = assertThrottled(post(1));
        assertTrue(retryAfter <= 10, "Retry-After in real seconds, within the scaled minute: " + retryAfter);
        assertEquals(1, sandbox.dataset(dataset).throttledCount());
        assertEquals(120, sandbox.dataset(dataset).table("T").orElseThrow().rowCount());

        // faster still: a minute in a second; the window frees within about a second
        sandbox.setLimits(sandbox.limits().with(LimitsConfig::timeScale, 60.0));
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> post(1).status() == 200);
    }

    @Test
    void withoutScalingTheWindowIsARealMinute() {
        sandbox.setLimits(sandbox.limits().merge(Map.of("postRowsPerMinute", 2)));
        assertEquals(200, post(1).status());
        assertEquals(200, post(1).status());
        long retryAfter = assertThrottled(post(1));
        assertTrue(retryAfter > 50 && retryAfter <= 60, "Retry-After " + retryAfter);
    }

    @Test
    void retryAfterIsGivenInRealSecondsUnderTimeScaling() {
        // timeScale 60: a minute lasts 1 s, so Retry-After is 1 (rounded up, at least 1)
        sandbox.setLimits(sandbox.limits().merge(Map.of("timeScale", 60, "postRowsPerMinute", 3)));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post(1).status());
        }
        assertEquals(1, assertThrottled(post(1)));
        // timeScale 0.5: a minute lasts 2 real minutes
        sandbox.setLimits(sandbox.limits().merge(Map.of("timeScale", 0.5)));
        long retryAfter = assertThrottled(post(1));
        assertTrue(retryAfter > 100 && retryAfter <= 120, "Retry-After " + retryAfter);
    }

    @Test
    void onceTheTableIsLargeOnly120PostsPerHour() {
        // thresholds scaled down: "large" from 5 rows, 3 POSTs per hour then
        sandbox.setLimits(sandbox.limits().merge(Map.of("largeTableRows", 5, "postRowsPerHourLargeTable", 3)));
        assertEquals(200, post(5).status());
        assertEquals(200, post(1).status());
        assertEquals(200, post(1).status());
        long retryAfter = assertThrottled(post(1));
        assertTrue(retryAfter > 3000 && retryAfter <= 3600, "about an hour: " + retryAfter);
        // the per-minute limit alone would have allowed it
        assertEquals(7, sandbox.dataset(dataset).table("T").orElseThrow().rowCount());
    }

    @Test
    void moreThanTheRowsPerHourIs429() {
        sandbox.setLimits(sandbox.limits().merge(Map.of("rowsPerHour", 25_000)));
        assertEquals(200, post(10_000).status());
        assertEquals(200, post(10_000).status());
        long retryAfter = assertThrottled(post(10_000));
        assertTrue(retryAfter > 3000 && retryAfter <= 3600, "about an hour: " + retryAfter);
        assertEquals(200, post(5_000).status(), "what still fits into the hour is accepted");
        assertEquals(25_000, sandbox.dataset(dataset).table("T").orElseThrow().rowCount());
    }

    @Test
    void sixPendingRequestsGetOne429() {
        sandbox.pausePostRows();
        List<CompletableFuture<PowerBiCalls.Response>> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(api.postAsync(rowsPath, rows(i, 1, n -> "{\"n\":" + n + "}")));
        }
        Dataset d = sandbox.dataset(dataset);
        await().atMost(Duration.ofSeconds(10)).until(() -> d.pendingPostRows() == 5);

        assertEquals(1, assertThrottled(post(1)));
        assertEquals(1, d.throttledCount());

        sandbox.resumePostRows();
        for (CompletableFuture<PowerBiCalls.Response> f : held) {
            assertEquals(200, f.join().status());
        }
        assertEquals(5, d.table("T").orElseThrow().rowCount());
        assertEquals(0, d.pendingPostRows());
        assertEquals(200, post(1).status());
    }

    @Test
    void simulatedLatencyKeepsRequestsPending() {
        sandbox.setLimits(sandbox.limits().merge(Map.of("postRowsLatencyMs", 300, "pendingRequests", 1)));
        CompletableFuture<PowerBiCalls.Response> slow = api.postAsync(rowsPath, "{\"rows\":[{\"n\":1}]}");
        Dataset d = sandbox.dataset(dataset);
        await().atMost(Duration.ofSeconds(5)).until(() -> d.pendingPostRows() == 1);
        assertThrottled(post(1));
        assertEquals(200, slow.join().status());
    }

    @Test
    void disabledLimitsNeverThrottle() {
        sandbox.setLimits(sandbox.limits().merge(Map.of("enabled", false, "postRowsPerMinute", 2)));
        for (int i = 0; i < 5; i++) {
            assertEquals(200, post(1).status());
        }
        assertEquals(0, sandbox.dataset(dataset).throttledCount());
    }

    @Test
    void limitsAreSetAtRunTimeThroughTheControlEndpoint() {
        PowerBiCalls.Response r =
                api.control("POST", "/_sandbox/limits", "{\"timeScale\": 60, \"postRowsPerMinute\": 2}");
        assertEquals(200, r.status(), r.toString());
        JsonNode limits = r.json();
        assertEquals(60.0, limits.get("timeScale").asDouble());
        assertEquals(2, limits.get("postRowsPerMinute").asInt());
        assertEquals(10_000, limits.get("rowsPerPost").asInt(), "other limits unchanged");
        assertEquals(2, sandbox.limits().postRowsPerMinute());
        assertEquals(200, post(1).status());
        assertEquals(200, post(1).status());
        assertEquals(1, assertThrottled(post(1)));

        assertEquals(
                400,
                api.control("POST", "/_sandbox/limits", "{\"postRowsPerMinutes\": 2}")
                        .status());
        assertEquals(
                400,
                api.control("POST", "/_sandbox/limits", "{\"timeScale\": 0}").status());
        assertEquals(
                2,
                api.control("GET", "/_sandbox/limits", null)
                        .json()
                        .get("postRowsPerMinute")
                        .asInt());
        // the state shows what happened
        JsonNode state = api.control("GET", "/_sandbox/state", null).json();
        JsonNode ds = null;
        for (JsonNode d : state.at("/tenants/0/workspaces/0/datasets")) {
            if (d.get("id").asText().equals(dataset)) {
                ds = d;
            }
        }
        assertEquals(2, ds.get("postRowsRequests").asInt(), state.toString());
        assertEquals(1, ds.get("throttled").asInt());
        assertEquals(2, ds.at("/tables/0/rowCount").asInt());
    }
}
