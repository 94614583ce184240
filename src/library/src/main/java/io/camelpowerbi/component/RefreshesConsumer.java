package io.camelpowerbi.component;

import com.fasterxml.jackson.core.type.TypeReference;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.operations.DataflowTransaction;
import io.camelpowerbi.operations.RefreshOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.StateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code powerbi:refreshes} consumer: watches the datasets of one workspace and emits one exchange per refresh that
 * reached a terminal state (Completed, Failed, Cancelled, Disabled; an enhanced refresh's TimedOut too), with its
 * {@link RefreshOutcome} (times, attempts, parsed {@code serviceExceptionJson} errors, the raw entry) in the body.
 * With {@code watchDataflows} it watches the workspace's dataflows too: one exchange per refresh transaction that ended
 * (it has an {@code endTime}; Microsoft documents no status values), with the {@link DataflowTransaction} in the body.
 *
 * <ul>
 * <li><b>A poll</b> reads {@code GET groups/{g}/datasets} once, then {@code GET .../refreshes?$top=top} for each watched
 * dataset: all of the workspace, the one named by {@code dataset}, or those whose whole name {@code datasetPattern}
 * matches. Datasets Power BI lists as not refreshable (push datasets) are skipped without a call. Each dataset's
 * terminal refreshes not emitted yet go to the route oldest first, one exchange at a time, synchronously. With
 * {@code watchDataflows}, the poll then reads {@code GET groups/{g}/dataflows} and each dataflow's
 * {@code GET .../transactions} (all of them: the call takes no {@code $top}), oldest first by start time.</li>
 * <li><b>Identity</b> of a refresh: its {@code requestId}, else the history entry's integer {@code id} (undocumented,
 * seen live), else its start time. A refresh still running ({@code Unknown}) is not emitted; it is when a later poll
 * sees it ended.</li>
 * <li><b>First start</b> (nothing stored): refreshes that ended before {@code endedAfter} (default a day back) are
 * not emitted. That point is stored at once and kept, so a later restart, however late, emits everything that ended
 * since (as far as the history's {@code top} entries reach) and a changed {@code endedAfter} does not move it.</li>
 * <li><b>State</b>, in a {@code StateRepository} (a file under {@code data/state/} by default): key
 * {@code powerbi-refreshes.<routeId>} holds the start point and the ids of the datasets with stored ids; key
 * {@code powerbi-refreshes.<routeId>.<datasetId>} the ids of that dataset's emitted refreshes that are still among its
 * latest {@code top} entries; {@code powerbi-refreshes.<routeId>.dataflow.<dataflowId>} a dataflow's that are still
 * listed (the first key indexes the dataflows apart). An id is added right after its exchange succeeded; ids that
 * dropped out of the history are pruned (the history is newest first, so they cannot come back), so the state stays
 * at most {@code top} ids per dataset. A dataset or dataflow deleted from the workspace has its ids cleared; a dataset
 * that only stops matching the pattern keeps them, so matching it again does not emit its old refreshes again.</li>
 * <li><b>Failures</b>: when the route fails, the exception handler sees it and the poll ends; that refresh is emitted
 * again next poll, nothing after it is skipped. A crash between the route's success and the state write emits that
 * one refresh again (at least once). A 429 whose {@code Retry-After} is longer than {@code maxRetryAfter} ends
 * the poll quietly; a 400, 403 or 404 on one dataset's or dataflow's history skips it (logged once) and the others
 * go on; any other error fails the poll and the scheduler tries again next time.</li>
 * <li><b>Budget</b>: 1 + (watched datasets) GET calls per poll (with {@code watchDataflows} 1 + (dataflows) more), every 30 s by default. Power BI does not document a
 * limit for these GET calls (powerbi-docs #2601; the documented ones are admin APIs, 200 an hour, and push, 120 POST a
 * minute), and answers 429 with {@code Retry-After} when it throttles, which the client honours. Watching a
 * workspace of 50 datasets costs ~100 calls a minute: raise {@code delay} or narrow {@code datasetPattern} for large
 * workspaces. {@code top} (default 10) must exceed the refreshes of one dataset that end between two polls; Power BI
 * runs one refresh per dataset at a time, so 10 is ample at 30 s.</li>
 * </ul>
 */
final class RefreshesConsumer extends PowerBiPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshesConsumer.class);
    private static final Set<Integer> SKIP_ITEM = Set.of(400, 403, 404);

    private final PowerBiEndpoint endpoint;
    private StateRepository<String, String> state;
    private String stateKey;
    private String workspace;
    private String dataset;
    private Pattern pattern;
    private boolean watchDataflows;
    private int top;
    private Root root;
    private final Set<String> warned = new HashSet<>(); // datasets and dataflows whose unreadable history was logged

    /** What is refreshed: each kind has its own index in {@link Root}, its own state keys and its own headers. */
    enum Kind {
        DATASET("dataset", "", "id", PowerBiConstants.DATASET_ID, PowerBiConstants.DATASET_NAME),
        DATAFLOW("dataflow", "dataflow.", "objectId", PowerBiConstants.DATAFLOW_ID, PowerBiConstants.DATAFLOW_NAME);

        private final String label;
        private final String keyPrefix;
        private final String idField; // in Power BI's listing
        private final String idHeader;
        private final String nameHeader;

        Kind(String label, String keyPrefix, String idField, String idHeader, String nameHeader) {
            this.label = label;
            this.keyPrefix = keyPrefix;
            this.idField = idField;
            this.idHeader = idHeader;
            this.nameHeader = nameHeader;
        }
    }

    /** The start point, and the datasets and dataflows whose emitted ids are stored under their own key. */
    record Root(Instant since, Set<String> datasets, Set<String> dataflows) {
        Root {
            datasets = datasets == null ? new LinkedHashSet<>() : datasets;
            dataflows =
                    dataflows == null ? new LinkedHashSet<>() : dataflows; // state stored before dataflows were watched
        }

        Set<String> indexed(Kind kind) {
            return kind == Kind.DATASET ? datasets : dataflows;
        }

        Root with(Kind kind, Set<String> ids) {
            return kind == Kind.DATASET ? new Root(since, ids, dataflows) : new Root(since, datasets, ids);
        }
    }

    private static final StateCodec<Root> ROOT = StateCodec.of(Root.class);
    /** A dataset's or dataflow's emitted refresh ids, under {@code stateKey.[dataflow.]id}. */
    private static final StateCodec<LinkedHashSet<String>> IDS =
            StateCodec.of(new TypeReference<LinkedHashSet<String>>() {});

    /** A watched dataset or dataflow, and how its history is read (oldest first). */
    private record Item(Kind kind, String id, String name, Supplier<List<Seen>> history) {}

    /** One refresh in an item's history: its id, whether and when it ended, its status, and the body to emit. */
    private record Seen(String id, boolean ended, Instant endedAt, String status, Object body) {}

    /** What one poll did so far. */
    private static final class Tally {
        int emitted;
        int watched;
    }

    RefreshesConsumer(PowerBiEndpoint endpoint, Processor processor) {
        super(endpoint, processor, "refreshes");
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        PowerBiConfiguration c = endpoint.getConfiguration();
        workspace = c.getWorkspace();
        if (workspace == null || workspace.isBlank()) {
            throw new InvalidOptionException(
                    "workspace",
                    "powerbi:refreshes watches the datasets of one workspace, and" + " none is given",
                    "set workspace to its name or id");
        }
        dataset = c.getDataset() == null || c.getDataset().isBlank()
                ? null
                : c.getDataset().trim();
        pattern = c.datasetPattern();
        if (dataset != null && pattern != null) {
            throw new InvalidOptionException(
                    "datasetPattern",
                    "both dataset and datasetPattern are set: one dataset, or" + " those the pattern matches?",
                    "keep one of them");
        }
        watchDataflows = c.isWatchDataflows();
        top = c.getTop();
        Clock clock = c.getClock() != null ? c.getClock() : Clock.systemUTC();
        Instant configuredStart = endedAfter(c.getEndedAfter(), clock.instant());
        String routeId = routeName();
        stateKey = stateKey();
        state = openState("");
        root = ROOT.decode(state.getState(stateKey));
        if (root == null) {
            root = new Root(configuredStart, new LinkedHashSet<>(), new LinkedHashSet<>());
            state.setState(stateKey, ROOT.encode(root));
            LOG.info(
                    "refreshes {}: no state stored; emitting refreshes of workspace {}{} that ended from {} on",
                    routeId,
                    workspace,
                    watchDataflows ? " (datasets and dataflows)" : "",
                    configuredStart);
        } else {
            LOG.info(
                    "refreshes {}: resuming (refreshes that ended before {} are not emitted; ids kept for {} datasets"
                            + " and {} dataflows)",
                    routeId,
                    root.since(),
                    root.datasets().size(),
                    root.dataflows().size());
        }
        super.doStart();
    }

    @Override
    protected int pollOnce() throws Exception {
        String groupId = endpoint.operations().names().workspaceId(workspace);
        Tally tally = new Tally();
        boolean complete = pollDatasets(groupId, tally) && (!watchDataflows || pollDataflows(groupId, tally));
        if (tally.emitted > 0) {
            LOG.info(
                    "refreshes: {} refresh outcome(s) emitted from {} watched item(s) of {}",
                    tally.emitted,
                    tally.watched,
                    workspace);
        }
        if (complete && running()) {
            caughtUp(); // every watched history was read
        }
        return tally.emitted;
    }

    /** Reads and emits the watched datasets' refreshes; false when the poll ended early. */
    private boolean pollDatasets(String groupId, Tally tally) {
        List<Map<String, Object>> datasets =
                list(Kind.DATASET, () -> endpoint.operations().datasets().listDatasets(groupId), tally);
        if (datasets == null) {
            return false;
        }
        List<Item> watched = new ArrayList<>();
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
            watched.add(new Item(Kind.DATASET, id, name, () -> {
                List<Seen> oldestFirst = new ArrayList<>();
                for (RefreshOutcome o : endpoint.operations().refreshes().recent(groupId, id, top)) { // newest first
                    oldestFirst.add(
                            0,
                            new Seen(o.refreshId(), o.finished(), endedAt(o.endTime(), o.startTime()), o.status(), o));
                }
                return oldestFirst;
            }));
        }
        return emit(groupId, watched, tally);
    }

    /** Reads and emits every dataflow's ended transactions (watchDataflows); false when the poll ended early. */
    private boolean pollDataflows(String groupId, Tally tally) {
        List<Map<String, Object>> dataflows =
                list(Kind.DATAFLOW, () -> endpoint.operations().dataflows().list(groupId), tally);
        if (dataflows == null) {
            return false;
        }
        List<Item> watched = new ArrayList<>();
        for (Map<String, Object> f : dataflows) {
            String id = text(f.get("objectId"));
            if (id != null) {
                // Microsoft documents no order for the transactions: oldest first by start time, whatever order they
                // come in
                watched.add(new Item(
                        Kind.DATAFLOW,
                        id,
                        text(f.get("name")),
                        () -> endpoint.operations().dataflows().history(groupId, id).stream()
                                .sorted(Comparator.comparing(
                                        (DataflowTransaction t) -> instant(t.startTime()),
                                        Comparator.nullsLast(Comparator.naturalOrder())))
                                .map(t ->
                                        new Seen(t.id(), t.ended(), endedAt(t.endTime(), t.startTime()), t.status(), t))
                                .toList()));
            }
        }
        return emit(groupId, watched, tally);
    }

    /** The workspace's datasets or dataflows, the deleted ones' ids forgotten; null when throttled (the poll ends). */
    private List<Map<String, Object>> list(Kind kind, Supplier<List<Map<String, Object>>> call, Tally tally) {
        List<Map<String, Object>> items;
        try {
            items = call.get();
        } catch (PowerBiException e) {
            if (throttled(e, "listing the " + kind.label + "s of " + workspace, tally)) {
                return null;
            }
            throw e;
        }
        forgetDeleted(kind, items);
        return items;
    }

    /** Reads each item's history and emits its new ended refreshes; false when the poll ended early. */
    private boolean emit(String groupId, List<Item> items, Tally tally) {
        for (Item item : items) {
            tally.watched++;
            List<Seen> history;
            try {
                history = item.history().get();
            } catch (PowerBiException e) {
                if (throttled(
                        e, "reading the refresh history of " + item.kind().label + " '" + item.name() + "'", tally)) {
                    return false;
                }
                if (skipped(e, item)) {
                    continue;
                }
                throw e;
            }
            warned.remove(item.id());
            if (!emit(groupId, item, history, tally)) {
                return false;
            }
        }
        return true;
    }

    /** True (logged) when Power BI throttled the call beyond what the client waits out: the poll ends quietly. */
    private static boolean throttled(PowerBiException e, String what, Tally tally) {
        if (e.httpStatus() != 429) {
            return false;
        }
        LOG.warn(
                "refreshes: throttled by Power BI {} (429, Retry-After {} s); {} outcome(s) emitted this poll, the rest"
                        + " next poll",
                what,
                e.retryAfterSeconds(),
                tally.emitted);
        return true;
    }

    /** True when one item's history cannot be read (400, 403, 404): it is skipped, logged once, the others go on. */
    private boolean skipped(PowerBiException e, Item item) {
        if (!SKIP_ITEM.contains(e.httpStatus())) {
            return false;
        }
        if (warned.add(item.id())) {
            LOG.warn(
                    "refreshes: cannot read the refresh history of {} {} '{}' ({}); it is skipped until it can be read",
                    item.kind().label,
                    item.id(),
                    item.name(),
                    e.getMessage());
        }
        return true;
    }

    /**
     * Emits one item's ended refreshes not emitted yet, oldest first, and prunes the ids no longer in its history; false
     * when the route failed or the consumer is stopping (the poll ends).
     */
    private boolean emit(String groupId, Item item, List<Seen> oldestFirst, Tally tally) {
        Set<String> done = ids(state.getState(key(item.kind(), item.id())));
        Set<String> before = new LinkedHashSet<>(done);
        Set<String> visible = new LinkedHashSet<>();
        boolean complete = true;
        for (Seen refresh : oldestFirst) {
            String refreshId = refresh.id();
            if (refreshId == null || refreshId.contains(",")) {
                continue; // cannot be remembered, so it is never emitted rather than emitted every poll
            }
            visible.add(refreshId);
            if (!refresh.ended()
                    || done.contains(refreshId)
                    || (refresh.endedAt() != null && refresh.endedAt().isBefore(root.since()))) {
                continue;
            }
            if (!running()
                    || !process(
                            exchange(groupId, item, refresh),
                            "refreshes: the route failed on refresh " + refreshId + " of " + item.kind().label + " '"
                                    + item.name() + "'; it is emitted again next poll")) {
                complete = false;
                break;
            }
            tally.emitted++;
            done.add(refreshId);
            save(item.kind(), item.id(), done);
        }
        if (complete) {
            done.retainAll(visible); // only when every entry was seen: an id after the break is not gone
        }
        if (!done.equals(before)) {
            save(item.kind(), item.id(), done);
        }
        return complete && running();
    }

    private Exchange exchange(String groupId, Item item, Seen refresh) {
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(refresh.body());
        exchange.getMessage().setHeader(PowerBiConstants.WORKSPACE_ID, groupId);
        exchange.getMessage().setHeader(item.kind().idHeader, item.id());
        exchange.getMessage().setHeader(item.kind().nameHeader, item.name());
        exchange.getMessage().setHeader(PowerBiConstants.REFRESH_ID, refresh.id());
        exchange.getMessage().setHeader(PowerBiConstants.REFRESH_STATUS, refresh.status());
        return exchange;
    }

    private boolean watches(String id, String name) {
        if (dataset != null) {
            return dataset.equalsIgnoreCase(id) || dataset.equals(name);
        }
        return pattern == null || (name != null && pattern.matcher(name).matches());
    }

    /** Clears the ids of items no longer in the workspace (deleted), and drops them from the index. */
    private void forgetDeleted(Kind kind, List<Map<String, Object>> items) {
        Set<String> listed = new LinkedHashSet<>();
        items.forEach(item -> {
            String id = text(item.get(kind.idField));
            if (id != null) {
                listed.add(id);
            }
        });
        Set<String> gone = new LinkedHashSet<>(root.indexed(kind));
        gone.removeAll(listed);
        if (!gone.isEmpty()) {
            for (String id : gone) {
                state.setState(key(kind, id), "");
            }
            Set<String> kept = new LinkedHashSet<>(root.indexed(kind));
            kept.removeAll(gone);
            root = root.with(kind, kept);
            state.setState(stateKey, ROOT.encode(root));
            LOG.info("refreshes: {}s {} are no longer in {}; their ids are forgotten", kind.label, gone, workspace);
        }
    }

    private void save(Kind kind, String itemId, Set<String> ids) {
        if (!ids.isEmpty() && !root.indexed(kind).contains(itemId)) {
            // indexed before its ids are written, so a deleted item's key is always found and cleared
            Set<String> indexed = new LinkedHashSet<>(root.indexed(kind));
            indexed.add(itemId);
            root = root.with(kind, indexed);
            state.setState(stateKey, ROOT.encode(root));
        }
        state.setState(key(kind, itemId), IDS.encode(new LinkedHashSet<>(ids)));
    }

    private String key(Kind kind, String itemId) {
        return stateKey + "." + kind.keyPrefix + itemId;
    }

    /** The stored state (for tests and tooling). */
    Root root() {
        return root;
    }

    // ------------------------------------------------------------------ helpers

    /** When a refresh ended, or (no end time given) started: what endedAfter is compared with. */
    private static Instant endedAt(String endTime, String startTime) {
        Instant end = instant(endTime);
        return end != null ? end : instant(startTime);
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
