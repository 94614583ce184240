package io.camelpowerbi.component;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.client.PowerBiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.spi.StateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code powerbi:scan} consumer: Power BI's metadata scanner (https://learn.microsoft.com/en-us/power-bi/enterprise/service-admin-metadata-scanning), one exchange per workspace.
 *
 * <p><b>A run.</b> When due, a poll notes the time, calls {@code workspaces/modified?modifiedSince=<checkpoint>} (with
 * {@code excludePersonalWorkspaces} / {@code excludeInActiveWorkspaces}), cuts the list into batches of
 * {@code scanBatchSize} (at most 100), keeps at most {@code maxScansInFlight} (at most 16) {@code getInfo} scans
 * running, polls each one's {@code scanStatus} every {@code scanPollInterval} (or after Power BI's
 * {@code Retry-After}, on the 202 or on a status answer), fetches {@code scanResult} once it is {@code Succeeded} and
 * hands each workspace of the result to the route, synchronously: body the workspace object as a {@code Map} (with
 * {@code datasourceDetails}, plus a {@code datasourceInstances} list of the instances its artifacts use), headers
 * {@code CamelPowerBiWorkspaceId}, {@code CamelPowerBiWorkspaceName}, {@code CamelPowerBiScanId} and the run's
 * checkpoints. When every workspace of the run was delivered, the time noted before the {@code modified} call becomes
 * the checkpoint: a workspace changed while the run went on is listed again by the next run.
 *
 * <p><b>The first run</b> is a full scan (no {@code modifiedSince}: every workspace), since a scanner is used for an
 * inventory; with {@code modifiedSince} set, it lists only the workspaces modified since then. Power BI takes a
 * {@code modifiedSince} between 30 minutes and 30 days ago: a run starts only once the checkpoint is 31 minutes old (a
 * minute for clock skew), so polls in between cost nothing; a checkpoint older than 30 days (the consumer was stopped
 * that long) gives a full scan instead, with a warning.
 *
 * <p><b>State</b> ({@code stateRepository}; by default {@code stateFile}, replaced atomically on each save): the
 * checkpoint, the current run's start, the indices of its batches already delivered and the ids delivered of the
 * others, written after every exchange; and, under its own key and once per run, the run's workspace list (by default
 * in a file of its own beside {@code stateFile}, {@code .workspaces}, so the saves after each exchange stay small). A
 * stop lets the workspace in hand finish first ({@link PollDrain}). A route failure goes to the exception handler and ends the poll; the
 * next poll delivers that workspace again from the result in memory and goes on. After a restart the run is rebuilt
 * from the stored list: delivered batches are not scanned again, the ids already delivered are left out of their
 * batch's new scan. So every workspace of a run reaches the route once.
 *
 * <p><b>Failures.</b> A scan that ends {@code Failed} or is not {@code Succeeded} within {@code scanTimeout} goes to the
 * exception handler as a {@link ScanFailedException} naming its workspaces, which are scanned again on the next poll.
 * Power BI keeps a result 24 hours: a {@code scanResult} or {@code scanStatus} answering 404 sends the batch again. A
 * 429 is waited out by the client up to {@code maxRetryAfter}; a longer {@code Retry-After} ends the poll and no
 * call is made before it has passed. Client-side budgets keep the calls within Power BI's hourly limits
 * ({@code maxModifiedCallsPerHour} 30, {@code maxScansPerHour} 500, {@code maxScanStatusCallsPerHour} 10,000,
 * {@code maxScanResultCallsPerHour} 500, per consumer): a batch waits for getInfo's budget while running scans are
 * still polled. Its readiness check and lag metric come from {@link PowerBiPollingConsumer}.
 */
final class ScanConsumer extends PowerBiPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ScanConsumer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /** Power BI wants modifiedSince at least 30 minutes back; one more for clock skew between us and the service. */
    static final Duration MIN_AGE = Duration.ofMinutes(31);
    /** ... and at most 30 days back; an hour less, so a run started near the edge is not refused. */
    static final Duration MAX_AGE = Duration.ofDays(30).minusHours(1);
    /** The run's workspace list, kept under its own key and written once per run. */
    private static final StateCodec<List<String>> LIST = StateCodec.of(new TypeReference<List<String>>() {});

    private final PowerBiEndpoint endpoint;
    private StateRepository<String, String> state;
    /** Where the run's workspace list goes: the state repository, or by default a file of its own (see doStart). */
    private StateRepository<String, String> listState;

    private String stateKey;
    private String listKey;
    private Clock clock;
    private ScannerApi api;
    private ScannerApi.Options options;
    private long pollIntervalNanos;
    private long timeoutNanos;
    private volatile ScanState scanState;
    private ScanRun run;
    private int delivered;

    ScanConsumer(PowerBiEndpoint endpoint, Processor processor) {
        super(endpoint, processor, "scan");
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        PowerBiConfiguration c = endpoint.getConfiguration();
        pollIntervalNanos = c.getScanPollInterval().toNanos();
        timeoutNanos = c.getScanTimeout().toNanos();
        clock = c.getClock() != null ? c.getClock() : Clock.systemUTC();
        options = new ScannerApi.Options(
                c.isLineage(),
                c.isDatasourceDetails(),
                c.isDatasetSchema(),
                c.isDatasetExpressions(),
                c.isGetArtifactUsers());
        api = new ScannerApi(
                endpoint::client, c, c.getRequestLimitPeriod(), this::running, this::budgetWaited, sleeper);
        Instant configuredStart = modifiedSince(c.getModifiedSince(), clock.instant());
        String routeId = routeName();
        stateKey = stateKey();
        listKey = stateKey + ".workspaces";
        state = openState("");
        // The run's list (up to MBs) has a file of its own, written once a run, so a save after each exchange rewrites
        // only the small state
        listState = openState(".workspaces");
        scanState = ScanState.CODEC.decode(state.getState(stateKey));
        run = null;
        if (scanState == null) {
            scanState = ScanState.idle(configuredStart);
            LOG.info(
                    "scan {}: no checkpoint stored; the first run scans {}",
                    routeId,
                    configuredStart == null ? "every workspace" : "the workspaces modified since " + configuredStart);
        } else if (scanState.running()) {
            LOG.info(
                    "scan {}: resuming the run started {} ({} batches of it already delivered)",
                    routeId,
                    scanState.runStarted(),
                    scanState.doneBatches().size());
        } else {
            LOG.info(
                    "scan {}: next run scans the workspaces modified since {}",
                    routeId,
                    scanState.checkpoint() == null ? "ever (full scan)" : scanState.checkpoint());
        }
        // behind now: since the checkpoint of the last complete run (none before the first one)
        reportLag(() -> {
            Instant checkpoint = scanState.checkpoint();
            return checkpoint == null ? null : Duration.between(checkpoint, clock.instant());
        });
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        run = null; // scans in flight are abandoned; the stored state has what was delivered
    }

    @Override
    protected int pollOnce() throws Exception {
        api.resetThrottled();
        delivered = 0;
        if (heldOff()) {
            return 0;
        }
        try {
            if (run == null && !begin()) {
                caughtUp(); // no run due
                return 0;
            }
            run.waiting.addAll(run.retryNextPoll);
            run.retryNextPoll.clear();
            drive();
            if (run.complete()) {
                finish();
                caughtUp();
            }
        } catch (PowerBiException e) {
            if (e.httpStatus() != 429) {
                throw e;
            }
            holdOff(e.retryAfter().filter(wait -> !wait.isZero()).orElse(Duration.ofNanos(pollIntervalNanos)));
            LOG.warn(
                    "scan: throttled by Power BI (429, Retry-After {} s, longer than maxRetryAfter): no call"
                            + " before then; {} workspaces delivered in this poll, the run goes on afterwards",
                    e.retryAfterSeconds(),
                    delivered);
        }
        return delivered;
    }

    /** Starts a run when one is due, or rebuilds the stored one after a restart; false when there is nothing to do. */
    private boolean begin() throws InterruptedException {
        if (scanState.running()) {
            List<String> list = LIST.decode(listState.getState(listKey));
            if (list == null) {
                LOG.warn(
                        "scan: the stored run of {} has no workspace list under {}; starting it again",
                        scanState.runStarted(),
                        listKey);
                scanState = ScanState.idle(scanState.checkpoint());
                save();
            } else {
                run = new ScanRun(
                        scanState.checkpoint(),
                        scanState.runStarted(),
                        list,
                        scanState.batchSize(),
                        scanState.doneBatches());
                LOG.info(
                        "scan: resumed the run started {}: {} workspaces, {} of {} batches to deliver",
                        run.started,
                        run.workspaceCount,
                        run.waiting.size(),
                        run.batches.size());
                return true;
            }
        }
        Instant now = clock.instant();
        Instant since = scanState.checkpoint();
        if (since != null && since.isAfter(now.minus(MIN_AGE))) {
            return false; // Power BI refuses a modifiedSince less than 30 minutes back
        }
        if (since != null && since.isBefore(now.minus(MAX_AGE))) {
            LOG.warn(
                    "scan: checkpoint {} is older than the 30 days workspaces/modified looks back; scanning every"
                            + " workspace instead",
                    since);
            since = null;
        }
        Instant started = now.truncatedTo(ChronoUnit.MILLIS); // before the call: later changes go to the next run
        PowerBiConfiguration c = endpoint.getConfiguration();
        List<String> listed = api.modified(since, c.isExcludePersonalWorkspaces(), c.isExcludeInActiveWorkspaces());
        if (listed == null) {
            return false; // stopping
        }
        List<String> ids = listed.stream().map(ScanConsumer::normal).distinct().toList();
        listState.setState(listKey, LIST.encode(ids));
        scanState = scanState.started(since, started, c.getScanBatchSize());
        save();
        run = new ScanRun(since, started, ids, c.getScanBatchSize(), Set.of());
        LOG.info(
                "scan: {} workspaces {}; {} getInfo batches",
                ids.size(),
                since == null ? "in all (full scan)" : "modified since " + since,
                run.batches.size());
        return true;
    }

    private void finish() {
        scanState = scanState.completed();
        save();
        listState.setState(listKey, "");
        LOG.info("scan: run of {} workspaces done; checkpoint {}", run.workspaceCount, scanState.checkpoint());
        run = null;
    }

    /** Sends, polls and delivers until the run has nothing left for this poll, the route failed, or stopping. */
    private void drive() throws Exception {
        while (running()) {
            if (!run.ready.isEmpty()) {
                if (!deliver(run.ready.peek())) {
                    return; // the route failed: the result stays in memory for the next poll
                }
                run.ready.poll();
                continue;
            }
            submit();
            if (run.drained()) {
                return;
            }
            long now = sleeper.nanoTime();
            boolean polled = false;
            for (ScanRun.Scan scan : List.copyOf(run.scanning)) {
                if (now - scan.nextPollNanos >= 0 && running()) {
                    check(scan);
                    polled = true;
                }
            }
            if (!polled && run.ready.isEmpty()) {
                pause();
            }
        }
    }

    /** Starts scans of waiting batches while fewer than maxScansInFlight run and getInfo's budget has room. */
    private void submit() throws InterruptedException {
        int max = endpoint.getConfiguration().getMaxScansInFlight();
        while (!run.waiting.isEmpty() && run.scanning.size() < max && running() && api.getInfoWaitNanos() == 0) {
            int batch = run.waiting.peek();
            List<String> ids = run.batches.get(batch).stream()
                    .filter(id -> !scanState.delivered(batch, id))
                    .toList();
            if (ids.isEmpty()) {
                run.waiting.poll();
                scanState = scanState.withBatchDone(batch);
                save();
                continue;
            }
            ScannerApi.ScanRequest request = api.getInfo(ids, options);
            if (request == null) {
                return;
            }
            if (request.id() == null) {
                throw new IllegalStateException(
                        "scan: getInfo answered without a scan id; batch " + batch + " is sent again on the next poll");
            }
            run.waiting.poll();
            long now = sleeper.nanoTime();
            run.scanning.add(new ScanRun.Scan(batch, ids, request.id(), now, now + interval(request.retryAfter())));
            LOG.debug("scan: {} started for batch {} ({} workspaces)", request.id(), batch, ids.size());
        }
    }

    /** Reads one scan's status; a succeeded scan's result is fetched and made ready for delivery. */
    private void check(ScanRun.Scan scan) throws InterruptedException {
        ScannerApi.ScanRequest status;
        JsonNode result = null;
        try {
            status = api.scanStatus(scan.id);
            if (status == null) {
                return;
            }
            if ("Succeeded".equalsIgnoreCase(status.status())) {
                result = api.scanResult(scan.id);
                if (result == null) {
                    return;
                }
            }
        } catch (PowerBiException e) {
            if (e.httpStatus() != 404) {
                throw e;
            }
            // guess (as the sandbox): an unknown scan and a result past its 24 hours are 404
            LOG.warn(
                    "scan: {} of batch {} is no longer known to Power BI (404; results are kept 24 h); scanning"
                            + " its {} workspaces again",
                    scan.id,
                    scan.batch,
                    scan.workspaceIds.size());
            run.scanning.remove(scan);
            run.waiting.addFirst(scan.batch);
            return;
        }
        long now = sleeper.nanoTime();
        if (result != null) {
            scan.result = result;
            run.scanning.remove(scan);
            run.ready.add(scan);
        } else if ("Failed".equalsIgnoreCase(status.status())) {
            failed(scan, "failed" + describe(status.error()));
        } else if (now - scan.startedNanos >= timeoutNanos) {
            failed(
                    scan,
                    "did not succeed within scanTimeout "
                            + endpoint.getConfiguration().getScanTimeout() + " (status " + status.status() + ")");
        } else {
            scan.nextPollNanos = now + interval(status.retryAfter());
        }
    }

    private void failed(ScanRun.Scan scan, String reason) {
        run.scanning.remove(scan);
        run.retryNextPoll.add(scan.batch);
        getExceptionHandler()
                .handleException(
                        "scan: a getInfo scan " + reason + "; the run's checkpoint stays until"
                                + " its workspaces were delivered",
                        new ScanFailedException(scan.id, scan.workspaceIds, reason));
    }

    /** Delivers the result's workspaces not yet delivered; false when the route failed (or stopping). */
    private boolean deliver(ScanRun.Scan scan) {
        Map<String, JsonNode> instances =
                endpoint.getConfiguration().isDatasourceDetails() ? instancesById(scan.result) : null;
        Set<String> returned = new HashSet<>();
        for (JsonNode workspace : scan.result.path("workspaces")) {
            String id = normal(workspace.path("id").asText(""));
            returned.add(id);
            if (id.isEmpty() || scanState.delivered(scan.batch, id)) {
                continue;
            }
            if (!running() || !process(exchange(scan, workspace, instances))) {
                return false;
            }
            delivered++;
            scanState = scanState.withDelivered(scan.batch, id);
            save();
        }
        long missing =
                scan.workspaceIds.stream().filter(id -> !returned.contains(id)).count();
        if (missing > 0) {
            // Power BI leaves out what it cannot find, e.g. a workspace deleted since it was listed
            LOG.info(
                    "scan: {} of the {} workspaces of scan {} are not in its result",
                    missing,
                    scan.workspaceIds.size(),
                    scan.id);
        }
        scanState = scanState.withBatchDone(scan.batch);
        save();
        return true;
    }

    private Exchange exchange(ScanRun.Scan scan, JsonNode workspace, Map<String, JsonNode> instances) {
        Map<String, Object> body = JSON.convertValue(workspace, MAP);
        if (instances != null) {
            List<Object> used = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String ref : workspace.findValuesAsText("datasourceInstanceId")) {
                JsonNode instance = instances.get(normal(ref));
                if (instance != null && seen.add(normal(ref))) {
                    used.add(JSON.convertValue(instance, MAP));
                }
            }
            body.put("datasourceInstances", used);
        }
        Exchange exchange = createExchange(false);
        Message m = exchange.getMessage();
        m.setBody(body);
        m.setHeader(PowerBiConstants.WORKSPACE_ID, workspace.path("id").asText());
        m.setHeader(PowerBiConstants.WORKSPACE_NAME, workspace.path("name").asText(null));
        m.setHeader(PowerBiConstants.SCAN_ID, scan.id);
        if (run.modifiedSince != null) {
            m.setHeader(PowerBiConstants.SCAN_MODIFIED_SINCE, run.modifiedSince);
        }
        m.setHeader(PowerBiConstants.SCAN_CHECKPOINT, run.started);
        m.setHeader(PowerBiConstants.SCAN_WORKSPACE_COUNT, run.workspaceCount);
        m.setHeader(PowerBiConstants.SCAN_THROTTLED, api.throttledMillis());
        return exchange;
    }

    /** The result's datasource instances (and misconfigured ones) by datasourceId. */
    static Map<String, JsonNode> instancesById(JsonNode result) {
        Map<String, JsonNode> byId = new HashMap<>();
        for (String key : List.of("datasourceInstances", "misconfiguredDatasourceInstances")) {
            for (JsonNode instance : result.path(key)) {
                String id = instance.path("datasourceId").asText("");
                if (!id.isEmpty()) {
                    byId.putIfAbsent(normal(id), instance);
                }
            }
        }
        return byId;
    }

    /** Runs the route on one workspace; false (after the exception handler saw it) when it failed. */
    private boolean process(Exchange exchange) {
        return process(
                exchange,
                "scan: the route failed on workspace "
                        + exchange.getMessage().getHeader(PowerBiConstants.WORKSPACE_ID)
                        + "; it is delivered again on the next"
                        + " poll (workspaces already delivered are skipped)");
    }

    /** Sleeps until a scan is due for polling or getInfo's budget frees a slot, in short steps while running. */
    private void pause() throws InterruptedException {
        long now = sleeper.nanoTime();
        long wake = Long.MAX_VALUE;
        for (ScanRun.Scan scan : run.scanning) {
            wake = Math.min(wake, scan.nextPollNanos - now);
        }
        boolean budget = false;
        if (!run.waiting.isEmpty()
                && run.scanning.size() < endpoint.getConfiguration().getMaxScansInFlight()) {
            long free = api.getInfoWaitNanos();
            if (free < wake) {
                wake = free;
                budget = true;
            }
        }
        sleeper.sleep(Duration.ofNanos(Math.max(0, wake)), this::running);
        if (budget) {
            api.addThrottled((sleeper.nanoTime() - now) / 1_000_000L);
        }
    }

    private long interval(Duration retryAfter) {
        return retryAfter != null && retryAfter.toNanos() > pollIntervalNanos
                ? retryAfter.toNanos()
                : pollIntervalNanos;
    }

    private void save() {
        state.setState(stateKey, ScanState.CODEC.encode(scanState));
    }

    /** The stored state (for tests and tooling). */
    ScanState state() {
        return scanState;
    }

    private static String normal(String id) {
        return id.trim().toLowerCase(Locale.ROOT);
    }

    private static String describe(JsonNode error) {
        if (error == null) {
            return "";
        }
        String code = error.path("code").asText("");
        String message = error.path("message").asText("");
        return code.isEmpty() && message.isEmpty() ? ": " + error : ": " + (code + " " + message).trim();
    }

    /**
     * {@code modifiedSince}: null (a full scan) when unset, else an ISO instant or a duration back from now; over 30 days
     * back: null.
     */
    static Instant modifiedSince(String value, Instant now) {
        Instant since = PowerBiConfiguration.pointInTime("modifiedSince", value, now);
        if (since != null && since.isBefore(now.minus(MAX_AGE))) {
            LOG.info("scan: modifiedSince {} is more than 30 days back; the first run is a full scan", since);
            return null;
        }
        return since;
    }
}
