package io.camelpowerbi.component;

import com.fasterxml.jackson.core.type.TypeReference;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.operations.RefreshOutcome;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.StateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code powerbi:refreshes} consumer: watches the datasets of one workspace and emits one exchange per refresh that
 * reached a terminal state (Completed, Failed, Cancelled, Disabled; an enhanced refresh's TimedOut too), with its
 * {@link RefreshOutcome} (times, attempts, parsed {@code serviceExceptionJson} errors, the raw entry) in the body.
 *
 * <ul>
 * <li><b>A poll</b> reads {@code GET groups/{g}/datasets} once, then {@code GET .../refreshes?$top=top} for each watched
 * dataset: all of the workspace, the one named by {@code dataset}, or those whose whole name {@code datasetPattern}
 * matches. Datasets Power BI lists as not refreshable (push datasets) are skipped without a call. Each dataset's
 * terminal refreshes not emitted yet go to the route oldest first, one exchange at a time, synchronously.</li>
 * <li><b>Identity</b> of a refresh: its {@code requestId}, else the history entry's integer {@code id} (undocumented,
 * seen live), else its start time. A refresh still running ({@code Unknown}) is not emitted; it is when a later poll
 * sees it ended.</li>
 * <li><b>First start</b> (nothing stored): refreshes that ended before {@code endedAfter} (default a day back) are
 * not emitted. That point is stored at once and kept, so a later restart, however late, emits everything that ended
 * since (as far as the history's {@code top} entries reach) and a changed {@code endedAfter} does not move it.</li>
 * <li><b>State</b>, in a {@code StateRepository} (a file under {@code data/state/} by default): key
 * {@code powerbi-refreshes.<routeId>} holds the start point and the ids of the datasets with stored ids; key
 * {@code powerbi-refreshes.<routeId>.<datasetId>} the ids of that dataset's emitted refreshes that are still among its
 * latest {@code top} entries. An id is added right after its exchange succeeded; ids that dropped out of the history
 * are pruned (the history is newest first, so they cannot come back), so the state stays at most {@code top} ids per
 * dataset. A dataset deleted from the workspace has its ids cleared; one that only stops matching the pattern keeps
 * them, so matching it again does not emit its old refreshes again.</li>
 * <li><b>Failures</b>: when the route fails, the exception handler sees it and the poll ends; that refresh is emitted
 * again next poll, nothing after it is skipped. A crash between the route's success and the state write emits that
 * one refresh again (at least once). A 429 whose {@code Retry-After} is longer than {@code maxRetryAfter} ends
 * the poll quietly; a 400, 403 or 404 on one dataset's history skips that dataset (logged once) and the others go on;
 * any other error fails the poll and the scheduler tries again next time.</li>
 * <li><b>Budget</b>: 1 + (watched datasets) GET calls per poll, every 30 s by default. Power BI does not document a
 * limit for these GET calls (powerbi-docs #2601; the documented ones are admin APIs, 200 an hour, and push, 120 POST a
 * minute), and answers 429 with {@code Retry-After} when it throttles, which the client honours. Watching a
 * workspace of 50 datasets costs ~100 calls a minute: raise {@code delay} or narrow {@code datasetPattern} for large
 * workspaces. {@code top} (default 10) must exceed the refreshes of one dataset that end between two polls; Power BI
 * runs one refresh per dataset at a time, so 10 is ample at 30 s.</li>
 * </ul>
 */
final class RefreshesConsumer extends PowerBiPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshesConsumer.class);
    private static final Set<Integer> SKIP_DATASET = Set.of(400, 403, 404);

    private final PowerBiEndpoint endpoint;
    private StateRepository<String, String> state;
    private String stateKey;
    private String workspace;
    private String dataset;
    private Pattern pattern;
    private int top;
    private Root root;
    private final Set<String> warned = new HashSet<>(); // datasets whose unreadable history was logged

    /** The start point and the datasets whose emitted ids are stored under their own key. */
    record Root(Instant since, Set<String> datasets) {
    }

    private static final StateCodec<Root> ROOT = StateCodec.of(Root.class);
    /** A dataset's emitted refresh ids, under {@code stateKey.datasetId}. */
    private static final StateCodec<LinkedHashSet<String>> IDS = StateCodec.of(
            new TypeReference<LinkedHashSet<String>>() {
            });

    RefreshesConsumer(PowerBiEndpoint endpoint, Processor processor) {
        super(endpoint, processor, "refreshes");
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        PowerBiConfiguration c = endpoint.getConfiguration();
        workspace = c.getWorkspace();
        if (workspace == null || workspace.isBlank()) {
            throw new InvalidOptionException("workspace", "powerbi:refreshes watches the datasets of one workspace, and"
                    + " none is given", "set workspace to its name or id");
        }
        dataset = c.getDataset() == null || c.getDataset().isBlank() ? null : c.getDataset().trim();
        pattern = c.datasetPattern();
        if (dataset != null && pattern != null) {
            throw new InvalidOptionException("datasetPattern", "both dataset and datasetPattern are set: one dataset, or"
                    + " those the pattern matches?", "keep one of them");
        }
        top = c.getTop();
        Clock clock = c.getClock() != null ? c.getClock() : Clock.systemUTC();
        Instant configuredStart = endedAfter(c.getEndedAfter(), clock.instant());
        String routeId = routeName();
        stateKey = stateKey();
        state = openState("");
        root = ROOT.decode(state.getState(stateKey));
        if (root == null) {
            root = new Root(configuredStart, new LinkedHashSet<>());
            state.setState(stateKey, ROOT.encode(root));
            LOG.info("refreshes {}: no state stored; emitting refreshes of workspace {} that ended from {} on", routeId,
                    workspace, configuredStart);
        } else {
            LOG.info("refreshes {}: resuming (refreshes that ended before {} are not emitted; ids kept for {} datasets)",
                    routeId, root.since(), root.datasets().size());
        }
        super.doStart();
    }

    @Override
    protected int pollOnce() throws Exception {
        String groupId = endpoint.operations().names().workspaceId(workspace);
        List<Map<String, Object>> datasets;
        try {
            datasets = endpoint.operations().datasets().listDatasets(groupId);
        } catch (PowerBiException e) {
            if (e.httpStatus() == 429) {
                LOG.warn("refreshes: throttled by Power BI listing the datasets of {} (429, Retry-After {} s); next poll"
                        + " continues", workspace, e.retryAfterSeconds());
                return 0;
            }
            throw e;
        }
        forgetDeleted(datasets);
        int emitted = 0;
        int watched = 0;
        boolean stoppedEarly = false;
        for (Map<String, Object> d : datasets) {
            String id = text(d.get("id"));
            String name = text(d.get("name"));
            if (id == null || !watches(id, name)) {
                continue;
            }
            if (Boolean.FALSE.equals(d.get("isRefreshable"))) {
                LOG.debug("refreshes: dataset {} '{}' is not refreshable (a push dataset); skipped", id, name);
                continue;
            }
            watched++;
            List<RefreshOutcome> history;
            try {
                history = endpoint.operations().refreshes().recent(groupId, id, top);
            } catch (PowerBiException e) {
                if (e.httpStatus() == 429) {
                    LOG.warn("refreshes: throttled by Power BI reading the refreshes of dataset '{}' (429, Retry-After {}"
                            + " s); {} outcomes emitted this poll, the rest next poll", name, e.retryAfterSeconds(), emitted);
                    return emitted;
                }
                if (SKIP_DATASET.contains(e.httpStatus())) {
                    if (warned.add(id)) {
                        LOG.warn("refreshes: cannot read the refresh history of dataset {} '{}' ({}); it is skipped until"
                                + " it can be read", id, name, e.getMessage());
                    }
                    continue;
                }
                throw e;
            }
            warned.remove(id);
            DatasetPoll result = emit(groupId, id, name, history);
            emitted += result.emitted;
            if (result.failed || !running()) {
                stoppedEarly = true;
                break;
            }
        }
        if (emitted > 0) {
            LOG.info("refreshes: {} refresh outcome(s) emitted from {} watched dataset(s) of {}", emitted, watched, workspace);
        }
        if (running() && !stoppedEarly) {
            caughtUp(); // every watched dataset's history was read
        }
        return emitted;
    }

    private record DatasetPoll(int emitted, boolean failed) {
    }

    /** Emits one dataset's new terminal refreshes, oldest first, and prunes the ids no longer in its history. */
    private DatasetPoll emit(String groupId, String datasetId, String name, List<RefreshOutcome> history) {
        Set<String> done = ids(state.getState(key(datasetId)));
        Set<String> before = new LinkedHashSet<>(done);
        Set<String> visible = new LinkedHashSet<>();
        List<RefreshOutcome> oldestFirst = new ArrayList<>(history);
        Collections.reverse(oldestFirst);
        int emitted = 0;
        boolean failed = false;
        for (RefreshOutcome outcome : oldestFirst) {
            String refreshId = outcome.refreshId();
            if (refreshId == null || refreshId.contains(",")) {
                continue; // cannot be remembered, so it is never emitted rather than emitted every poll
            }
            visible.add(refreshId);
            if (!outcome.finished() || done.contains(refreshId) || endedBefore(outcome, root.since())) {
                continue;
            }
            if (!running()) {
                break;
            }
            if (!process(exchange(groupId, datasetId, name, outcome))) {
                failed = true;
                break;
            }
            emitted++;
            done.add(refreshId);
            save(datasetId, done);
        }
        if (!failed) {
            done.retainAll(visible);
        }
        if (!done.equals(before)) {
            save(datasetId, done);
        }
        return new DatasetPoll(emitted, failed);
    }

    private Exchange exchange(String groupId, String datasetId, String name, RefreshOutcome outcome) {
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(outcome);
        exchange.getMessage().setHeader(PowerBiConstants.WORKSPACE_ID, groupId);
        exchange.getMessage().setHeader(PowerBiConstants.DATASET_ID, datasetId);
        exchange.getMessage().setHeader(PowerBiConstants.DATASET_NAME, name);
        exchange.getMessage().setHeader(PowerBiConstants.REFRESH_ID, outcome.refreshId());
        exchange.getMessage().setHeader(PowerBiConstants.REFRESH_STATUS, outcome.status());
        return exchange;
    }

    /** Runs the route on one outcome; false (after the exception handler saw it) when it failed. */
    private boolean process(Exchange exchange) {
        return process(exchange, "refreshes: the route failed on refresh "
                + exchange.getMessage().getHeader(PowerBiConstants.REFRESH_ID) + " of dataset '"
                + exchange.getMessage().getHeader(PowerBiConstants.DATASET_NAME) + "'; it is emitted again next poll");
    }

    private boolean watches(String id, String name) {
        if (dataset != null) {
            return dataset.equalsIgnoreCase(id) || dataset.equals(name);
        }
        return pattern == null || (name != null && pattern.matcher(name).matches());
    }

    /** Clears the ids of datasets that are no longer in the workspace (deleted), and drops them from the index. */
    private void forgetDeleted(List<Map<String, Object>> datasets) {
        Set<String> listed = new LinkedHashSet<>();
        datasets.forEach(d -> {
            String id = text(d.get("id"));
            if (id != null) {
                listed.add(id);
            }
        });
        Set<String> gone = new LinkedHashSet<>(root.datasets());
        gone.removeAll(listed);
        if (!gone.isEmpty()) {
            for (String id : gone) {
                state.setState(key(id), "");
            }
            Set<String> kept = new LinkedHashSet<>(root.datasets());
            kept.removeAll(gone);
            root = new Root(root.since(), kept);
            state.setState(stateKey, ROOT.encode(root));
            LOG.info("refreshes: datasets {} are no longer in {}; their ids are forgotten", gone, workspace);
        }
    }

    private void save(String datasetId, Set<String> ids) {
        if (!ids.isEmpty() && !root.datasets().contains(datasetId)) {
            // indexed before its ids are written, so a deleted dataset's key is always found and cleared
            Set<String> indexed = new LinkedHashSet<>(root.datasets());
            indexed.add(datasetId);
            root = new Root(root.since(), indexed);
            state.setState(stateKey, ROOT.encode(root));
        }
        state.setState(key(datasetId), IDS.encode(new LinkedHashSet<>(ids)));
    }

    private String key(String datasetId) {
        return stateKey + "." + datasetId;
    }

    /** The stored state (for tests and tooling). */
    Root root() {
        return root;
    }

    Set<String> emittedIds(String datasetId) {
        return ids(state.getState(key(datasetId)));
    }

    // ------------------------------------------------------------------ helpers

    private static boolean endedBefore(RefreshOutcome outcome, Instant since) {
        Instant end = instant(outcome.endTime());
        if (end == null) {
            end = instant(outcome.startTime());
        }
        return end != null && end.isBefore(since);
    }

    private static Instant instant(String text) {
        return text == null ? null : ActivityEventsConsumer.creationTime(text);
    }

    private static Set<String> ids(String text) {
        Set<String> ids = IDS.decode(text);
        return ids == null ? new LinkedHashSet<>() : ids;
    }

    private static String text(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    /**
     * {@code endedAfter}: an ISO instant or a duration back from now, unset a day back (no 30-day limit: the history
     * has its own depth, {@code top}).
     */
    static Instant endedAfter(String value, Instant now) {
        Instant since = PowerBiConfiguration.pointInTime("endedAfter", value, now);
        return since != null ? since : now.minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MILLIS);
    }
}
