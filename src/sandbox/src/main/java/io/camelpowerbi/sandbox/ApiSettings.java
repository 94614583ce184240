package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * How the sandbox's asynchronous Power BI operations behave: durations, delays and the choices where the live service
 * is unverified. From the configuration keys {@code wrongCluster}, {@code refreshes}, {@code exports} and
 * {@code imports}; changeable at run time with {@code POST /_sandbox/settings} (a partial object) or
 * {@link Sandbox#setSettings(ApiSettings)}. Durations follow the sandbox clock, so {@code clock().advance(...)} ends
 * running jobs at once.
 *
 * @param wrongCluster     a request with {@code ?preferClientRouting=true} gets 307 to the same URL without the parameter
 *                         (the wrong cluster); others get {@code request-redirected: true}
 * @param listTableColumns {@code GET datasets/{d}/tables} lists each table's columns (off by default). The docs show no
 *                         response example, and the service has been seen listing tables by name only
 *                         (powerbi-powershell#397), so by default the sandbox lists names only and a client cannot come
 *                         to depend on columns it may not get; on, it lists them as the {@code Table} model allows
 */
public record ApiSettings(
        boolean wrongCluster,
        Refreshes refreshes,
        Exports exports,
        Imports imports,
        ActivityEvents activityEvents,
        Scans scans,
        boolean listTableColumns)
        implements Copyable<ApiSettings> {

    public ApiSettings {
        refreshes = refreshes == null ? Refreshes.defaults() : refreshes;
        exports = exports == null ? Exports.defaults() : exports;
        imports = imports == null ? Imports.defaults() : imports;
        activityEvents = activityEvents == null ? ActivityEvents.defaults() : activityEvents;
        scans = scans == null ? Scans.defaults() : scans;
    }

    public ApiSettings(boolean wrongCluster, Refreshes refreshes, Exports exports, Imports imports) {
        this(wrongCluster, refreshes, exports, imports, null, null, false);
    }

    public static ApiSettings defaults() {
        return new ApiSettings(false, null, null, null, null, null, false);
    }

    /** These settings with the keys of {@code patch} changed (nested objects merged key by key). */
    public ApiSettings merge(JsonNode patch) {
        return Json.merge(this, patch, ApiSettings.class, "settings");
    }

    /** {@link #merge(JsonNode)} with a map, e.g. {@code merge(Map.of("refreshes", Map.of("durationSeconds", 0.1)))}. */
    public ApiSettings merge(Map<String, ?> patch) {
        return merge((JsonNode) Json.MAPPER.valueToTree(patch));
    }

    /**
     * Dataset refreshes (https://learn.microsoft.com/en-us/power-bi/connect-data/asynchronous-refresh).
     *
     * @param durationSeconds          default duration of a refresh (datasets may set their own {@code refreshSeconds})
     * @param historyDelaySeconds      how long a new refresh stays out of {@code GET refreshes} (Airflow #44618)
     * @param conflictStatus           status of a second refresh while one runs: 400 (current docs) or 409 (older)
     * @param sharedCapacityDailyLimit refreshes per dataset and UTC day on shared capacity (8; 0 = unlimited)
     * @param defaultTop               entries of the history without {@code $top} (SW: "the last available 60")
     */
    public record Refreshes(
            double durationSeconds,
            double historyDelaySeconds,
            int conflictStatus,
            int sharedCapacityDailyLimit,
            int defaultTop) {

        public Refreshes {
            nonNegative("refreshes.durationSeconds", durationSeconds);
            nonNegative("refreshes.historyDelaySeconds", historyDelaySeconds);
            if (conflictStatus != 400 && conflictStatus != 409) {
                throw new IllegalArgumentException("refreshes.conflictStatus must be 400 or 409: " + conflictStatus);
            }
            if (sharedCapacityDailyLimit < 0 || defaultTop < 1) {
                throw new IllegalArgumentException("refreshes.sharedCapacityDailyLimit must be >= 0, defaultTop >= 1");
            }
        }

        public static Refreshes defaults() {
            return new Refreshes(1.5, 1.0, 400, 8, 60);
        }
    }

    /**
     * Export to file (https://learn.microsoft.com/en-us/power-bi/developer/embedded/export-to).
     *
     * @param durationSeconds          time from ExportTo to Succeeded/Failed
     * @param retryAfterSeconds        {@code Retry-After} of a poll while NotStarted/Running
     * @param failedRetryAfterSeconds  {@code Retry-After} of a transient Failed ("retry the whole export")
     * @param fileValidityHours        file availability after success ({@code expirationTime}; 24 h)
     * @param maxPages                 pages or visuals per export request (50)
     * @param redirectFileDownload     GET .../file answers 307 to an unauthenticated blob URL on another loopback name
     *                                 instead of the bytes, so a client's "no bearer across hosts" rule is exercised
     */
    public record Exports(
            double durationSeconds,
            int retryAfterSeconds,
            int failedRetryAfterSeconds,
            double fileValidityHours,
            int maxPages,
            boolean redirectFileDownload) {

        public Exports {
            nonNegative("exports.durationSeconds", durationSeconds);
            nonNegative("exports.fileValidityHours", fileValidityHours);
            if (retryAfterSeconds < 0 || failedRetryAfterSeconds < 1 || maxPages < 1) {
                throw new IllegalArgumentException(
                        "exports: retryAfterSeconds >= 0, failedRetryAfterSeconds >= 1, maxPages >= 1");
            }
        }

        public static Exports defaults() {
            return new Exports(1.5, 1, 2, 24, 50, false);
        }
    }

    /**
     * Imports (https://learn.microsoft.com/en-us/rest/api/power-bi/imports/post-import-in-group).
     *
     * @param durationSeconds             time from POST imports to Succeeded/Failed
     * @param validateFiles               a .pbix/.xlsx must be a zip and an .rdl XML, else the import ends Failed
     * @param uploadLocationValidityHours validity of a temporary upload location's SAS URL
     */
    public record Imports(double durationSeconds, boolean validateFiles, double uploadLocationValidityHours) {

        public Imports {
            nonNegative("imports.durationSeconds", durationSeconds);
            nonNegative("imports.uploadLocationValidityHours", uploadLocationValidityHours);
        }

        public static Imports defaults() {
            return new Imports(1.0, true, 1);
        }
    }

    /**
     * The activity log ({@code GET admin/activityevents}, https://learn.microsoft.com/en-us/power-bi/enterprise/service-admin-auditing).
     *
     * @param seed                   the seeded history is a pure function of seed and UTC day (same ids after a
     *                               restart)
     * @param historyDays            days of seeded history before the sandbox started (7)
     * @param eventsPerDay           seeded events of an average working day (weekends a third of it) (2,000)
     * @param pageSize               events per page at most (5,000)
     * @param pageMinutes            a page covers at most this much of the requested window, so spans without events
     *                               give pages with zero entities and a token (60)
     * @param visibilityDelaySeconds an event shows up this long (sandbox clock) after it happened (the log lags) (30)
     * @param recordServedCalls      calls the sandbox serves (push rows, refresh, export, ...) add events (true)
     */
    public record ActivityEvents(
            long seed,
            int historyDays,
            int eventsPerDay,
            int pageSize,
            int pageMinutes,
            double visibilityDelaySeconds,
            boolean recordServedCalls) {

        public ActivityEvents {
            nonNegative("activityEvents.visibilityDelaySeconds", visibilityDelaySeconds);
            if (historyDays < 0
                    || historyDays > 30
                    || eventsPerDay < 0
                    || pageSize < 1
                    || pageMinutes < 1
                    || pageMinutes > 24 * 60) {
                throw new IllegalArgumentException(
                        "activityEvents: historyDays 0..30, eventsPerDay >= 0, pageSize >= 1,"
                                + " pageMinutes 1..1440");
            }
        }

        public static ActivityEvents defaults() {
            return new ActivityEvents(20_260_101L, 7, 2_000, 5_000, 60, 30, true);
        }
    }

    /**
     * The scanner API (https://learn.microsoft.com/en-us/power-bi/enterprise/service-admin-metadata-scanning).
     *
     * @param durationSeconds     time from getInfo to Succeeded (a third NotStarted, then Running) (3)
     * @param resultValidityHours scanResult answers 404 this long after the scan succeeded (24)
     */
    public record Scans(double durationSeconds, double resultValidityHours) {

        public Scans {
            nonNegative("scans.durationSeconds", durationSeconds);
            nonNegative("scans.resultValidityHours", resultValidityHours);
        }

        public static Scans defaults() {
            return new Scans(3, 24);
        }
    }

    static java.time.Duration seconds(double seconds) {
        return java.time.Duration.ofNanos((long) (seconds * 1_000_000_000L));
    }

    private static void nonNegative(String key, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(key + " must be a non-negative number: " + value);
        }
    }
}
