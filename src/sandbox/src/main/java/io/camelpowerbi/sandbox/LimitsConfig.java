package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The documented Power BI limits the sandbox enforces (https://learn.microsoft.com/en-us/power-bi/developer/embedded/push-datasets-limitations, https://learn.microsoft.com/en-us/rest/api/power-bi/datasets/execute-queries-in-group, https://learn.microsoft.com/en-us/power-bi/developer/embedded/export-to), key {@code limits} of
 * the configuration and {@code POST /_sandbox/limits} at run time; in code
 * {@code limits.with(LimitsConfig::timeScale, 60.0)}.
 *
 * <p>{@code enabled} switches the rate limits (429 answers: push rows, executeQueries, concurrent exports, the admin
 * APIs and concurrent scans) on or off;
 * size rules (rows per request, string length, FIFO retention) always apply. {@code timeScale} speeds the rate windows
 * up: 60 means one sandbox minute passes in one real second, so the per-minute window lasts 1 s and the per-hour one
 * 60 s, and {@code Retry-After} is given in real seconds (rounded up, at least 1). Refresh, export and import durations
 * are not scaled: they have their own settings and follow the sandbox clock.
 *
 * @param enabled                   rate limits on (default true)
 * @param timeScale                 sandbox time per real time for the rate windows (default 1)
 * @param rowsPerPost               rows per POST rows request (10,000)
 * @param maxStringLength           characters per String value (4,000)
 * @param postRowsPerMinute         POST rows requests per minute per dataset (120)
 * @param postRowsPerHourLargeTable POST rows per hour per dataset once the table holds {@code largeTableRows} (120)
 * @param largeTableRows            the "large table" threshold (250,000)
 * @param rowsPerHour               rows added per hour per dataset (1,000,000)
 * @param pendingRequests           POST rows requests in flight per dataset (5)
 * @param fifoRows                  rows kept per table with retention basicFIFO (200,000)
 * @param maxRowsNone               rows per table with retention None (5,000,000; more is refused)
 * @param postRowsLatencyMs         simulated processing time of a POST rows request, during which it is pending (0)
 * @param executeQueriesPerMinute   executeQueries requests per minute per caller (120)
 * @param executeQueriesMaxRows     rows per query result before truncation (100,000)
 * @param executeQueriesMaxValues   values (rows x columns) per query result before truncation (1,000,000)
 * @param exportsPerCapacity        concurrent export jobs per capacity (500)
 * @param activityEventsPerHour     GET admin/activityevents per hour per caller (200)
 * @param adminGroupsPerHour        GET admin/groups per hour per tenant (50)
 * @param adminGroupsPerMinute      GET admin/groups per minute per tenant (15)
 * @param modifiedWorkspacesPerHour GET admin/workspaces/modified per hour per tenant (30)
 * @param scanRequestsPerHour       POST admin/workspaces/getInfo per hour per tenant (500)
 * @param scansInFlight             scans per tenant not yet Succeeded (16)
 * @param scanStatusPerHour         GET admin/workspaces/scanStatus per hour per tenant (10,000)
 * @param scanResultPerHour         GET admin/workspaces/scanResult per hour per tenant (500)
 */
public record LimitsConfig(
        boolean enabled,
        double timeScale,
        int rowsPerPost,
        int maxStringLength,
        int postRowsPerMinute,
        int postRowsPerHourLargeTable,
        long largeTableRows,
        long rowsPerHour,
        int pendingRequests,
        long fifoRows,
        long maxRowsNone,
        long postRowsLatencyMs,
        int executeQueriesPerMinute,
        int executeQueriesMaxRows,
        long executeQueriesMaxValues,
        int exportsPerCapacity,
        int activityEventsPerHour,
        int adminGroupsPerHour,
        int adminGroupsPerMinute,
        int modifiedWorkspacesPerHour,
        int scanRequestsPerHour,
        int scansInFlight,
        int scanStatusPerHour,
        int scanResultPerHour)
        implements Copyable<LimitsConfig> {

    public LimitsConfig {
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("limits.timeScale must be a positive number: " + timeScale);
        }
        positive("rowsPerPost", rowsPerPost);
        positive("maxStringLength", maxStringLength);
        positive("postRowsPerMinute", postRowsPerMinute);
        positive("postRowsPerHourLargeTable", postRowsPerHourLargeTable);
        positive("largeTableRows", largeTableRows);
        positive("rowsPerHour", rowsPerHour);
        positive("pendingRequests", pendingRequests);
        positive("fifoRows", fifoRows);
        positive("maxRowsNone", maxRowsNone);
        positive("executeQueriesPerMinute", executeQueriesPerMinute);
        positive("executeQueriesMaxRows", executeQueriesMaxRows);
        positive("executeQueriesMaxValues", executeQueriesMaxValues);
        positive("exportsPerCapacity", exportsPerCapacity);
        positive("activityEventsPerHour", activityEventsPerHour);
        positive("adminGroupsPerHour", adminGroupsPerHour);
        positive("adminGroupsPerMinute", adminGroupsPerMinute);
        positive("modifiedWorkspacesPerHour", modifiedWorkspacesPerHour);
        positive("scanRequestsPerHour", scanRequestsPerHour);
        positive("scansInFlight", scansInFlight);
        positive("scanStatusPerHour", scanStatusPerHour);
        positive("scanResultPerHour", scanResultPerHour);
        if (postRowsLatencyMs < 0) {
            throw new IllegalArgumentException("limits.postRowsLatencyMs must not be negative");
        }
    }

    /** Power BI's documented values, rate limits on, real time. */
    public static LimitsConfig defaults() {
        return new LimitsConfig(
                true, 1.0, 10_000, 4_000, 120, 120, 250_000, 1_000_000, 5, 200_000, 5_000_000, 0, 120, 100_000,
                1_000_000, 500, 200, 50, 15, 30, 500, 16, 10_000, 500);
    }

    /**
     * This configuration with the keys of {@code patch} (a JSON object with any of the keys above) changed; unknown keys
     * and invalid values are an {@link IllegalArgumentException}.
     */
    public LimitsConfig merge(JsonNode patch) {
        return Json.merge(this, patch, LimitsConfig.class, "limits");
    }

    /** {@link #merge(JsonNode)} with a map, e.g. {@code merge(Map.of("timeScale", 60, "fifoRows", 100))}. */
    public LimitsConfig merge(Map<String, ?> patch) {
        return merge((JsonNode) Json.MAPPER.valueToTree(patch));
    }

    /** Nanoseconds of real time that {@code sandboxSeconds} of rate-window time last. */
    long windowNanos(long sandboxSeconds) {
        return Math.max(1, (long) (sandboxSeconds * 1_000_000_000.0 / timeScale));
    }

    private static void positive(String key, long value) {
        if (value < 1) {
            throw new IllegalArgumentException("limits." + key + " must be at least 1: " + value);
        }
    }
}
