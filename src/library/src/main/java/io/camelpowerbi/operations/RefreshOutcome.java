package io.camelpowerbi.operations;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a refresh ended (or stands): read from its history entry (plain refresh) or from its detail (enhanced
 * refresh). The errors are taken apart from {@code serviceExceptionJson}, a JSON document Power BI sends as a string.
 *
 * @param refreshId      the request id Power BI gave the refresh when it was started
 * @param status         Unknown (running), Completed, Failed, Cancelled or Disabled
 * @param extendedStatus enhanced refreshes: NotStarted, InProgress, Completed, TimedOut, Failed, Cancelled, ...
 * @param refreshType    ViaApi, ViaEnhancedApi, Scheduled, ... (history) or the processing type (enhanced detail)
 * @param attemptCount   attempts made ({@code numberOfAttempts}, else the length of {@code refreshAttempts})
 * @param errors         error codes and descriptions of the refresh and its attempts, without repeats
 * @param messages       the engine's {@code messages[]} of an enhanced refresh
 * @param raw            the entry or detail as Power BI sent it
 */
public record RefreshOutcome(
        String refreshId,
        String status,
        String extendedStatus,
        String refreshType,
        String startTime,
        String endTime,
        int attemptCount,
        List<Attempt> attempts,
        List<RefreshError> errors,
        List<Message> messages,
        Map<String, Object> raw) {

    private static final Set<String> TERMINAL = Set.of("Completed", "Failed", "Cancelled", "Disabled");

    public RefreshOutcome {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        errors = errors == null ? List.of() : List.copyOf(errors);
        messages = messages == null ? List.of() : List.copyOf(messages);
        raw = raw == null ? Map.of() : raw;
    }

    /** One attempt of a refresh ({@code type} Data or Query). */
    public record Attempt(Integer attemptId, String type, String startTime, String endTime, RefreshError error) {}

    /**
     * An error from {@code serviceExceptionJson}.
     *
     * @param source "refresh" or "attempt N"
     */
    public record RefreshError(String code, String description, String source) {}

    /** An engine message of an enhanced refresh ({@code type} Error or Warning). */
    public record Message(String code, String message, String type) {}

    /** A refresh that was started and not waited for. */
    static RefreshOutcome started(String refreshId) {
        return new RefreshOutcome(
                refreshId, "Unknown", null, null, null, null, 0, List.of(), List.of(), List.of(), Map.of());
    }

    /** Whether Power BI says the refresh is over (successfully or not). */
    public boolean finished() {
        // Set.of(...).contains(null) throws, and both fields may be absent.
        return (status != null && TERMINAL.contains(status))
                || (extendedStatus != null && TERMINAL.contains(extendedStatus))
                || "TimedOut".equals(extendedStatus);
    }

    public boolean succeeded() {
        return "Completed".equals(status) && (extendedStatus == null || "Completed".equals(extendedStatus));
    }

    /** Finished without success: Failed, Cancelled, Disabled or TimedOut (a Disabled refresh did not refresh either). */
    public boolean failed() {
        return finished() && !succeeded();
    }

    /** One line for logs and exception messages. */
    public String summary() {
        StringBuilder sb =
                new StringBuilder("refresh ").append(refreshId).append(' ').append(status);
        if (extendedStatus != null && !extendedStatus.equals(status)) {
            sb.append(" (").append(extendedStatus).append(')');
        }
        if (attemptCount > 0) {
            sb.append(" after ").append(attemptCount).append(attemptCount == 1 ? " attempt" : " attempts");
        }
        List<String> reasons = new ArrayList<>();
        for (RefreshError e : errors) {
            reasons.add(
                    e.code() == null
                            ? e.description()
                            : e.description() == null ? e.code() : e.code() + ": " + e.description());
        }
        for (Message m : messages) {
            if (!"Warning".equalsIgnoreCase(m.type())) {
                reasons.add(m.code() == null ? m.message() : m.code() + ": " + m.message());
            }
        }
        if (!reasons.isEmpty()) {
            sb.append(": ").append(String.join("; ", new LinkedHashSet<>(reasons)));
        }
        return sb.toString();
    }

    /** Reads a history entry ({@code Refresh}) or an enhanced detail ({@code DatasetRefreshDetail}). */
    static RefreshOutcome from(String refreshId, JsonNode node) {
        List<RefreshError> errors = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        RefreshError top = parseServiceException(Api.text(node, "serviceExceptionJson"), "refresh");
        if (top != null) {
            errors.add(top);
            seen.add(top.code() + "\u0000" + top.description());
        }
        List<Attempt> attempts = new ArrayList<>();
        for (JsonNode a : node.path("refreshAttempts")) {
            Integer id = a.hasNonNull("attemptId") ? a.get("attemptId").asInt() : null;
            RefreshError err =
                    parseServiceException(Api.text(a, "serviceExceptionJson"), "attempt " + (id == null ? "?" : id));
            attempts.add(new Attempt(id, Api.text(a, "type"), Api.text(a, "startTime"), Api.text(a, "endTime"), err));
            // The entry's error is usually the last attempt's error again; list each cause once.
            if (err != null && seen.add(err.code() + "\u0000" + err.description())) {
                errors.add(err);
            }
        }
        List<Message> messages = new ArrayList<>();
        for (JsonNode m : node.path("messages")) {
            messages.add(new Message(Api.text(m, "code"), Api.text(m, "message"), Api.text(m, "type")));
        }
        int count = node.hasNonNull("numberOfAttempts")
                ? node.get("numberOfAttempts").asInt()
                : attempts.size();
        String id = Api.text(node, "requestId");
        return new RefreshOutcome(
                id != null ? id : refreshId,
                Api.text(node, "status"),
                Api.text(node, "extendedStatus"),
                Api.text(node, "refreshType", "type"),
                Api.text(node, "startTime"),
                Api.text(node, "endTime"),
                count,
                attempts,
                errors,
                messages,
                Api.map(node));
    }

    /** {@code {"errorCode":"...","errorDescription":"..."}} inside a string; text that is not JSON is kept as the description. */
    static RefreshError parseServiceException(String json, String source) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            JsonNode n = Api.JSON.readTree(json);
            if (n != null && n.isObject()) {
                String code = Api.text(n, "errorCode", "code");
                String description = Api.text(n, "errorDescription", "description", "message");
                if (code != null || description != null) {
                    return new RefreshError(code, description, source);
                }
            }
        } catch (IOException e) {
            // not JSON: fall through and keep it as text
        }
        return new RefreshError(null, json, source);
    }
}
