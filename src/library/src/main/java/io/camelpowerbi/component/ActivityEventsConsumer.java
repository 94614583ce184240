package io.camelpowerbi.component;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.client.SlidingWindow;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.StateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code powerbi:activityEvents} consumer: reads {@code GET admin/activityevents} window by window.
 *
 * <p>A window is {@code [checkpoint, min(checkpoint + windowDuration, end of the checkpoint's UTC day, now - lag)]}, its
 * bounds quoted as the API wants; its pages are followed by continuation token until {@code lastResultSet} or no token
 * (empty pages included). Each event (or page) is processed synchronously by the route. The stored state is the
 * checkpoint plus the ids delivered in the current window: an id is added after its exchange succeeded, so a failure,
 * a stop or a crash redoes the window next time and skips what was already delivered. After the whole window succeeded
 * the checkpoint moves to its end, keeping only the ids of events at the (inclusive, shared) boundary second.
 */
final class ActivityEventsConsumer extends PowerBiPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityEventsConsumer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    static final Duration MAX_BACK = Duration.ofDays(30);
    static final DateTimeFormatter QUERY_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    static final String PATH = "/admin/activityevents";

    private final PowerBiEndpoint endpoint;
    private StateRepository<String, String> state;
    private String stateKey;
    private SlidingWindow limiter;
    private Clock clock;
    private Duration lag;
    private Duration windowDuration;
    private String filter;
    private volatile Checkpoint checkpoint; // read by the lag gauge on the metrics thread
    private long throttledMillis;
    private int requests;

    /** Where reading continues and which events of that window were already delivered. */
    record Checkpoint(Instant start, Set<String> delivered) {

        static final StateCodec<Checkpoint> CODEC = StateCodec.of(Checkpoint.class);
    }

    ActivityEventsConsumer(PowerBiEndpoint endpoint, Processor processor) {
        super(endpoint, processor, "activity");
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        PowerBiConfiguration c = endpoint.getConfiguration();
        clock = c.getClock() != null ? c.getClock() : Clock.systemUTC();
        lag = c.getLag();
        windowDuration = c.getWindowDuration();
        limiter = requestBudget("maxRequestsPerHour", c.getMaxRequestsPerHour(), c.getRequestLimitPeriod(), sleeper);
        filter = filter(c.getActivityFilter(), c.getUserIdFilter());
        Instant configuredStart = startFrom(c.getStartFrom(), clock.instant());
        String routeId = routeName();
        stateKey = stateKey();
        state = openState("");
        String stored = state.getState(stateKey);
        checkpoint = Checkpoint.CODEC.decode(stored);
        if (checkpoint == null) {
            checkpoint = new Checkpoint(configuredStart, new LinkedHashSet<>());
            LOG.info("activityEvents {}: no checkpoint stored; starting from {}", routeId, configuredStart);
        } else {
            LOG.info(
                    "activityEvents {}: resuming from checkpoint {} ({} events of that window already delivered)",
                    routeId,
                    checkpoint.start(),
                    checkpoint.delivered().size());
        }
        reportLag(() -> Duration.between(checkpoint.start(), clock.instant()));
        super.doStart();
    }

    @Override
    protected int pollOnce() throws Exception {
        if (heldOff()) {
            return 0; // Power BI's Retry-After has not passed
        }
        throttledMillis = 0;
        requests = 0;
        int delivered = 0;
        int windows = 0;
        int max = endpoint.getConfiguration().getMaxWindowsPerPoll();
        while (windows < max && running()) {
            Instant now = clock.instant();
            Instant limit = now.minus(lag).truncatedTo(ChronoUnit.MILLIS);
            Instant start = checkpoint.start();
            Instant oldest = now.minus(MAX_BACK);
            if (start.isBefore(oldest)) {
                Instant clamped = oldest.plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MILLIS);
                LOG.warn(
                        "activityEvents: checkpoint {} is older than the 30 days the activity log keeps; events before"
                                + " {} are lost, continuing from there",
                        start,
                        clamped);
                checkpoint = new Checkpoint(clamped, new LinkedHashSet<>());
                save();
                continue;
            }
            if (!start.isBefore(limit)) {
                caughtUp(); // read up to now - lag
                break;
            }
            Instant nextMidnight = start.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
            Instant end = start.plus(windowDuration);
            if (end.isAfter(limit)) {
                end = limit;
            }
            boolean dayEnd = !end.isBefore(nextMidnight);
            Instant queryEnd = dayEnd ? nextMidnight.minusMillis(1) : end;
            Window w = window(start, queryEnd);
            delivered += w.delivered;
            windows++;
            if (!w.complete) {
                break;
            }
            // the next window starts at this one's end (inclusive on both sides): keep the ids of the boundary second
            checkpoint = new Checkpoint(dayEnd ? nextMidnight : end, w.boundaryIds);
            save();
            LOG.debug(
                    "activityEvents: window {}..{} done, {} new events; checkpoint {}",
                    start,
                    queryEnd,
                    w.delivered,
                    checkpoint.start());
            if (!dayEnd && end.equals(limit)) {
                // read up to now - lag: the next window would be the few milliseconds this one took, a request each
                caughtUp();
                break;
            }
        }
        if (delivered > 0 || throttledMillis > 0) {
            long lagMillis =
                    Duration.between(checkpoint.start(), clock.instant()).toMillis();
            LOG.info(
                    "activityEvents: {} events in {} windows, {} requests ({} within the last period), waited {} ms for"
                            + " the request budget; checkpoint {}, {} s behind now",
                    delivered,
                    windows,
                    requests,
                    limiter.used(),
                    throttledMillis,
                    checkpoint.start(),
                    lagMillis / 1000);
        }
        return delivered;
    }

    private static final class Window {
        int delivered;
        boolean complete;
        Set<String> boundaryIds = new LinkedHashSet<>();
    }

    private Window window(Instant start, Instant end) throws Exception {
        Window w = new Window();
        Set<String> done = new LinkedHashSet<>(checkpoint.delivered());
        Instant boundarySecond = end.truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("startDateTime", "'" + QUERY_TIME.format(start) + "'");
        query.put("endDateTime", "'" + QUERY_TIME.format(end) + "'");
        if (filter != null) {
            query.put("$filter", filter);
        }
        boolean split = endpoint.getConfiguration().isSplitEvents();
        while (true) {
            Duration waitedFor = limiter.acquire(1, this::running);
            if (waitedFor == null) {
                return w; // stopping
            }
            long waited = waitedFor.toMillis();
            if (waited > 0) {
                throttledMillis += waited;
                budgetWaited(Duration.ofMillis(waited));
                LOG.info(
                        "activityEvents: waited {} ms for the request budget ({} requests per {})",
                        waited,
                        endpoint.getConfiguration().getMaxRequestsPerHour(),
                        endpoint.getConfiguration().getRequestLimitPeriod());
            }
            JsonNode page;
            try {
                requests++;
                page = endpoint.client().getJson(PATH, query, "activity events");
            } catch (PowerBiException e) {
                if (e.httpStatus() == 429) {
                    // longer than maxRetryAfter: no call before Retry-After, or each poll would be refused too
                    Duration wait =
                            e.retryAfter().filter(d -> d.getSeconds() > 1).orElse(Duration.ofSeconds(1));
                    holdOff(wait);
                    LOG.warn(
                            "activityEvents: throttled by Power BI (429, Retry-After {} s) reading {}..{}; checkpoint"
                                    + " kept at {}, polling resumes after that",
                            wait.getSeconds(),
                            start,
                            end,
                            checkpoint.start());
                    return w;
                }
                throw e;
            }
            List<JsonNode> fresh = new ArrayList<>();
            for (JsonNode event : page.path("activityEventEntities")) {
                String id = event.path("Id").asText(null);
                Instant time = creationTime(event.path("CreationTime").asText(null));
                if (id != null && time != null && !time.isBefore(boundarySecond)) {
                    w.boundaryIds.add(id);
                }
                if (id == null || !done.contains(id)) {
                    fresh.add(event);
                }
            }
            if (split) {
                for (JsonNode event : fresh) {
                    if (!running()) {
                        return w;
                    }
                    String id = event.path("Id").asText(null);
                    Exchange exchange = exchange(JSON.convertValue(event, MAP), 1, start, end);
                    exchange.getMessage().setHeader(PowerBiConstants.ACTIVITY_EVENT_ID, id);
                    if (!process(exchange)) {
                        return w;
                    }
                    w.delivered++;
                    if (id != null) {
                        done.add(id);
                        checkpoint = new Checkpoint(checkpoint.start(), done);
                        save();
                    }
                }
            } else if (!fresh.isEmpty()) {
                List<Map<String, Object>> body = new ArrayList<>(fresh.size());
                fresh.forEach(e -> body.add(JSON.convertValue(e, MAP)));
                if (!running() || !process(exchange(body, body.size(), start, end))) {
                    return w;
                }
                w.delivered += body.size();
                fresh.forEach(e -> {
                    if (e.hasNonNull("Id")) {
                        done.add(e.get("Id").asText());
                    }
                });
                checkpoint = new Checkpoint(checkpoint.start(), done);
                save();
            }
            JsonNode token = page.get("continuationToken");
            boolean last = page.path("lastResultSet").asBoolean(false);
            if (last || token == null || token.isNull() || token.asText().isEmpty()) {
                w.complete = true;
                return w;
            }
            // returned URL-encoded; sent decoded and quoted (the client encodes the query once)
            query = Map.of("continuationToken", "'" + URLDecoder.decode(token.asText(), StandardCharsets.UTF_8) + "'");
        }
    }

    private Exchange exchange(Object body, int count, Instant start, Instant end) {
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(PowerBiConstants.ACTIVITY_WINDOW_START, start);
        exchange.getMessage().setHeader(PowerBiConstants.ACTIVITY_WINDOW_END, end);
        exchange.getMessage()
                .setHeader(
                        PowerBiConstants.ACTIVITY_LAG,
                        Duration.between(end, clock.instant()).toMillis());
        exchange.getMessage().setHeader(PowerBiConstants.ACTIVITY_THROTTLED, throttledMillis);
        exchange.getMessage().setHeader(PowerBiConstants.ACTIVITY_EVENT_COUNT, count);
        return exchange;
    }

    /**
     * With {@code sendEmptyMessageWhenIdle}, the empty message means "read up to now": not sent after a poll that
     * delivered nothing because of a 429, a failed route or a stop.
     */
    @Override
    protected void processEmptyMessage() throws Exception {
        if (isCaughtUp()) {
            super.processEmptyMessage();
        }
    }

    /** Runs the route on an event or page; false (after the exception handler saw it) when it failed. */
    private boolean process(Exchange exchange) {
        return process(
                exchange,
                "activityEvents: the route failed on an event of window "
                        + exchange.getMessage().getHeader(PowerBiConstants.ACTIVITY_WINDOW_START)
                        + "; the window is redone next"
                        + " poll (events already delivered are skipped)");
    }

    private void save() {
        state.setState(stateKey, Checkpoint.CODEC.encode(checkpoint));
    }

    /** The current checkpoint (for tests and tooling). */
    Checkpoint checkpoint() {
        return checkpoint;
    }

    // ------------------------------------------------------------------ option parsing

    /** CreationTime as an ISO instant, or without zone (the log's own form): UTC. */
    static Instant creationTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** {@code startFrom}: an ISO instant or a duration back from now (unset: a day back); at most 30 days back. */
    static Instant startFrom(String value, Instant now) {
        Instant start = PowerBiConfiguration.pointInTime("startFrom", value, now);
        if (start == null) {
            start = now.minus(Duration.ofDays(1));
        }
        Instant oldest = now.minus(MAX_BACK).plus(Duration.ofMinutes(1));
        if (start.isBefore(oldest)) {
            LOG.warn("activityEvents: startFrom {} is more than 30 days back; starting at {}", start, oldest);
            start = oldest;
        }
        return start.truncatedTo(ChronoUnit.MILLIS);
    }

    /** {@code $filter} on Activity and UserId ({@code eq}, {@code and}), or null. */
    static String filter(String activity, String userId) {
        List<String> parts = new ArrayList<>();
        if (activity != null && !activity.isBlank()) {
            parts.add("Activity eq '" + activity.trim().replace("'", "''") + "'");
        }
        if (userId != null && !userId.isBlank()) {
            parts.add("UserId eq '" + userId.trim().replace("'", "''") + "'");
        }
        return parts.isEmpty() ? null : String.join(" and ", parts);
    }
}
