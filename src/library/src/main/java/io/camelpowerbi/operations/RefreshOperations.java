package io.camelpowerbi.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.client.PowerBiOutcomeUnknownException;
import io.camelpowerbi.client.PowerBiRequest;
import io.camelpowerbi.client.PowerBiResponse;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts dataset refreshes and follows them to the end.
 *
 * <p>A refresh is followed by the id Power BI gave it when it was started, never by "the latest refresh" in the history:
 * a scheduled refresh or another route may have started one since, and a just-started refresh can take a while to show
 * up in the history at all (the races that Airflow and dagster users ran into). A plain refresh is looked up in the
 * history by its {@code requestId}, and its absence is treated as "not visible yet" until the timeout; an enhanced
 * refresh has its own status endpoint.
 *
 * <p>A start is not idempotent, so a start whose answer is lost (the connection broke after sending, 500, 502, 504)
 * is not sent again: the refresh started through the API that the history did not hold before the submit is looked
 * for, for up to {@link #RECONCILE_WINDOW}, and followed. Only when none shows up is the start sent once more.
 */
public final class RefreshOperations {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshOperations.class);
    /** Words Power BI uses when it refuses a refresh because one is running. The exact text is not documented. */
    private static final Pattern RUNNING = Pattern.compile(
            "(?i)(already|another refresh|in progress|inprogress|currently (running|refreshing|being)|concurrent|is running|being refreshed)");
    /** How deep the history is searched for a refresh in progress. */
    private static final int RUNNING_SEARCH_DEPTH = 10;
    /**
     * How long a refresh whose start answer was lost is looked for in the history before it counts as not started (a
     * new refresh can take a while to show up there).
     */
    static final Duration RECONCILE_WINDOW = Duration.ofMinutes(2);
    /** A start whose answer was lost and that did not show up is sent once more, no more. */
    private static final int MAX_SUBMITS = 2;
    /** The history's {@code refreshType} of refreshes started through the REST API (SW {@code Refresh}). */
    private static final Set<String> API_STARTED = Set.of("ViaApi", "ViaEnhancedApi");

    private final PowerBiClient client;
    private final Poller poller;

    public RefreshOperations(PowerBiClient client) {
        this(client, Poller.SYSTEM);
    }

    public RefreshOperations(PowerBiClient client, Poller poller) {
        this.client = Objects.requireNonNull(client, "client");
        this.poller = Objects.requireNonNull(poller, "poller");
    }

    /**
     * Starts a refresh and returns its id (from {@code x-ms-request-id}, else the {@code Location}, else {@code RequestId}),
     * or null when Power BI sent none. When the answer to the start is lost, the refresh is looked for in the history
     * (see {@link #refresh}) with {@link WaitOptions#defaults()}.
     *
     * @throws RefreshAlreadyRunningException when Power BI refuses because the dataset is refreshing
     */
    public String start(String groupId, String datasetId, RefreshRequest request) {
        WaitOptions options = WaitOptions.defaults();
        return start(
                groupId,
                datasetId,
                request == null ? RefreshRequest.plain() : request,
                options,
                poller.deadline(options.timeout()));
    }

    private String start(
            String groupId, String datasetId, RefreshRequest body, WaitOptions options, Poller.Deadline deadline) {
        Map<String, Object> json = body.toJson();
        // A plain refresh has no body: Content-Length 0 and no Content-Type (the body is optional in SW; a service
        // principal cannot use notifyOption's mail anyway).
        byte[] bytes = json.isEmpty() ? new byte[0] : Api.bytes(json);
        // not idempotent: a second POST would start a second refresh (or meet our own as "already running")
        PowerBiRequest post =
                PowerBiRequest.json("POST", refreshes(groupId, datasetId), Map.of(), bytes, "dataset " + datasetId);
        for (int submit = 1; ; submit++) {
            Set<String> before = historyIds(groupId, datasetId, options.historyDepth());
            PowerBiResponse response;
            try {
                response = client.send(post);
            } catch (PowerBiOutcomeUnknownException lost) {
                String found = reconcile(groupId, datasetId, before, options, deadline, lost);
                if (found != null) {
                    return found;
                }
                if (submit >= MAX_SUBMITS || poller.expired(deadline)) {
                    throw lost;
                }
                LOG.info(
                        "no new refresh of dataset {} showed up in the history within {}: it was not started; starting it again",
                        datasetId,
                        RECONCILE_WINDOW);
                continue;
            } catch (PowerBiException e) {
                throw alreadyRunningOr(groupId, datasetId, e);
            }
            String id = refreshId(response);
            if (id == null) {
                LOG.warn(
                        "Power BI accepted a refresh of dataset {} (HTTP {}) without a request id header; it cannot be followed",
                        datasetId,
                        response.status());
            } else {
                LOG.info(
                        "started {} refresh {} of dataset {}",
                        body.enhanced() ? "an enhanced" : "a plain",
                        id,
                        datasetId);
            }
            return id;
        }
    }

    /** The request ids of the history's latest {@code depth} entries: what was there before a submit. */
    private Set<String> historyIds(String groupId, String datasetId, int depth) {
        Set<String> ids = new HashSet<>();
        for (JsonNode entry : client.getJson(
                        refreshes(groupId, datasetId), Map.of("$top", String.valueOf(depth)), "dataset " + datasetId)
                .path("value")) {
            String id = Api.text(entry, "requestId");
            if (id != null) {
                ids.add(id.toLowerCase(Locale.ROOT));
            }
        }
        return ids;
    }

    /**
     * The answer to starting a refresh was lost, so it may be running: it is the refresh started through the API that
     * the history did not hold before the submit (the earliest, if several), looked for until it shows up (the history
     * lags behind a start, Airflow #44618) or {@link #RECONCILE_WINDOW} passes. Null when none showed up.
     */
    private String reconcile(
            String groupId,
            String datasetId,
            Set<String> before,
            WaitOptions options,
            Poller.Deadline deadline,
            PowerBiOutcomeUnknownException lost) {
        LOG.warn(
                "the answer to starting a refresh of dataset {} was lost ({}); looking for it in the refresh history instead of "
                        + "starting another",
                datasetId,
                lost.httpStatus() == 0 ? "no answer" : "HTTP " + lost.httpStatus());
        String found = poller.lookFor(
                () -> {
                    String earliest = null;
                    for (JsonNode entry : client.getJson(
                                    refreshes(groupId, datasetId),
                                    Map.of("$top", String.valueOf(options.historyDepth())),
                                    "dataset " + datasetId)
                            .path("value")) {
                        String id = Api.text(entry, "requestId");
                        String type = Api.text(entry, "refreshType");
                        if (id != null
                                && !before.contains(id.toLowerCase(Locale.ROOT))
                                && (type == null || API_STARTED.contains(type))) {
                            earliest = id; // newest first: the last new one is the earliest
                        }
                    }
                    return earliest;
                },
                options.pollInterval(),
                poller.deadline(RECONCILE_WINDOW).earlier(deadline));
        if (found != null) {
            LOG.info(
                    "refresh {} of dataset {} was started by the request whose answer was lost; following it",
                    found,
                    datasetId);
        }
        return found;
    }

    /**
     * Waits for a started refresh to end. Returns its outcome whether it succeeded or not.
     *
     * @param enhanced whether it was started as an enhanced refresh (it then has its own status endpoint)
     * @throws RefreshTimeoutException when it is still running after {@code options.timeout()}; an enhanced refresh is
     *                                 cancelled first if {@code options.cancelOnTimeout()}
     */
    public RefreshOutcome waitFor(
            String groupId, String datasetId, String refreshId, boolean enhanced, WaitOptions options) {
        Objects.requireNonNull(refreshId, "refreshId");
        return await(groupId, datasetId, refreshId, enhanced, options, poller.deadline(options.timeout()), true);
    }

    /**
     * Starts a refresh and, with {@code wait}, follows it to the end.
     *
     * @param wait          how to wait, or null to return right after starting (the outcome then only has the id)
     * @param failOnError   raise {@link RefreshFailedException} when the refresh ends Failed, Cancelled, Disabled or TimedOut
     * @param ifRunning   what to do when a refresh is already running; waiting for it (also after cancelling it) counts
     *                    against {@code wait.timeout()} (or {@link WaitOptions#defaults()} without {@code wait})
     */
    public RefreshOutcome refresh(
            String groupId,
            String datasetId,
            RefreshRequest request,
            WaitOptions wait,
            boolean failOnError,
            IfRefreshRunning ifRunning) {
        RefreshRequest body = request == null ? RefreshRequest.plain() : request;
        WaitOptions options = wait != null ? wait : WaitOptions.defaults();
        Poller.Deadline deadline = poller.deadline(options.timeout());
        String id;
        while (true) {
            try {
                id = start(groupId, datasetId, body, options, deadline);
                break;
            } catch (RefreshAlreadyRunningException running) {
                if (ifRunning == null || ifRunning == IfRefreshRunning.FAIL) {
                    throw running;
                }
                if (ifRunning == IfRefreshRunning.CANCEL_AND_RESTART) {
                    cancelRunning(groupId, datasetId, running);
                }
                waitForRunning(groupId, datasetId, running, options, deadline);
            }
        }
        if (wait == null) {
            return RefreshOutcome.started(id);
        }
        if (id == null) {
            throw new PowerBiOperationException(
                    "Power BI accepted the refresh of dataset " + datasetId + " but sent neither a "
                            + "RequestId nor an x-ms-request-id header, so it cannot be followed without guessing (the latest "
                            + "history entry may be someone else's). It is running; check the dataset's refresh history.");
        }
        RefreshOutcome outcome = await(groupId, datasetId, id, body.enhanced(), wait, deadline, true);
        if (outcome.failed() && failOnError) {
            throw new RefreshFailedException(
                    "the refresh of dataset " + datasetId + " did not succeed: " + outcome.summary(), outcome);
        }
        return outcome;
    }

    /** The refresh history, newest first ({@code top} entries; 0 for Power BI's default). */
    public List<Map<String, Object>> history(String groupId, String datasetId, int top) {
        Map<String, String> query = top > 0 ? Map.of("$top", String.valueOf(top)) : Map.of();
        return Api.values(client.getJson(refreshes(groupId, datasetId), query, "dataset " + datasetId));
    }

    /**
     * The latest {@code top} history entries read as outcomes (errors parsed), newest first. An entry without a
     * {@code requestId} is named by its integer {@code id} (undocumented, seen live), else by its start time, so that
     * every entry has an id a watcher can remember.
     */
    public List<RefreshOutcome> recent(String groupId, String datasetId, int top) {
        if (top < 1) {
            throw new InvalidOptionException("top", "must be at least 1, was " + top, "give 1 or more");
        }
        JsonNode history = client.getJson(
                refreshes(groupId, datasetId), Map.of("$top", String.valueOf(top)), "dataset " + datasetId);
        List<RefreshOutcome> outcomes = new ArrayList<>();
        for (JsonNode entry : history.path("value")) {
            String fallback = Api.text(entry, "id");
            if (fallback == null) {
                String start = Api.text(entry, "startTime");
                fallback = start == null ? null : "started-" + start;
            }
            outcomes.add(RefreshOutcome.from(fallback, entry));
        }
        return outcomes;
    }

    /** The detail of an enhanced refresh ({@code GET .../refreshes/{id}}); Power BI has none for plain refreshes. */
    public RefreshOutcome status(String groupId, String datasetId, String refreshId) {
        PowerBiResponse response = client.send(PowerBiRequest.get(
                refreshes(groupId, datasetId) + "/" + Api.seg(refreshId),
                Map.of(),
                "refresh " + refreshId + " of dataset " + datasetId));
        return RefreshOutcome.from(refreshId, response.json());
    }

    /** Cancels an enhanced refresh (plain and scheduled refreshes cannot be cancelled through the API). */
    public void cancel(String groupId, String datasetId, String refreshId) {
        client.send(new PowerBiRequest(
                "DELETE",
                refreshes(groupId, datasetId) + "/" + Api.seg(refreshId),
                Map.of(),
                null,
                "refresh " + refreshId + " of dataset " + datasetId));
        LOG.info("cancelled refresh {} of dataset {}", refreshId, datasetId);
    }

    // ---------------------------------------------------------------- waiting

    private RefreshOutcome await(
            String groupId,
            String datasetId,
            String refreshId,
            boolean enhanced,
            WaitOptions options,
            Poller.Deadline deadline,
            boolean mayCancel) {
        RefreshOutcome last = null;
        int polls = 0;
        while (true) {
            Poller.checkInterrupted();
            polls++;
            RefreshOutcome now = enhanced
                    ? pollDetail(groupId, datasetId, refreshId)
                    : pollHistory(groupId, datasetId, refreshId, options.historyDepth());
            if (now != null) {
                last = now;
                if (now.finished()) {
                    LOG.info("{} (dataset {}, {} polls)", now.summary(), datasetId, polls);
                    return now;
                }
            } else {
                LOG.debug("refresh {} of dataset {} is not visible yet (poll {})", refreshId, datasetId, polls);
            }
            if (poller.expired(deadline)) {
                throw timeout(groupId, datasetId, refreshId, enhanced, options, deadline, last, mayCancel);
            }
            poller.pause(options.pollInterval(), deadline);
        }
    }

    /** Null while Power BI does not know the refresh yet; otherwise its state (not finished while Power BI says 202). */
    private RefreshOutcome pollDetail(String groupId, String datasetId, String refreshId) {
        PowerBiResponse response;
        try {
            response = client.send(PowerBiRequest.get(
                    refreshes(groupId, datasetId) + "/" + Api.seg(refreshId),
                    Map.of(),
                    "refresh " + refreshId + " of dataset " + datasetId));
        } catch (PowerBiException e) {
            if (e.httpStatus() == 404) {
                return null; // just started: the status endpoint can lag behind the 202, as the history does
            }
            throw e;
        }
        RefreshOutcome outcome = RefreshOutcome.from(refreshId, response.json());
        if (response.status() == 202 && outcome.finished()) {
            // 202 means "still in progress", whatever a half-written body says.
            return new RefreshOutcome(
                    outcome.refreshId(),
                    "Unknown",
                    outcome.extendedStatus(),
                    outcome.refreshType(),
                    outcome.startTime(),
                    outcome.endTime(),
                    outcome.attemptCount(),
                    outcome.attempts(),
                    outcome.errors(),
                    outcome.messages(),
                    outcome.raw());
        }
        return outcome;
    }

    private RefreshOutcome pollHistory(String groupId, String datasetId, String refreshId, int depth) {
        JsonNode history = client.getJson(
                refreshes(groupId, datasetId), Map.of("$top", String.valueOf(depth)), "dataset " + datasetId);
        for (JsonNode entry : history.path("value")) {
            if (refreshId.equalsIgnoreCase(entry.path("requestId").asText())) {
                return RefreshOutcome.from(refreshId, entry);
            }
        }
        return null;
    }

    private RefreshTimeoutException timeout(
            String groupId,
            String datasetId,
            String refreshId,
            boolean enhanced,
            WaitOptions options,
            Poller.Deadline deadline,
            RefreshOutcome last,
            boolean mayCancel) {
        boolean cancelled = false;
        String cancelNote = "";
        if (mayCancel && options.cancelOnTimeout()) {
            if (enhanced) {
                try {
                    cancel(groupId, datasetId, refreshId);
                    cancelled = true;
                } catch (PowerBiException e) {
                    cancelNote = "; cancelling it failed: " + e.getMessage();
                }
            } else {
                cancelNote = "; a plain refresh cannot be cancelled through the API, so it keeps running";
            }
        }
        String state = last == null
                ? null
                : last.extendedStatus() != null ? last.status() + "/" + last.extendedStatus() : last.status();
        StringBuilder sb = new StringBuilder("refresh ")
                .append(refreshId)
                .append(" of dataset ")
                .append(datasetId)
                .append(" did not finish within ")
                .append(deadline.timeout());
        if (last == null) {
            sb.append("; it never showed up in ")
                    .append(enhanced ? "its status endpoint" : "the refresh history")
                    .append(" (Power BI drops refreshes requested in quick succession)");
        } else {
            sb.append("; last status ").append(state);
        }
        sb.append(
                cancelled
                        ? "; it was cancelled"
                        : cancelNote.isEmpty() ? "; it is still running in Power BI" : cancelNote);
        return new RefreshTimeoutException(sb.toString(), refreshId, state, deadline.timeout(), cancelled);
    }

    // ---------------------------------------------------------------- one refresh at a time

    private RuntimeException alreadyRunningOr(String groupId, String datasetId, PowerBiException e) {
        if (e.httpStatus() != 400 && e.httpStatus() != 409) {
            return e;
        }
        boolean saysSo = e.httpStatus() == 409
                || RUNNING.matcher(String.valueOf(e.errorCode()) + " " + e.getMessage())
                        .find();
        JsonNode running = null;
        try {
            running = findRunning(groupId, datasetId);
        } catch (PowerBiException historyError) {
            e.addSuppressed(historyError);
        }
        if (!saysSo && running == null) {
            return e;
        }
        String runningId = running == null ? null : Api.text(running, "requestId");
        StringBuilder sb = new StringBuilder("dataset ").append(datasetId).append(" is already refreshing");
        if (running != null) {
            sb.append(" (refresh ")
                    .append(runningId)
                    .append(", ")
                    .append(Api.text(running, "refreshType"))
                    .append(", started ")
                    .append(Api.text(running, "startTime"))
                    .append(')');
        }
        sb.append("; Power BI runs one refresh per dataset at a time and refused this one (HTTP ")
                .append(e.httpStatus())
                .append(
                        "). Fix: set ifRunning=WAIT to wait for it and then refresh (or CANCEL_AND_RESTART to cancel it first), or"
                                + " refresh later.");
        return new RefreshAlreadyRunningException(sb.toString(), runningId, e);
    }

    /** The newest history entry still in progress (status Unknown), or null. */
    private JsonNode findRunning(String groupId, String datasetId) {
        JsonNode history = client.getJson(
                refreshes(groupId, datasetId),
                Map.of("$top", String.valueOf(RUNNING_SEARCH_DEPTH)),
                "dataset " + datasetId);
        for (JsonNode entry : history.path("value")) {
            if ("Unknown".equals(entry.path("status").asText()) && !entry.hasNonNull("endTime")) {
                return entry;
            }
        }
        return null;
    }

    /**
     * Cancels the running refresh so that ours can start. Only enhanced refreshes can be cancelled: Power BI answers 404
     * for a plain or scheduled one, which then keeps running and fails the exchange.
     */
    private void cancelRunning(String groupId, String datasetId, RefreshAlreadyRunningException running) {
        String id = running.runningRefreshId();
        if (id == null) {
            return; // nothing visible to cancel (it may have just ended): waitForRunning pauses and ours is tried again
        }
        try {
            cancel(groupId, datasetId, id);
        } catch (PowerBiException e) {
            if (e.httpStatus() != 404) {
                throw e;
            }
            RefreshAlreadyRunningException refused = new RefreshAlreadyRunningException(
                    "dataset " + datasetId
                            + " is already refreshing (refresh " + id
                            + ") and Power BI cannot cancel that refresh: only refreshes"
                            + " started through the enhanced refresh API can be cancelled, not plain or scheduled ones. Fix: set"
                            + " ifRunning=WAIT to wait for it and then refresh.",
                    id,
                    e);
            refused.addSuppressed(running);
            throw refused;
        }
    }

    private void waitForRunning(
            String groupId,
            String datasetId,
            RefreshAlreadyRunningException running,
            WaitOptions options,
            Poller.Deadline deadline) {
        if (poller.expired(deadline)) {
            throw new RefreshTimeoutException(
                    "dataset " + datasetId + " was still refreshing"
                            + (running.runningRefreshId() == null
                                    ? ""
                                    : " (refresh " + running.runningRefreshId() + ")")
                            + " when the wait of " + deadline.timeout()
                            + " ran out; the requested refresh was not started",
                    running.runningRefreshId(),
                    "Unknown",
                    deadline.timeout(),
                    false);
        }
        if (running.runningRefreshId() == null) {
            // The history shows nothing running (a scheduled refresh may have just ended): try again after a pause.
            poller.pause(options.pollInterval(), deadline);
            return;
        }
        LOG.info(
                "dataset {} is refreshing ({}); waiting for it before starting another",
                datasetId,
                running.runningRefreshId());
        try {
            // Followed through the history: it may be a scheduled refresh, which has no status endpoint. Never
            // cancelled: it is not ours.
            await(groupId, datasetId, running.runningRefreshId(), false, options, deadline, false);
        } catch (RefreshTimeoutException e) {
            throw new RefreshTimeoutException(
                    e.getMessage() + "; it was already running, and the requested refresh was not started",
                    e.jobId(),
                    e.lastState(),
                    e.timeout(),
                    false);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String refreshes(String groupId, String datasetId) {
        return Api.dataset(groupId, datasetId) + "/refreshes";
    }

    private static String refreshId(PowerBiResponse response) {
        String id = response.header("x-ms-request-id");
        if (id == null || id.isBlank()) {
            String location = response.header("Location");
            if (location != null) {
                try {
                    String path = URI.create(location.trim()).getPath();
                    String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
                    id = NameResolver.isGuid(last) ? last : null;
                } catch (IllegalArgumentException notAUri) {
                    id = null;
                }
            }
        }
        if (id == null || id.isBlank()) {
            id = response.header("RequestId");
        }
        return id == null || id.isBlank() ? null : id.trim();
    }
}
