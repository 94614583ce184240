package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * One dataset refresh (https://learn.microsoft.com/en-us/power-bi/connect-data/asynchronous-refresh). Its state is a function of the sandbox clock: the first
 * quarter of its duration it has not started ({@code extendedStatus: NotStarted}), then it runs ({@code InProgress},
 * {@code status: Unknown}), and at start + duration it ends {@code Completed} or {@code Failed}, unless it was
 * cancelled before. Once an end was observed it stays, even if the clock is set back.
 */
public final class Refresh {

    public static final String COMPLETED = "Completed";
    public static final String FAILED = "Failed";
    public static final String CANCELLED = "Cancelled";
    public static final String UNKNOWN = "Unknown";

    private final String requestId;
    private final long id;
    private final boolean enhanced;
    private final Instant start;
    private final Duration duration;
    private final String outcome;
    private final JsonNode error;
    private final Instant visibleAt;
    private final JsonNode request;
    private volatile Instant cancelledAt;
    private volatile boolean settled;
    /** A Direct Lake model's tables as this refresh framed them; null for other datasets. */
    private volatile java.util.Map<String, QueryTable> framed;

    Refresh(
            String requestId,
            long id,
            boolean enhanced,
            Instant start,
            Duration duration,
            String outcome,
            JsonNode error,
            Instant visibleAt,
            JsonNode request) {
        this.requestId = requestId;
        this.id = id;
        this.enhanced = enhanced;
        this.start = start;
        this.duration = duration;
        this.outcome = outcome;
        this.error = error;
        this.visibleAt = visibleAt;
        this.request = request;
    }

    /** Frames a Direct Lake model: its tables are these (the lakehouse's at the refresh's start) once it completed. */
    void frame(java.util.Map<String, QueryTable> tables) {
        framed = java.util.Map.copyOf(tables);
    }

    /** The tables this refresh framed, or null. */
    java.util.Map<String, QueryTable> framed() {
        return framed;
    }

    /** The refresh id: the {@code RequestId} header of the POST and {@code requestId} of the history entry. */
    public String requestId() {
        return requestId;
    }

    /** The integer {@code id} of the history entry (undocumented, seen live). */
    public long id() {
        return id;
    }

    public boolean enhanced() {
        return enhanced;
    }

    public Instant startTime() {
        return start;
    }

    /** {@code ViaApi} or {@code ViaEnhancedApi}. */
    public String refreshType() {
        return enhanced ? "ViaEnhancedApi" : "ViaApi";
    }

    /** When the refresh shows in {@code GET refreshes} (the history lags behind, Airflow #44618). */
    public Instant visibleAt() {
        return visibleAt;
    }

    public boolean isRunning(Instant now) {
        return terminalAt(now) == null;
    }

    /** {@code Unknown} while running, then {@code Completed}, {@code Failed} or {@code Cancelled}. */
    public String status(Instant now) {
        if (terminalAt(now) == null) {
            return UNKNOWN;
        }
        return cancelledAt != null ? CANCELLED : outcome;
    }

    /** {@code NotStarted}, {@code InProgress}, then the final status. */
    public String extendedStatus(Instant now) {
        if (terminalAt(now) != null) {
            return status(now);
        }
        return now.isBefore(start.plus(duration.dividedBy(4))) ? "NotStarted" : "InProgress";
    }

    /** The end time, or null while running. */
    public Instant endTime(Instant now) {
        return terminalAt(now);
    }

    /** Cancels a running refresh; false when it had ended already. */
    synchronized boolean cancel(Instant now) {
        if (terminalAt(now) != null) {
            return false;
        }
        cancelledAt = now;
        return true;
    }

    private Instant terminalAt(Instant now) {
        Instant cancelled = cancelledAt;
        if (cancelled != null) {
            return cancelled;
        }
        Instant end = start.plus(duration);
        if (settled || !now.isBefore(end)) {
            settled = true;
            return end;
        }
        return null;
    }

    private boolean failed(Instant now) {
        return FAILED.equals(status(now));
    }

    private String serviceExceptionJson() {
        return error == null ? null : error.toString();
    }

    /** An entry of {@code GET refreshes} (SW {@code Refresh} plus PBIDOCS' {@code extendedStatus} and {@code id}). */
    ObjectNode historyJson(Instant now) {
        ObjectNode json = Json.object();
        json.put("requestId", requestId);
        json.put("id", id);
        json.put("refreshType", refreshType());
        json.put("startTime", Json.time(start));
        Instant end = endTime(now);
        if (end != null) {
            json.put("endTime", Json.time(end));
        }
        if (failed(now)) {
            json.put("serviceExceptionJson", serviceExceptionJson());
        }
        json.put("status", status(now));
        json.put("extendedStatus", extendedStatus(now));
        json.set("refreshAttempts", attempts(now));
        return json;
    }

    /** The body of {@code GET refreshes/{id}} (SW {@code DatasetRefreshDetail}), enhanced refreshes only. */
    ObjectNode detailJson(Instant now, Iterable<String> tables) {
        ObjectNode json = Json.object();
        json.put("startTime", Json.time(start));
        Instant end = endTime(now);
        if (end != null) {
            json.put("endTime", Json.time(end));
        }
        String type = request != null && request.path("type").isTextual()
                ? request.get("type").asText()
                : "Full";
        json.put("type", type);
        json.put(
                "commitMode",
                request != null && request.path("commitMode").isTextual()
                        ? request.get("commitMode").asText()
                        : "Transactional");
        json.put("status", status(now));
        json.put("extendedStatus", extendedStatus(now));
        json.put("currentRefreshType", type);
        boolean started = !"NotStarted".equals(extendedStatus(now));
        json.put("numberOfAttempts", started ? 1 : 0);
        ArrayNode objects = json.putArray("objects");
        String objectStatus = switch (extendedStatus(now)) {
            case "NotStarted" -> "NotStarted";
            case "InProgress" -> "InProgress";
            default -> status(now);
        };
        JsonNode requested = request == null ? null : request.get("objects");
        if (requested != null && requested.isArray() && !requested.isEmpty()) {
            for (JsonNode o : requested) {
                ObjectNode oj = objects.addObject();
                oj.put("table", o.path("table").asText(null));
                oj.put("partition", o.path("partition").asText(o.path("table").asText(null)));
                oj.put("status", objectStatus);
            }
        } else {
            for (String table : tables) {
                objects.addObject().put("table", table).put("partition", table).put("status", objectStatus);
            }
        }
        ArrayNode messages = json.putArray("messages");
        if (failed(now)) {
            messages.addObject()
                    .put(
                            "code",
                            error == null
                                    ? "ModelRefreshFailed"
                                    : error.path("errorCode").asText("ModelRefreshFailed"))
                    .put(
                            "message",
                            error == null
                                    ? "The refresh failed."
                                    : error.path("errorDescription").asText(error.toString()))
                    .put("type", "Error");
        }
        if (started) {
            json.set("refreshAttempts", attempts(now));
        }
        return json;
    }

    private ArrayNode attempts(Instant now) {
        ArrayNode attempts = Json.array();
        if ("NotStarted".equals(extendedStatus(now)) && cancelledAt == null) {
            return attempts;
        }
        Instant end = endTime(now);
        ObjectNode data = attempts.addObject();
        data.put("attemptId", 1);
        data.put("startTime", Json.time(start));
        if (end != null) {
            data.put("endTime", Json.time(end));
        }
        if (failed(now)) {
            data.put("serviceExceptionJson", serviceExceptionJson());
        }
        data.put("type", "Data");
        return attempts;
    }

    @Override
    public String toString() {
        return "Refresh[" + requestId + " " + refreshType() + "]";
    }
}
