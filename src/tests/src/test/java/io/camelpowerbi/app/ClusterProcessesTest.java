package io.camelpowerbi.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.sandbox.ActivityLog;
import io.camelpowerbi.sandbox.LimitsConfig;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The activity log read by runner processes: separate JVMs started as a user starts them ({@code Cli run --forever
 * --config config/cluster.properties}) with the shipped cluster routes ({@code routes/cluster/}: the file lock cluster
 * service and the {@code master:} route), against one sandbox (this JVM, through its connection file), writing each
 * event into a real PostgreSQL ({@code src/tests/src/test/resources/cluster/activity-to-postgres.camel.yaml}).
 *
 * <p>What is guaranteed, and checked here:
 * <ul>
 * <li>A clean stop (SIGTERM) loses and repeats nothing: the consumer records each event after the route processed it,
 * the stopping node gives the lock up only after its route stopped, and the next leader resumes from the shared
 * checkpoint. Every event is delivered exactly once: counted in a table without a unique constraint.</li>
 * <li>A kill (SIGKILL) loses nothing, but an event whose route had finished and whose checkpoint write had not is
 * delivered again after the restart: at most one event per kill, as the route runs one event at a time. The route
 * makes the write idempotent by event id, so the stored table holds each event exactly once; the deliveries table
 * counts the redeliveries, which must stay within the number of kills.</li>
 * </ul>
 */
class ClusterProcessesTest {

    /** Kept after the run (not a @TempDir): the runners' logs are what explains a failure. */
    static final Path dir = Path.of("target", "cluster-processes").toAbsolutePath();

    static Sandbox sandbox;
    static Path connectionFile;
    static EmbeddedPostgres postgres;
    static DataSource db;
    /** Every runner process started, destroyed in {@link #stopAll()} whatever happened. */
    static final List<Process> processes = new CopyOnWriteArrayList<>();

    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final String ROUTES = String.join(
            ",",
            "file:" + PROJECT.resolve("routes/cluster/cluster-service.camel.yaml"),
            "file:" + PROJECT.resolve("routes/cluster/activity-master.camel.yaml"),
            "file:" + PROJECT.resolve("src/tests/src/test/resources/cluster/activity-to-postgres.camel.yaml"));
    /** Yesterday 08:00 UTC: a past stretch of the seeded history with events in every hour. */
    static final Instant START = LocalDate.now(ZoneOffset.UTC)
            .minusDays(1)
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant()
            .plus(Duration.ofHours(8));

    @BeforeAll
    static void start() throws Exception {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
        // should this JVM die before @AfterAll, its runners must not outlive it
        Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly)));
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")));
        connectionFile = sandbox.writeConnectionFile();
        // two runners and restarts poll many windows: no request budget in the way
        sandbox.setLimits(LimitsConfig.defaults().merge(Map.of("activityEventsPerHour", 1_000_000)));
        sandbox.setSettings(sandbox.settings()
                .merge(Map.of("activityEvents", Map.of("eventsPerDay", 1_500, "visibilityDelaySeconds", 1))));
        postgres = EmbeddedPostgres.builder().start();
        db = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (Process p : processes) {
            stop(p);
        }
        if (postgres != null) {
            postgres.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @AfterEach
    void stopRunners() throws Exception {
        for (Process p : processes) {
            stop(p);
        }
    }

    // ------------------------------------------------------------------ the tests

    @Test
    void twoRunnersOneLeaderAndATakeoverFromTheCheckpointDeliverEachEventOnce() throws Exception {
        String schema = schema("takeover");
        Path work = Files.createDirectories(dir.resolve("takeover"));
        Instant end = START.plus(Duration.ofHours(6));
        Set<String> expected = expected(START, end);
        assertTrue(expected.size() > 100, "the seeded history has events to read: " + expected.size());

        Process a = runner(work, "a", schema, "PT1H", 2);
        Process b = runner(work, "b", schema, "PT1H", 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(schema, "SELECT count(*) FROM deliveries") > 0);
        String leader = single(schema, "SELECT DISTINCT node FROM deliveries");
        Process leading = leader.equals("a") ? a : b;
        Process following = leading == a ? b : a;
        String follower = leading == a ? "b" : "a";
        String followerLog = log(work, follower);
        assertTrue(
                followerLog.contains("node " + follower + ": route activity-master runs on one node at a time")
                        && followerLog.contains("is not the leader yet"),
                followerLog);

        // exactly one polls: while the leader works through the history, the other delivers nothing
        await().atMost(Duration.ofSeconds(30))
                .until(() -> count(schema, "SELECT count(*) FROM deliveries") > expected.size() / 3);
        assertEquals(List.of(leader), strings(schema, "SELECT DISTINCT node FROM deliveries"));
        assertFalse(log(work, follower).contains("leader for route"), "the follower never led");
        assertTrue(log(work, leader).contains("node " + leader + ": leader for route activity-master"));

        // a clean stop of the leader, in the middle of the history: the other takes over from the checkpoint
        long before = count(schema, "SELECT count(*) FROM deliveries");
        leading.destroy();
        assertTrue(leading.waitFor(20, TimeUnit.SECONDS), "the leader stops on SIGTERM");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> log(work, follower).contains("node " + follower + ": leader for route activity-master"));
        await().atMost(Duration.ofSeconds(40)).until(() -> delivered(schema).containsAll(expected));
        assertTrue(before < expected.size(), "the leader was stopped before the end: " + before);
        assertTrue(count(schema, "SELECT count(*) FROM deliveries WHERE node = '" + follower + "'") > 0);
        following.destroy();
        assertTrue(following.waitFor(20, TimeUnit.SECONDS));

        // every event of the range once, nothing twice anywhere, nothing that is not in the log
        assertEquals(
                List.of(),
                strings(schema, "SELECT id FROM deliveries GROUP BY id HAVING count(*) > 1"),
                "events delivered twice");
        Set<String> all = delivered(schema);
        assertTrue(all.containsAll(expected));
        Set<String> inLog = expected(START, Instant.now());
        assertEquals(
                Set.of(),
                all.stream().filter(id -> !inLog.contains(id)).collect(Collectors.toSet()),
                "delivered ids the sandbox never had");
    }

    @Test
    void killedMidWindowAndRestartedEveryEventIsStoredExactlyOnce() throws Exception {
        String schema = schema("restart");
        Path work = Files.createDirectories(dir.resolve("restart"));
        Path stateFile = work.resolve("data/cluster/powerbi-activity.state");
        // one window of six hours: hundreds of events, read as one query and delivered one by one
        Instant end = START.plus(Duration.ofHours(6));
        Set<String> expected = expected(START, end);
        assertTrue(expected.size() > 100, "the seeded history has events to read: " + expected.size());

        int kills = 0;
        for (int round = 1; round <= 2; round++) {
            Process runner = runner(work, "k" + round, schema, "PT6H", 4);
            long target = expected.size() * round / 3;
            await().atMost(Duration.ofSeconds(40))
                    .until(() -> count(schema, "SELECT count(*) FROM deliveries") >= target
                            && deliveredInWindow(stateFile) > 0);
            runner.destroyForcibly(); // SIGKILL: no shutdown hook, no clean release of the lock
            assertTrue(runner.waitFor(10, TimeUnit.SECONDS));
            kills++;
            assertTrue(deliveredInWindow(stateFile) > 0, "killed in the middle of a window");
        }
        assertTrue(count(schema, "SELECT count(*) FROM deliveries") < expected.size(), "killed before the end");

        // the last restart takes the lock over from the dead leader (after its heartbeat went stale) and finishes
        Process last = runner(work, "k3", schema, "PT6H", 0);
        await().atMost(Duration.ofSeconds(40)).until(() -> stored(schema).containsAll(expected));
        last.destroy();
        assertTrue(last.waitFor(20, TimeUnit.SECONDS));

        assertEquals(List.of(), strings(schema, "SELECT id FROM activity_events GROUP BY id HAVING count(*) > 1"));
        Set<String> inLog = expected(START, Instant.now());
        assertTrue(inLog.containsAll(stored(schema)), "stored only events of the log");
        long deliveries = count(schema, "SELECT count(*) FROM deliveries");
        long distinct = count(schema, "SELECT count(DISTINCT id) FROM deliveries");
        assertTrue(
                deliveries - distinct <= kills,
                "at most one redelivery per kill: " + (deliveries - distinct) + " redeliveries after " + kills
                        + " kills");
        assertEquals(distinct, count(schema, "SELECT count(*) FROM activity_events"), "each delivered event stored");
    }

    // ------------------------------------------------------------------ runner processes

    /** {@code Cli run --forever --config config/cluster.properties} in a JVM of its own, as node {@code node}. */
    static Process runner(Path work, String node, String schema, String windowDuration, int delayMs)
            throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("camel.main.routes-include-pattern", ROUTES);
        options.put("powerbi.sandbox.connection-file", connectionFile.toString());
        options.put("powerbi.cluster.node", node);
        options.put("powerbi.cluster.lock-interval-ms", "300");
        options.put("powerbi.activity.start-from", START.toString());
        options.put("powerbi.activity.lag", "PT2S");
        options.put("powerbi.activity.poll-delay-ms", "500");
        options.put("powerbi.activity.window-duration", windowDuration);
        options.put("test.db.url", postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + schema);
        options.put("test.delay-ms", String.valueOf(delayMs));
        Process p = runnerJvm(work, node, PROJECT.resolve("config/cluster.properties"), options);
        processes.add(p);
        return p;
    }

    /** {@link #runnerJvm(Path, String, String, boolean, Path, Map)} in 256 MB, {@code --forever}. */
    static Process runnerJvm(Path work, String node, Path config, Map<String, String> options) throws IOException {
        return runnerJvm(work, node, "256m", true, config, options);
    }

    /**
     * {@code Cli run [--forever] --config <config> --key=value...} in a JVM of its own (heap {@code xmx}, exiting on
     * OutOfMemoryError; serial GC, C1 only: many run at once on two cores), working in {@code work}, its output appended
     * to {@code runner-<node>.log} there.
     */
    static Process runnerJvm(
            Path work, String node, String xmx, boolean forever, Path config, Map<String, String> options)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx,
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dpowerbi.log.level=INFO",
                "-cp",
                classpath(),
                "io.camelpowerbi.app.Cli",
                "run"));
        if (forever) {
            command.add("--forever");
        }
        command.addAll(List.of("--config", config.toString()));
        options.forEach((k, v) -> command.add("--" + k + "=" + v));
        return new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        work.resolve("runner-" + node + ".log").toFile()))
                .start();
    }

    /** The test classpath: surefire may start this JVM from a manifest-only jar, and says the real one here. */
    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    static String log(Path work, String node) throws IOException {
        Path file = work.resolve("runner-" + node + ".log");
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    static void stop(Process p) throws InterruptedException {
        if (p.isAlive()) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Ids delivered in the current window, from the checkpoint line
     * {@code key={"v":1,"state":{"start":...,"delivered":[id,...]}}}.
     */
    static int deliveredInWindow(Path stateFile) throws IOException {
        if (!Files.isRegularFile(stateFile)) {
            return 0;
        }
        for (String line : Files.readAllLines(stateFile, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                JsonNode delivered = new ObjectMapper()
                        .readTree(line.substring(eq + 1))
                        .path("state")
                        .path("delivered");
                if (delivered.size() > 0) {
                    return delivered.size();
                }
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------ the sandbox and the database

    /** Ids of the sandbox's activity log in [from, to), as its Java API has them. */
    static Set<String> expected(Instant from, Instant to) {
        return sandbox.activityLog().events(from, to.minusNanos(1)).stream()
                .map(ActivityLog.Event::id)
                .collect(Collectors.toSet());
    }

    static String schema(String name) throws SQLException {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
            s.execute("CREATE TABLE " + name + ".deliveries (id text NOT NULL, node text NOT NULL,"
                    + " delivered_at timestamptz NOT NULL DEFAULT clock_timestamp())");
            s.execute("CREATE TABLE " + name + ".activity_events (id text PRIMARY KEY, creation_time text,"
                    + " activity text)");
        }
        return name;
    }

    static Set<String> delivered(String schema) throws SQLException {
        return Set.copyOf(strings(schema, "SELECT id FROM deliveries"));
    }

    static Set<String> stored(String schema) throws SQLException {
        return Set.copyOf(strings(schema, "SELECT id FROM activity_events"));
    }

    static long count(String schema, String sql) throws SQLException {
        return Long.parseLong(single(schema, sql));
    }

    static String single(String schema, String sql) throws SQLException {
        List<String> rows = strings(schema, sql);
        assertEquals(1, rows.size(), sql + " -> " + rows);
        return rows.get(0);
    }

    static List<String> strings(String schema, String sql) throws SQLException {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + schema);
            List<String> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery(sql)) {
                while (r.next()) {
                    rows.add(r.getString(1));
                }
            }
            return rows;
        }
    }
}
