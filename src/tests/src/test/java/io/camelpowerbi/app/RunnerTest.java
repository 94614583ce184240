package io.camelpowerbi.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.sandbox.ActivityLog;
import io.camelpowerbi.sandbox.Dataset;
import io.camelpowerbi.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped job, as README says to run it (config/application.properties, routes/), with the data directory and the
 * sandbox's state redirected into a temporary directory.
 */
class RunnerTest {

    @TempDir
    Path dir;

    @Test
    void theShippedJobPushesRefreshesQueriesExportsStoresEventsAndStopsByItself() throws Exception {
        Path data = dir.resolve("data");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        Runner runner = new Runner(
                RunnerConfig.DEFAULT_FILE,
                Map.of(
                        "powerbi.data.dir", data.toString(),
                        "powerbi.sandbox.state-dir", dir.resolve("sandbox").toString(),
                        "powerbi.runner.max-duration", "PT100S"),
                false,
                out);
        long start = System.nanoTime();
        boolean ok = runner.run();
        long seconds = (System.nanoTime() - start) / 1_000_000_000;
        String printed = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertTrue(ok, printed);
        assertTrue(seconds < 60, "took " + seconds + " s");

        RunnerSummary summary = runner.summary();
        assertEquals(100_000, summary.rowsPushed(), printed);
        assertEquals(RunnerSampleData.BAD_ROWS.length, summary.rowsRejected(), printed);
        assertTrue(printed.contains("Summary") && printed.contains("rows pushed:    100,000"), printed);

        // the rows are in the sandbox's Sales/Orders table
        Sandbox sandbox = runner.sandbox().sandbox();
        Dataset sales = sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS).datasets().stream()
                .filter(d -> d.name().equals("Sales"))
                .findFirst()
                .orElseThrow();
        assertEquals(100_000, sales.table("Orders").orElseThrow().rowCount());

        // the orders file moved to done, its rejected rows kept with their reasons
        assertTrue(Files.exists(data.resolve("inbox/done/orders.csv")));
        assertTrue(!Files.exists(data.resolve("inbox/orders.csv")));
        String rejected = Files.readString(data.resolve("rejected/orders-rejected.json"));
        for (String column : List.of("Quantity", "OrderedAt", "UnitPrice", "Paid", "OrderId")) {
            assertTrue(rejected.contains(column), column + " in " + rejected);
        }

        // the refresh the warehouse's message triggered was waited for, and its outcome went on over the outcomes queue
        assertEquals(1, summary.refreshes().size(), printed);
        assertEquals(1, summary.routes().get("refresh-outcomes").completed(), printed);
        RunnerSummary.Refresh refresh = summary.refreshes().get(0);
        assertEquals("Completed", refresh.status(), printed);
        assertTrue(refresh.refreshId() != null && refresh.startTime() != null && refresh.endTime() != null, printed);

        // the DAX result as CSV, the report as PDF
        Path csv = single(data.resolve("out"));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(101, lines.size(), "header and 100 rows");
        assertTrue(lines.get(0).contains("OrderId") && lines.get(0).contains("UnitPrice"), lines.get(0));
        Path pdf = single(data.resolve("exports"));
        byte[] bytes = Files.readAllBytes(pdf);
        assertTrue(
                pdf.toString().endsWith(".pdf")
                        && bytes.length > 5
                        && new String(bytes, 0, 5, StandardCharsets.US_ASCII).equals("%PDF-"),
                pdf.toString());
        assertTrue(
                summary.files().stream().anyMatch(f -> f.toAbsolutePath().equals(pdf.toAbsolutePath())),
                summary.files().toString());

        // the activity log of the last day in the embedded H2 file, each event once, and the summary says where
        String url = "jdbc:h2:file:" + data.resolve("database/powerbi") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        assertTrue(summary.databaseRows() > 0, printed);
        assertTrue(
                printed.contains(String.format("database rows:  %,d written (%s)", summary.databaseRows(), url)),
                printed);
        Set<String> logged =
                sandbox.activityLog().events(Instant.now().minus(Duration.ofDays(2)), Instant.now()).stream()
                        .map(ActivityLog.Event::id)
                        .collect(Collectors.toSet());
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                ResultSet rs = c.createStatement().executeQuery("SELECT id FROM activity_events")) {
            List<String> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            assertEquals(summary.databaseRows(), ids.size(), "rows in the table");
            assertEquals(ids.size(), new HashSet<>(ids).size(), "no event stored twice");
            assertTrue(logged.containsAll(ids), "every row is an event of the sandbox's log");
        }

        // what the job wrote is its user's alone: the database, rejected rows, outputs, state
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        try (Stream<Path> all = Files.walk(data)) {
            List<String> readableByOthers = all.filter(Files::isRegularFile)
                    .filter(f -> !permissions(f).endsWith("------"))
                    .map(f -> data.relativize(f) + " " + permissions(f))
                    .toList();
            assertEquals(List.of(), readableByOthers);
        }
    }

    private static String permissions(Path file) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path single(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(Files::isRegularFile).toList();
            assertEquals(1, files.size(), files.toString());
            assertTrue(Files.size(files.get(0)) > 0);
            return files.get(0);
        }
    }
}
