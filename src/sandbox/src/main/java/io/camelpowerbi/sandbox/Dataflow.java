package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A dataflow of a workspace and its refresh transactions. guess: the transaction statuses: Microsoft documents none;
 * {@code Success} is what clients wait for (e.g. Airflow's Power BI dataflow operator), {@code Failed},
 * {@code Cancelled} and {@code InProgress} are the sandbox's.
 */
public final class Dataflow {

    public static final String SUCCESS = "Success";
    public static final String FAILED = "Failed";
    public static final String CANCELLED = "Cancelled";
    public static final String IN_PROGRESS = "InProgress";

    /** One refresh; it ends at {@code start + duration} with {@code outcome}, unless cancelled before. */
    public static final class Transaction {
        private final String id;
        private final Instant start;
        private final Instant end;
        private final String outcome;
        private volatile Instant cancelledAt;

        Transaction(String id, Instant start, Duration duration, String outcome) {
            this.id = id;
            this.start = start;
            this.end = start.plus(duration);
            this.outcome = outcome;
        }

        public String id() {
            return id;
        }

        public String status(Instant now) {
            if (cancelledAt != null) {
                return CANCELLED;
            }
            return now.isBefore(end) ? IN_PROGRESS : outcome;
        }

        public boolean isRunning(Instant now) {
            return IN_PROGRESS.equals(status(now));
        }

        /** Marks it cancelled; false when it had ended. */
        synchronized boolean cancel(Instant now) {
            if (!isRunning(now)) {
                return false;
            }
            cancelledAt = now;
            return true;
        }

        ObjectNode toJson(Instant now) {
            ObjectNode json =
                    Json.object().put("id", id).put("refreshType", "OnDemand").put("startTime", Json.time(start));
            if (!isRunning(now)) {
                json.put("endTime", Json.time(cancelledAt != null ? cancelledAt : end));
            }
            json.put("status", status(now));
            return json;
        }
    }

    private final String id;
    private final String name;
    private final String workspaceId;
    private final Duration duration;
    private final String outcome;
    private final List<Transaction> transactions = new ArrayList<>();

    Dataflow(SandboxConfig.DataflowConfig config, String workspaceId) {
        this.id = config.id().toLowerCase(Locale.ROOT);
        this.name = config.name();
        this.workspaceId = workspaceId;
        this.duration = ApiSettings.seconds(config.refreshSeconds());
        this.outcome = config.refreshOutcome();
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    ObjectNode toJson() {
        return Json.object()
                .put("objectId", id)
                .put("name", name)
                .put("description", "")
                .put("configuredBy", SandboxConfig.DatasetConfig.DEFAULT_CONFIGURED_BY);
    }

    /** Starts a refresh; the id has the service's shape ({@code <start>@<guid>$<n>}, as in Microsoft's sample). */
    synchronized Transaction start(Instant now) {
        Transaction t = new Transaction(
                Json.time(now) + "@" + UUID.randomUUID() + "$" + (transactions.size() + 1), now, duration, outcome);
        transactions.add(t);
        return t;
    }

    /** Every transaction, newest first. */
    public synchronized List<Transaction> transactions() {
        List<Transaction> copy = new ArrayList<>(transactions);
        Collections.reverse(copy);
        return copy;
    }

    public Optional<Transaction> running(Instant now) {
        return transactions().stream().filter(t -> t.isRunning(now)).findFirst();
    }

    String workspaceId() {
        return workspaceId;
    }
}
