package io.camelpowerbi.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.TestClocks;
import io.camelpowerbi.sandbox.ActivityLog;
import io.camelpowerbi.sandbox.LimitsConfig;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxClock;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code powerbi:activityEvents} consumer against the sandbox's seeded activity log. The log has a day profile and
 * its windows stop at UTC midnight, so the class runs with the sandbox's clock started at each of
 * {@link TestClocks#dayEdges()}, and every "now" comes from that clock.
 */
@ParameterizedClass(name = "sandbox clock from {0}")
@MethodSource("io.camelpowerbi.TestClocks#dayEdges")
class ActivityEventsConsumerTest {

    @TempDir
    static Path root;
    /** This invocation's directory: state files of one clock are not read under another. */
    static Path dir;

    static Instant clockStart;
    static Sandbox sandbox;
    /** The instant this invocation's sandbox clock started at (also given to {@link #start(Instant)}). */
    @Parameter
    Instant startedAt;

    CamelContext context;

    /** What the route saw: id -> deliveries, id -> CreationTime, and the windows. */
    final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();

    final Map<String, Instant> times = new ConcurrentHashMap<>();
    final Set<String> windows = ConcurrentHashMap.newKeySet();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicLong throttled = new AtomicLong();
    volatile int failOn = -1;
    final AtomicInteger seen = new AtomicInteger();
    /** For each empty ("read up to now") message: how many events had arrived. */
    final List<Integer> idleAfter = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeParameterizedClassInvocation
    static void start(Instant start) throws Exception {
        clockStart = start;
        dir = Files.createDirectories(root.resolve("from-" + start.getEpochSecond()));
        sandbox = startSandbox("sandbox");
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        sandbox.close();
    }

    /** A sandbox whose clock starts at this invocation's instant. */
    static Sandbox startSandbox(String stateDir) throws Exception {
        return Sandbox.start(
                SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve(stateDir)),
                SandboxClock.startingAt(clockStart));
    }

    static Instant now() {
        return sandbox.clock().now();
    }

    @BeforeEach
    void settings() {
        sandbox.setLimits(LimitsConfig.defaults().merge(Map.of("activityEventsPerHour", 1_000_000)));
        activitySettings(40, 30, 300);
    }

    static void activitySettings(int pageSize, int pageMinutes, int eventsPerDay) {
        sandbox.setSettings(sandbox.settings()
                .merge(Map.of(
                        "activityEvents",
                        Map.of(
                                "eventsPerDay",
                                eventsPerDay,
                                "pageSize",
                                pageSize,
                                "pageMinutes",
                                pageMinutes,
                                "visibilityDelaySeconds",
                                1,
                                "recordServedCalls",
                                false))));
    }

    @AfterEach
    void stopContext() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    Processor collector() {
        return exchange -> {
            Object body = exchange.getMessage().getBody();
            if (body == null) {
                idleAfter.add(deliveries.size());
                return;
            }
            List<?> events = body instanceof List<?> l ? l : List.of(body);
            windows.add(exchange.getMessage().getHeader(PowerBiConstants.ACTIVITY_WINDOW_START) + "|"
                    + exchange.getMessage().getHeader(PowerBiConstants.ACTIVITY_WINDOW_END));
            assertTrue(exchange.getMessage().getHeader(PowerBiConstants.ACTIVITY_LAG, Long.class) >= 0);
            throttled.accumulateAndGet(
                    exchange.getMessage().getHeader(PowerBiConstants.ACTIVITY_THROTTLED, Long.class), Math::max);
            if (seen.incrementAndGet() == failOn) {
                failures.incrementAndGet();
                throw new IllegalStateException("simulated failure on exchange " + failOn);
            }
            for (Object e : events) {
                Map<?, ?> event = (Map<?, ?>) e;
                String id = (String) event.get("Id");
                times.put(id, ActivityEventsConsumer.creationTime((String) event.get("CreationTime")));
                deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            }
        };
    }

    /** A route "activity" of powerbi:activityEvents with these parameters, into the collector. */
    CamelContext route(String parameters) throws Exception {
        return routes(route("activity", parameters));
    }

    static String route(String id, String parameters) {
        return """
                - route:
                    id: %s
                    from:
                      uri: powerbi:activityEvents
                      parameters: { %s }
                      steps:
                        - process: { ref: collector }
                """.formatted(id, parameters);
    }

    /** A started context with the component pointed at the sandbox and these YAML routes. */
    CamelContext routes(String yaml) throws Exception {
        context = new DefaultCamelContext();
        PowerBiComponent component = new PowerBiComponent();
        component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
        context.addComponent("powerbi", component);
        context.getRegistry().bind("collector", collector());
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.camel.yaml", yaml));
        context.start();
        return context;
    }

    static Instant midnight(int daysBack) {
        return LocalDate.ofInstant(now(), ZoneOffset.UTC)
                .minusDays(daysBack)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
    }

    /** Ids of the log within [from, to), as the sandbox has them. */
    static Set<String> expected(Instant from, Instant to, String activity) {
        return sandbox.activityLog().events(from, to.minusNanos(1)).stream()
                .filter(e -> activity == null || activity.equals(e.activity()))
                .map(ActivityLog.Event::id)
                .collect(Collectors.toSet());
    }

    Set<String> deliveredWithin(Instant from, Instant to) {
        return times.entrySet().stream()
                .filter(e -> !e.getValue().isBefore(from.truncatedTo(ChronoUnit.SECONDS))
                        && e.getValue().isBefore(to))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    void assertExactlyOnce(Instant from, Instant to, String activity) {
        Set<String> expected = expected(from, to, activity);
        assertFalse(expected.isEmpty(), "the seeded log has events in the range");
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.keySet().containsAll(expected));
        assertEquals(expected, deliveredWithin(from, to), "missing or extra events");
        List<String> duplicates = deliveries.entrySet().stream()
                .filter(e -> e.getValue().get() != 1)
                .map(Map.Entry::getKey)
                .toList();
        assertEquals(List.of(), duplicates, "events delivered more than once");
    }

    @Test
    void windowsStopAtEachUtcMidnightAndEveryEventArrivesOnce() throws Exception {
        Instant start = midnight(2);
        Instant yesterday = midnight(1);
        Instant today = midnight(0); // fixed now: under the 23:59 clock the sandbox's midnight passes during the test
        route("startFrom: \"%s\", lag: PT2S, windowDuration: P1D, delay: 50, stateFile: \"%s\""
                .formatted(start, dir.resolve("days.dat")));
        assertExactlyOnce(start, today, null);
        for (String w : windows) {
            String[] bounds = w.split("\\|");
            assertEquals(
                    LocalDate.ofInstant(Instant.parse(bounds[0]), ZoneOffset.UTC),
                    LocalDate.ofInstant(Instant.parse(bounds[1]), ZoneOffset.UTC),
                    "window crosses a UTC day: " + w);
        }
        assertTrue(windows.contains(start + "|" + yesterday.minusMillis(1)), "a whole day 2 days back: " + windows);
        assertTrue(windows.contains(yesterday + "|" + today.minusMillis(1)), "a whole day yesterday: " + windows);
    }

    @Test
    void followsContinuationThroughEmptyPagesOnePageAPerExchange() throws Exception {
        activitySettings(7, 15, 300); // night quarter-hours are empty pages that still carry a token
        Instant end = midnight(0); // fixed now: the sandbox's midnight may pass during the test
        Instant start = midnight(1);
        route("startFrom: \"%s\", lag: PT2S, splitEvents: false, delay: 50, stateFile: \"%s\""
                .formatted(start, dir.resolve("pages.dat")));
        assertExactlyOnce(start, end, null);
    }

    @Test
    void filtersOnActivity() throws Exception {
        Instant end = midnight(0); // fixed now: the sandbox's midnight may pass during the test
        Instant start = midnight(1);
        route("startFrom: \"%s\", lag: PT2S, activityFilter: ViewReport, delay: 50, stateFile: \"%s\""
                .formatted(start, dir.resolve("filter.dat")));
        assertExactlyOnce(start, end, "ViewReport");
        Set<String> viewReports = sandbox.activityLog().events(start, now()).stream()
                .filter(e -> "ViewReport".equals(e.activity()))
                .map(ActivityLog.Event::id)
                .collect(Collectors.toSet());
        assertTrue(viewReports.containsAll(deliveries.keySet()), "only ViewReport events");
    }

    @Test
    void aFailureAndARestartDeliverEveryEventExactlyOnce() throws Exception {
        activitySettings(40, 30, 900); // hundreds of events left after the stop, even over a weekend
        Instant end = midnight(0); // fixed now: the sandbox's midnight may pass during the test
        Instant start = midnight(2);
        String params = "startFrom: \"%s\", lag: PT2S, delay: 50, stateFile: \"%s\""
                .formatted(start, dir.resolve("restart.dat"));
        failOn = 77;
        route(params);
        await().atMost(Duration.ofSeconds(30)).until(() -> failures.get() == 1 && deliveries.size() > 120);
        context.close(); // stopped mid-way: the checkpoint and this window's delivered ids are in the file
        int before = deliveries.size();
        assertTrue(before < expected(start, end, null).size(), "stopped before the end");
        failOn = -1;
        route(params); // a new context with the same state file
        assertExactlyOnce(start, end, null);
    }

    @Test
    void staysWithinTheRequestLimitWithoutA429() throws Exception {
        // a sandbox of its own, so no earlier test's requests count; one sandbox hour lasts 1 s; 6 requests an hour;
        // the consumer counts over a longer period
        Sandbox shared = sandbox;
        sandbox = startSandbox("sandbox-limit");
        try {
            limitedRun();
        } finally {
            if (context != null) {
                context.close();
                context = null;
            }
            sandbox.close();
            sandbox = shared;
        }
    }

    /** Once it has read up to now - lag, a poll costs one request (not one per few milliseconds of window). */
    @Test
    void aCaughtUpConsumerMakesOneRequestAPoll() throws Exception {
        route("startFrom: PT2H, lag: PT2S, delay: 100, sendEmptyMessageWhenIdle: true, stateFile: \""
                + dir.resolve("idle.dat") + "\"");
        await().atMost(Duration.ofSeconds(30)).until(() -> !idleAfter.isEmpty());
        long calls = sandbox.adminCallCounts().getOrDefault("activityevents", 0L);
        int idle = idleAfter.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> idleAfter.size() >= idle + 5);
        context.getRouteController().stopRoute("activity");
        long more = sandbox.adminCallCounts().getOrDefault("activityevents", 0L) - calls;
        int polls = idleAfter.size() - idle;
        assertTrue(more <= polls + 1, more + " requests for " + polls + " idle polls");
    }

    /** Two consumers naming one state file keep both checkpoints (each used to rewrite the file with its own only). */
    @Test
    void twoConsumersOnOneStateFileKeepBothCheckpoints() throws Exception {
        Path file = dir.resolve("shared.dat");
        Instant start = midnight(1);
        String parameters = "startFrom: \"%s\", lag: PT2S, delay: 50, activityFilter: %s, stateFile: \"%s\"";
        routes(route("views", parameters.formatted(start, "ViewReport", file))
                + route("exports", parameters.formatted(start, "ExportReport", file)));
        Set<String> expected = expected(start, now().minus(Duration.ofMinutes(1)), "ViewReport");
        expected.addAll(expected(start, now().minus(Duration.ofMinutes(1)), "ExportReport"));
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.keySet().containsAll(expected));
        context.close();
        context = null;

        AtomicFileStateRepository stored = new AtomicFileStateRepository(file);
        stored.start();
        for (String routeId : List.of("views", "exports")) {
            ActivityEventsConsumer.Checkpoint checkpoint =
                    ActivityEventsConsumer.Checkpoint.CODEC.decode(stored.getState("powerbi-activity." + routeId));
            assertTrue(checkpoint != null && checkpoint.start().isAfter(start), routeId + "'s checkpoint is kept");
        }
    }

    /**
     * Power BI's own limit: the 201st activityevents call within an hour is refused with 429 and Retry-After. Here the
     * consumer's budget is off and one sandbox hour lasts 6 s, so a catch-up of ~350 small pages crosses it. Waited out
     * by the client (Retry-After within maxRetryAfter) or, with maxRetryAfter=0, by the consumer keeping
     * its checkpoint and going on next poll: either way every event arrives exactly once.
     */
    @ParameterizedTest(name = "maxRetryAfter={0}")
    @ValueSource(strings = {"30s", "0"})
    void the201stCallInAnHourIs429AndNothingIsLostOrRepeated(String maxRetryAfter) throws Exception {
        Sandbox shared = sandbox;
        sandbox = startSandbox("sandbox-429");
        try {
            sandbox.setLimits(LimitsConfig.defaults().merge(Map.of("activityEventsPerHour", 200, "timeScale", 600)));
            activitySettings(2, 30, 300);
            Instant to = now().minus(Duration.ofMinutes(1));
            // a range that needs well over 200 calls (a page holds at most 2 events and 30 minutes), whatever the day
            Instant start = midnight(2);
            while (expected(start, to, null).size() / 2
                            + Duration.between(start, to).toMinutes() / 30
                    < 300) {
                start = start.minus(Duration.ofDays(1));
            }
            route(("startFrom: \"%s\", lag: PT2S, delay: 50, maxRequestsPerHour: 100000, maxRetryAfter: \"%s\","
                            + " sendEmptyMessageWhenIdle: true, stateFile: \"%s\"")
                    .formatted(start, maxRetryAfter, dir.resolve("throttled-" + maxRetryAfter + ".dat")));
            Set<String> expected = expected(start, to, null);
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> deliveries.keySet().containsAll(expected));
            long calls = sandbox.adminCallCounts().getOrDefault("activityevents", 0L);
            assertTrue(calls > 200, "the catch-up needed more than 200 calls: " + calls);
            long refused = sandbox.throttledAdminCallCount();
            assertTrue(refused > 0, "Power BI's 429 was met");
            // Retry-After is honoured: no call until it passed (polling every 50 ms would be refused hundreds of times)
            assertTrue(refused < 20, refused + " calls refused");
            // "read up to now" only once it had: never while waiting out a 429
            await().atMost(Duration.ofSeconds(10)).until(() -> !idleAfter.isEmpty());
            assertTrue(
                    idleAfter.stream().allMatch(n -> n >= expected.size()),
                    "empty messages after " + idleAfter + " of " + expected.size() + " events");
            assertEquals(expected, deliveredWithin(start, to), "missing or extra events");
            assertTrue(deliveries.values().stream().allMatch(c -> c.get() == 1), "no duplicates");
        } finally {
            if (context != null) {
                context.close();
                context = null;
            }
            sandbox.close();
            sandbox = shared;
        }
    }

    void limitedRun() throws Exception {
        sandbox.setLimits(LimitsConfig.defaults().merge(Map.of("activityEventsPerHour", 6, "timeScale", 3600)));
        activitySettings(5_000, 60, 300);
        long throttledBefore = sandbox.throttledAdminCallCount();
        // 16 hours back: office hours with events to deliver under every clock, and one page an hour up to now, well
        // over the 6 requests of the budget
        Instant start = now().minus(Duration.ofHours(16)).truncatedTo(ChronoUnit.HOURS);
        Instant to = now().minus(Duration.ofMinutes(1));
        // the consumer's hour (2 s) is longer than the sandbox's (1 s): a slow first request (token, TLS handshake)
        // reaches the sandbox late, and must not make the next six look like seven within its hour
        route(("startFrom: \"%s\", lag: PT2S, delay: 50, maxRequestsPerHour: 6, requestLimitPeriod: 2000,"
                        + " sendEmptyMessageWhenIdle: true, stateFile: \"%s\"")
                .formatted(start, dir.resolve("limit.dat")));
        Set<String> expected = expected(start, to, null);
        assertFalse(expected.isEmpty(), "the seeded log has events from " + start);
        // caught up ("read up to now"), not merely holding the events: the budget is met on the way to now
        await().atMost(Duration.ofSeconds(60)).until(() -> !idleAfter.isEmpty());
        assertTrue(deliveries.keySet().containsAll(expected), "every event of the range");
        assertEquals(throttledBefore, sandbox.throttledAdminCallCount(), "no 429 from the sandbox");
        assertTrue(throttled.get() > 0, "the consumer waited for its budget and said so in a header");
        assertTrue(deliveries.values().stream().allMatch(c -> c.get() == 1), "no duplicates");
    }
}
