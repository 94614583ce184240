package io.camelpowerbi.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.sandbox.Dataset;
import io.camelpowerbi.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run ROUTES...}: a user's own routes, whatever they are, run to the end of their work with nothing of the
 * sample: no sample data, no broker or database unless a route uses them, a summary about these routes. The job ends
 * when files are drained, timers are past repeatCount and polling consumers caught up, not after a timeout.
 */
class RunnerOwnJobTest {

    @TempDir
    Path dir;

    @Test
    void aFileRouteOfYourOwnPushesQueriesAndEndsWhenTheInboxIsDrained() throws Exception {
        Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(
                dir.resolve("inbox/orders.csv"), "OrderId;Customer;Amount\n1;Ann;10.5\n2;Bob;20\n3;Cy;7.25\n");
        Files.writeString(dir.resolve("orders.dataset.yaml"), """
                name: Orders
                tables:
                  - name: Orders
                    columns:
                      - { name: OrderId, dataType: Int64 }
                      - { name: Customer, dataType: String }
                      - { name: Amount, dataType: Decimal }
                """);
        Path route = Files.writeString(dir.resolve("my-job.camel.yaml"), """
                - route:
                    id: orders
                    from:
                      uri: "file:%1$s/inbox"
                      parameters: { include: ".*\\\\.csv", move: done }
                      steps:
                        - to:
                            uri: powerbi:ensureDataset
                            variableReceive: dataset
                            parameters: { workspace: Sales Analytics, datasetDefinition: "%1$s/orders.dataset.yaml" }
                        - to:
                            uri: powerbi:pushRows
                            parameters: { workspace: Sales Analytics, dataset: Orders, table: Orders,
                                          datasetDefinition: "%1$s/orders.dataset.yaml" }
                        - setBody:
                            constant: "EVALUATE TOPN(2, 'Orders', 'Orders'[Amount], DESC)"
                        - to:
                            uri: powerbi:executeQuery
                            parameters: { workspace: Sales Analytics, dataset: Orders, stripTableNames: true }
                        - marshal: { csv: {} }
                        - to: "file:%1$s/out?fileName=top.csv"
                """.formatted(dir));
        Run run = run(List.of(route), Map.of());

        assertTrue(run.ok, run.out);
        assertTrue(run.out.contains("the routes' work is done"), run.out);
        Dataset orders = run.sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS).datasets().stream()
                .filter(d -> d.name().equals("Orders"))
                .findFirst()
                .orElseThrow();
        assertEquals(3, orders.table("Orders").orElseThrow().rowCount(), "the user's rows are in the sandbox");
        assertEquals(
                List.of("OrderId,Customer,Amount", "2,Bob,20", "1,Ann,10.5"),
                Files.readAllLines(dir.resolve("out/top.csv")).stream()
                        .map(l -> l.replace(".0,", ","))
                        .toList());
        assertTrue(Files.exists(dir.resolve("inbox/done/orders.csv")));

        // nothing of the sample: no generated orders, no broker, no database
        assertFalse(Files.exists(dir.resolve("data/inbox")), "no sample data");
        assertFalse(run.out.contains("Artemis") || run.out.contains("database "), run.out);
        // the summary is about this route
        RunnerSummary summary = run.runner.summary();
        assertEquals(Map.of("orders", new RunnerSummary.RouteCount(1, 0)), summary.routes());
        assertEquals(3, summary.rowsPushed());
        assertTrue(run.out.contains("rows pushed:    3 (1 push)"), run.out);
        assertFalse(run.out.contains("refresh:") || run.out.contains("events"), run.out);
    }

    @Test
    void timersEndAfterTheirRepeatCountAndAPowerBiConsumerOnceCaughtUp() throws Exception {
        // the activity consumer polls once a minute: the job must not wait for a second poll to know it caught up
        Path route = Files.writeString(dir.resolve("timers.camel.yaml"), """
                - route:
                    id: three-ticks
                    from:
                      uri: timer:tick?repeatCount=3&period=100
                      steps:
                        - to: powerbi:listWorkspaces
                - route:
                    id: activity
                    from:
                      uri: powerbi:activityEvents
                      parameters: { startFrom: PT6H, lag: PT30M, delay: 60000, stateFile: "%s/activity.state" }
                      steps:
                        - log: "${body[Activity]}"
                """.formatted(dir));
        Run run = run(List.of(route), Map.of("powerbi.runner.max-idle", "PT50S"));

        assertTrue(run.ok, run.out);
        assertTrue(run.out.contains("the routes' work is done"), run.out);
        assertEquals(3, run.runner.summary().routes().get("three-ticks").completed());
        assertTrue(run.runner.summary().routes().get("activity").completed() > 0, run.out);
    }

    @Test
    void aJobWhoseRoutesNeverEndStopsAfterMaxIdleAndSaysWhy() throws Exception {
        Path route = Files.writeString(dir.resolve("waiting.camel.yaml"), """
                - route:
                    id: waits-for-messages
                    from:
                      uri: direct:nobody-calls
                      steps:
                        - log: "${body}"
                """);
        Run run = run(List.of(route), Map.of("powerbi.runner.max-idle", "1s"));

        assertTrue(run.ok, "nothing was left unfinished:\n" + run.out);
        assertTrue(run.out.contains("no route has work that ends"), run.out);
        assertTrue(run.out.contains("no exchange for powerbi.runner.max-idle PT1S"), run.out);
    }

    @Test
    void anEndlessTimerRunsUntilMaxDurationAndCountsAsUnfinishedWorkOnlyWhenFiniteWorkIsLeft() throws Exception {
        Path route = Files.writeString(dir.resolve("endless.camel.yaml"), """
                - route:
                    id: every-100-ms
                    from:
                      uri: timer:tick?period=100
                      steps:
                        - log: "tick ${exchangeProperty.CamelTimerCounter}"
                - route:
                    id: far-away
                    from:
                      uri: timer:later?repeatCount=1&delay=3600000
                      steps:
                        - log: "later"
                """);
        Run run = run(List.of(route), Map.of("powerbi.runner.max-duration", "PT2S"));

        assertFalse(run.ok, run.out);
        assertTrue(run.out.contains("[every-100-ms] repeat without end"), run.out);
        assertTrue(run.out.contains("stopped after powerbi.runner.max-duration PT2S"), run.out);
        assertEquals(
                Map.of("far-away", "timer fired 0 of 1 times"),
                run.runner.summary().unfinished());
    }

    @Test
    void theIncludePatternWayOfRunningYourRoutesEndsWhenTheirWorkIsDoneNotAfterWaitingForTheSampleRoutes()
            throws Exception {
        // the command of the first report: the shipped configuration, your routes by include pattern
        Path route = Files.writeString(dir.resolve("mine.camel.yaml"), TICKS);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Runner runner = new Runner(
                RunnerConfig.DEFAULT_FILE,
                Map.of(
                        "camel.main.routes-include-pattern",
                        "file:" + route,
                        "powerbi.sample.generate",
                        "false",
                        "powerbi.data.dir",
                        dir.resolve("data").toString(),
                        "powerbi.sandbox.state-dir",
                        dir.resolve("sandbox").toString()),
                Map.of(),
                List.of(),
                false,
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        boolean ok = runner.run();
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(ok, out);
        assertTrue(out.contains("the routes' work is done"), out);
        assertEquals(
                Map.of("ticks", new RunnerSummary.RouteCount(2, 0)),
                runner.summary().routes());
    }

    @Test
    void aConfigurationFileOfYourOwnRunsItsRoutesWithNothingOfTheSample() throws Exception {
        // three keys, as in the second report: no sample data, broker, database or sample summary lines
        Path route = Files.writeString(dir.resolve("mine.camel.yaml"), TICKS);
        Path config = Files.writeString(
                dir.resolve("app.properties"),
                String.join(
                        "\n",
                        "camel.main.routes-include-pattern=file:" + route,
                        "powerbi.data.dir=" + dir.resolve("data"),
                        "powerbi.sandbox.state-dir=" + dir.resolve("sandbox")));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Runner runner = new Runner(
                config, Map.of(), Map.of(), List.of(), false, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        boolean ok = runner.run();
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(ok, out);
        assertFalse(Files.exists(dir.resolve("data/inbox")), "no sample orders");
        assertFalse(
                out.contains("Artemis")
                        || out.contains("database")
                        || out.contains("refresh")
                        || out.contains("events"),
                out);
        assertEquals(
                Map.of("ticks", new RunnerSummary.RouteCount(2, 0)),
                runner.summary().routes());
    }

    private static final String TICKS = """
            - route:
                id: ticks
                from:
                  uri: timer:tick?repeatCount=2&period=50
                  steps:
                    - to: powerbi:listWorkspaces
            """;

    @Test
    void aRouteFileThatIsNotThereIsAnErrorNamingIt() {
        Run run = run(List.of(dir.resolve("missing.camel.yaml")), Map.of());
        assertFalse(run.ok);
        assertTrue(run.out.contains("no route file or folder " + dir.resolve("missing.camel.yaml")), run.out);
    }

    @Test
    void aRunnerKeyThatIsNotOneIsAnErrorListingTheKeys() throws Exception {
        Path route = dir.resolve("timer.camel.yaml");
        Files.writeString(route, """
                - from:
                    uri: timer:once?repeatCount=1
                    steps:
                      - log: "once"
                """);
        Run run = run(List.of(route), Map.of("powerbi.runner.max-seconds", "170"));
        assertFalse(run.ok);
        assertTrue(
                run.out.contains("powerbi.runner.max-seconds is not a setting of the runner: the powerbi.runner.* keys"
                        + " are powerbi.runner.max-duration, powerbi.runner.max-idle"),
                run.out);
    }

    private record Run(Runner runner, boolean ok, String out, Sandbox sandbox) {}

    private Run run(List<Path> routes, Map<String, String> properties) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Map<String, String> overrides = new java.util.HashMap<>(properties);
        overrides.put("powerbi.data.dir", dir.resolve("data").toString());
        overrides.put("powerbi.sandbox.state-dir", dir.resolve("sandbox").toString());
        // a configuration of its own (empty), not the sample's config/application.properties
        Path config = dir.resolve("empty.properties");
        try {
            Files.writeString(config, "");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Runner runner = new Runner(
                config, overrides, Map.of(), routes, false, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        boolean ok;
        try {
            ok = runner.run();
        } catch (RuntimeException e) {
            ok = false;
            new PrintStream(buffer, true, StandardCharsets.UTF_8).println(e.getMessage());
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        return new Run(
                runner,
                ok,
                out,
                runner.sandbox() == null ? null : runner.sandbox().sandbox());
    }
}
