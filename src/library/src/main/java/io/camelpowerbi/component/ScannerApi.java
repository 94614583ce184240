package io.camelpowerbi.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelpowerbi.client.Idempotency;
import io.camelpowerbi.client.PathSegment;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiRequest;
import io.camelpowerbi.client.PowerBiResponse;
import io.camelpowerbi.client.Sleeper;
import io.camelpowerbi.client.SlidingWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The four calls of the admin scanner API (https://learn.microsoft.com/en-us/power-bi/enterprise/service-admin-metadata-scanning), each within its own client-side hourly budget:
 * {@code workspaces/modified} and the status and result reads wait for a free slot; {@code getInfo} is only sent when
 * {@link #getInfoWaitNanos()} says a slot is free, so the consumer can keep polling running scans meanwhile.
 */
final class ScannerApi {

    static final String BASE = "/admin/workspaces";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter QUERY_TIME = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The getInfo query options (scan consumer options of the same names). */
    record Options(
            boolean lineage,
            boolean datasourceDetails,
            boolean datasetSchema,
            boolean datasetExpressions,
            boolean getArtifactUsers) {

        Map<String, String> query() {
            Map<String, String> q = new LinkedHashMap<>();
            put(q, "lineage", lineage);
            put(q, "datasourceDetails", datasourceDetails);
            put(q, "datasetSchema", datasetSchema);
            put(q, "datasetExpressions", datasetExpressions);
            put(q, "getArtifactUsers", getArtifactUsers);
            return q;
        }

        private static void put(Map<String, String> q, String name, boolean value) {
            if (value) {
                q.put(name, "true");
            }
        }
    }

    /**
     * Power BI's {@code ScanRequest} (getInfo's 202 body and scanStatus's 200 body).
     *
     * @param retryAfter the answer's Retry-After, or null
     */
    record ScanRequest(String id, String status, JsonNode error, Duration retryAfter) {

        static ScanRequest of(PowerBiResponse response, Instant now) {
            JsonNode body = response.json();
            JsonNode error = body.get("error");
            return new ScanRequest(
                    body.path("id").asText(null),
                    body.path("status").asText(""),
                    error == null || error.isNull() ? null : error,
                    response.retryAfter(now));
        }
    }

    private final Supplier<PowerBiClient> client;
    private final BooleanSupplier running;
    private final Consumer<Duration> waited;
    private final SlidingWindow modified;
    private final SlidingWindow getInfo;
    private final SlidingWindow status;
    private final SlidingWindow result;
    private final Sleeper sleeper;
    private long throttledMillis;

    /** @param waited told of every wait for a budget (metrics) */
    ScannerApi(
            Supplier<PowerBiClient> client,
            PowerBiConfiguration c,
            Duration period,
            BooleanSupplier running,
            Consumer<Duration> waited,
            Sleeper sleeper) {
        this.client = client;
        this.running = running;
        this.waited = waited;
        this.sleeper = sleeper;
        this.modified = PowerBiPollingConsumer.requestBudget(
                "maxModifiedCallsPerHour", c.getMaxModifiedCallsPerHour(), period, sleeper);
        this.getInfo = PowerBiPollingConsumer.requestBudget("maxScansPerHour", c.getMaxScansPerHour(), period, sleeper);
        this.status = PowerBiPollingConsumer.requestBudget(
                "maxScanStatusCallsPerHour", c.getMaxScanStatusCallsPerHour(), period, sleeper);
        this.result = PowerBiPollingConsumer.requestBudget(
                "maxScanResultCallsPerHour", c.getMaxScanResultCallsPerHour(), period, sleeper);
    }

    /**
     * Ids of the workspaces modified since {@code since} (every workspace when null), or null when the consumer stopped
     * while waiting for the budget.
     */
    List<String> modified(Instant since, boolean excludePersonal, boolean excludeInactive) throws InterruptedException {
        Map<String, String> query = new LinkedHashMap<>();
        if (since != null) {
            query.put("modifiedSince", QUERY_TIME.format(since));
        }
        if (excludePersonal) {
            query.put("excludePersonalWorkspaces", "true");
        }
        if (excludeInactive) {
            query.put("excludeInActiveWorkspaces", "true");
        }
        if (!take(modified)) {
            return null;
        }
        JsonNode body = client.get().getJson(BASE + "/modified", query, "modified workspaces");
        List<String> ids = new ArrayList<>();
        for (JsonNode w : body) {
            String id = w.path("id").asText(null);
            if (id != null && !id.isEmpty()) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Nanoseconds until getInfo's budget has a free slot (0: now). */
    long getInfoWaitNanos() {
        return getInfo.nanosUntilRoom(1);
    }

    /** Starts a scan; call only when {@link #getInfoWaitNanos()} is 0. */
    ScanRequest getInfo(List<String> workspaceIds, Options options) throws InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        workspaceIds.forEach(body.putArray("workspaces")::add);
        if (!take(getInfo)) {
            return null;
        }
        try {
            // Sent again after a lost answer: a scan only reads, the consumer follows the scan id it got, and an orphan
            // scan costs one of the hour's 500 and changes nothing.
            return ScanRequest.of(
                    client.get()
                            .send(PowerBiRequest.json(
                                            "POST",
                                            BASE + "/getInfo",
                                            options.query(),
                                            JSON.writeValueAsBytes(body),
                                            "a scan of " + workspaceIds.size() + " workspaces")
                                    .with(Idempotency.IDEMPOTENT)),
                    sleeper.now());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a getInfo body", e); // ids only: does not happen
        }
    }

    /** The scan's status, or null when the consumer stopped while waiting for the budget. */
    ScanRequest scanStatus(String scanId) throws InterruptedException {
        if (!take(status)) {
            return null;
        }
        return ScanRequest.of(
                client.get()
                        .send(PowerBiRequest.get(
                                BASE + "/scanStatus/" + PathSegment.encode(scanId), Map.of(), "scan " + scanId)),
                sleeper.now());
    }

    /** The scan's result ({@code workspaces}, {@code datasourceInstances}, ...), or null when stopping. */
    JsonNode scanResult(String scanId) throws InterruptedException {
        if (!take(result)) {
            return null;
        }
        return client.get()
                .getJson(BASE + "/scanResult/" + PathSegment.encode(scanId), Map.of(), "the result of scan " + scanId);
    }

    /** Milliseconds waited for budgets since the last {@link #resetThrottled()}. */
    long throttledMillis() {
        return throttledMillis;
    }

    void resetThrottled() {
        throttledMillis = 0;
    }

    void addThrottled(long millis) {
        if (millis > 0) {
            throttledMillis += millis;
            waited.accept(Duration.ofMillis(millis));
        }
    }

    private boolean take(SlidingWindow budget) throws InterruptedException {
        Duration waitedFor = budget.acquire(1, running);
        if (waitedFor == null) {
            return false;
        }
        addThrottled(waitedFor.toMillis());
        return true;
    }
}
