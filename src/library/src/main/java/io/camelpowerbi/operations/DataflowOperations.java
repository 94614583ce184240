package io.camelpowerbi.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.client.PowerBiOutcomeUnknownException;
import io.camelpowerbi.client.PowerBiRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes dataflows and follows them to the end. Power BI answers a dataflow refresh with 200 and no id, so the
 * refresh is the transaction that was not in the dataflow's transactions before the request; it is followed by that
 * id, never as "the latest". A start is not idempotent: when its answer is lost, the new transaction is looked for,
 * and the start is not sent again.
 */
public final class DataflowOperations {

    private static final Logger LOG = LoggerFactory.getLogger(DataflowOperations.class);

    private final PowerBiClient client;
    private final Poller poller;

    public DataflowOperations(PowerBiClient client, Poller poller) {
        this.client = Objects.requireNonNull(client, "client");
        this.poller = Objects.requireNonNull(poller, "poller");
    }

    /** The dataflows of a workspace (as Power BI lists them; a dataflow's id is its {@code objectId}). */
    public List<Map<String, Object>> list(String groupId) {
        return Api.values(client.getJson(Api.group(groupId) + "/dataflows", Map.of(), "workspace " + groupId));
    }

    /** The dataflow's refresh transactions (as Power BI lists them). */
    public List<Map<String, Object>> transactions(String groupId, String dataflowId) {
        return Api.values(listing(groupId, dataflowId));
    }

    /** The dataflow's refresh transactions, read; in Power BI's order, which Microsoft does not document. */
    public List<DataflowTransaction> history(String groupId, String dataflowId) {
        List<DataflowTransaction> out = new ArrayList<>();
        listing(groupId, dataflowId).path("value").forEach(t -> out.add(DataflowTransaction.from(t)));
        return out;
    }

    /**
     * Starts a refresh ({@code notifyOption} NoNotification: mail is for users, not service principals) and, with
     * {@code wait}, follows it until it ends.
     *
     * @param wait        null to return once the new transaction is visible (or within {@link WaitOptions#defaults()})
     * @param failOnError raise {@link DataflowRefreshFailedException} when it ends without success
     * @throws RefreshTimeoutException when it is still running after {@code wait.timeout()} (cancelled first if
     *                                 {@code wait.cancelOnTimeout()})
     */
    public DataflowTransaction refresh(String groupId, String dataflowId, WaitOptions wait, boolean failOnError) {
        WaitOptions options = wait != null ? wait : WaitOptions.defaults();
        Poller.Deadline deadline = poller.deadline(options.timeout());
        Set<String> before = new HashSet<>();
        listing(groupId, dataflowId)
                .path("value")
                .forEach(t -> before.add(t.path("id").asText()));
        try {
            client.send(PowerBiRequest.json(
                    "POST",
                    Api.group(groupId) + "/dataflows/" + Api.seg(dataflowId) + "/refreshes",
                    Map.of(),
                    Api.bytes(Map.of("notifyOption", "NoNotification")),
                    "dataflow " + dataflowId));
        } catch (PowerBiOutcomeUnknownException lost) {
            LOG.warn(
                    "the answer to refreshing dataflow {} was lost; looking for its transaction instead of starting another",
                    dataflowId);
            DataflowTransaction started = newTransaction(
                    groupId,
                    dataflowId,
                    before,
                    options,
                    poller.deadline(RefreshOperations.RECONCILE_WINDOW).earlier(deadline));
            if (started == null) {
                throw lost;
            }
            return follow(groupId, dataflowId, started, wait, failOnError, deadline);
        }
        DataflowTransaction started = newTransaction(groupId, dataflowId, before, options, deadline);
        if (started == null) {
            throw new RefreshTimeoutException(
                    "dataflow " + dataflowId + " accepted the refresh, but no new transaction showed up" + " within "
                            + deadline.timeout() + "; it may still start: check the dataflow's refresh history",
                    null,
                    null,
                    deadline.timeout(),
                    false);
        }
        LOG.info("started refresh {} of dataflow {}", started.id(), dataflowId);
        return follow(groupId, dataflowId, started, wait, failOnError, deadline);
    }

    private DataflowTransaction follow(
            String groupId,
            String dataflowId,
            DataflowTransaction started,
            WaitOptions wait,
            boolean failOnError,
            Poller.Deadline deadline) {
        if (wait == null) {
            return started;
        }
        DataflowTransaction now = started;
        while (!now.ended()) {
            if (poller.expired(deadline)) {
                throw timeout(groupId, dataflowId, now, wait, deadline);
            }
            poller.pause(wait.pollInterval(), deadline);
            DataflowTransaction seen = find(groupId, dataflowId, started.id());
            now = seen != null ? seen : now;
        }
        LOG.info("refresh {} of dataflow {} ended: {}", now.id(), dataflowId, now.status());
        if (!now.succeeded() && failOnError) {
            throw new DataflowRefreshFailedException(
                    "the refresh " + now.id() + " of dataflow " + dataflowId + " did not succeed: status "
                            + now.status() + " (ended " + now.endTime() + ")",
                    now);
        }
        return now;
    }

    private RefreshTimeoutException timeout(
            String groupId, String dataflowId, DataflowTransaction last, WaitOptions wait, Poller.Deadline deadline) {
        String note = "; it is still running in Power BI";
        boolean cancelled = false;
        if (wait.cancelOnTimeout()) {
            try {
                JsonNode answer = client.send(PowerBiRequest.emptyPost(
                                Api.group(groupId) + "/dataflows/transactions/" + Api.seg(last.id()) + "/cancel",
                                Map.of(),
                                "dataflow transaction " + last.id()))
                        .json();
                // the swagger's enum says successfullyMarked, its example SuccessfullyMarked
                cancelled = "successfullyMarked".equalsIgnoreCase(Api.text(answer, "status"));
                note = cancelled ? "; it was cancelled" : "; cancelling it answered " + Api.text(answer, "status");
            } catch (PowerBiException e) {
                note = "; cancelling it failed: " + e.getMessage();
            }
        }
        return new RefreshTimeoutException(
                "refresh " + last.id() + " of dataflow " + dataflowId + " did not finish within " + deadline.timeout()
                        + "; last status " + last.status() + note,
                last.id(),
                last.status(),
                deadline.timeout(),
                cancelled);
    }

    /** The transaction not there before, looked for until it shows up or {@code window} passes; null if none did. */
    private DataflowTransaction newTransaction(
            String groupId, String dataflowId, Set<String> before, WaitOptions options, Poller.Deadline window) {
        return poller.lookFor(
                () -> {
                    List<DataflowTransaction> fresh = new ArrayList<>();
                    listing(groupId, dataflowId).path("value").forEach(t -> {
                        if (!before.contains(t.path("id").asText())) {
                            fresh.add(DataflowTransaction.from(t));
                        }
                    });
                    // several new ones (someone else refreshed too): the earliest started is the one this request made
                    // at best
                    return fresh.stream()
                            .min((a, b) -> String.valueOf(a.startTime()).compareTo(String.valueOf(b.startTime())))
                            .orElse(null);
                },
                options.pollInterval(),
                window);
    }

    private DataflowTransaction find(String groupId, String dataflowId, String id) {
        for (JsonNode t : listing(groupId, dataflowId).path("value")) {
            if (id.equals(t.path("id").asText())) {
                return DataflowTransaction.from(t);
            }
        }
        return null;
    }

    private JsonNode listing(String groupId, String dataflowId) {
        return client.getJson(
                Api.group(groupId) + "/dataflows/" + Api.seg(dataflowId) + "/transactions",
                Map.of(),
                "dataflow " + dataflowId);
    }
}
