package io.camelpowerbi.app;

import static io.camelpowerbi.OrderRows.HEADER;
import static io.camelpowerbi.OrderRows.row;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.sandbox.Dataset;
import io.camelpowerbi.sandbox.FaultRule;
import io.camelpowerbi.sandbox.PushTable;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped orders route in runner processes of their own, as a user runs them ({@code Cli run} with
 * {@code config/application.properties}), against a sandbox in this JVM (through its connection file):
 * <ul>
 * <li>hostile files, in a JVM with a 96 MB heap (that exits on an OutOfMemoryError): a number of 3,000,001 digits,
 * exponents of 300 million, 64 MB lines and values. Each ends as rejected rows or a failure named in its
 * {@code .reason} file, in bounded time, and the consumer goes on with the next file;</li>
 * <li>a runner killed ({@code SIGKILL}) twice in the middle of a file and started again: the file is pushed on from the
 * last batch Power BI accepted, so each kill repeats at most the one batch that was on the wire.</li>
 * </ul>
 */
class PushProcessesTest {

    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final int BIG = 64 << 20;

    Sandbox sandbox;
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            ClusterProcessesTest.stop(p);
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    Path start(String name) throws IOException {
        Path dir = PROJECT.resolve("target/push-processes").resolve(name);
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(dir.resolve("data/inbox"));
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")));
        return dir;
    }

    /** {@code Cli run} in a JVM of its own, with the orders route only; its output in {@code runner-<n>.log}. */
    Process runner(Path work, int n, String xmx, boolean forever, Map<String, String> more) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(
                "camel.main.routes-include-pattern", "file:" + PROJECT.resolve("routes/orders-to-powerbi.camel.yaml"));
        options.put(
                "powerbi.sandbox.connection-file", sandbox.writeConnectionFile().toString());
        options.put(
                "powerbi.orders.dataset-definition",
                PROJECT.resolve("config/datasets/sales.yaml").toString());
        options.put("powerbi.broker.embedded", "false");
        options.put("powerbi.database.url", "");
        options.put("powerbi.sample.generate", "false");
        options.put("powerbi.runner.max-duration", "PT170S");
        options.putAll(more);
        Process p = ClusterProcessesTest.runnerJvm(
                work, String.valueOf(n), xmx, forever, PROJECT.resolve("config/application.properties"), options);
        processes.add(p);
        return p;
    }

    PushTable orders() {
        Dataset sales = sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS).datasets().stream()
                .filter(d -> d.name().equals("Sales"))
                .findFirst()
                .orElse(null);
        return sales == null ? null : sales.table("Orders").orElse(null);
    }

    /** How often each OrderId is in the sandbox's Orders table. */
    Map<Long, Integer> countsById() {
        Map<Long, Integer> counts = new HashMap<>();
        PushTable table = orders();
        if (table != null) {
            for (Object[] row : table.rows(Long.MAX_VALUE)) {
                counts.merge(((Number) row[0]).longValue(), 1, Integer::sum);
            }
        }
        return counts;
    }

    long rowCount() {
        PushTable table = orders();
        return table == null ? 0 : table.rowCount();
    }

    static void write(Path file, String head, char fill, int count, String tail) throws IOException {
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            w.write(head);
            char[] chunk = new char[1 << 16];
            java.util.Arrays.fill(chunk, fill);
            for (int left = count; left > 0; left -= chunk.length) {
                w.write(chunk, 0, Math.min(left, chunk.length));
            }
            w.write(tail);
        }
    }

    static String log(Path work, int n) throws IOException {
        Path file = work.resolve("runner-" + n + ".log");
        return Files.isRegularFile(file) ? Files.readString(file) : "";
    }

    // ------------------------------------------------------------------ hostile files, bounded heap

    @Test
    void hostileFilesEndAsRejectedRowsOrNamedFailuresWithin96MbAndTheConsumerGoesOn() throws Exception {
        Path work = start("hostile");
        Path inbox = work.resolve("data/inbox");
        // minutes of BigDecimal.stripTrailingZeros, then the file stayed and hung the next run too: a value this long
        // is more than a row may hold, so the CSV stops there (with nothing of it sent: no batch was complete)
        write(
                inbox.resolve("zeros.csv"),
                HEADER + row(5_000_001, "3", "1.5") + "5000002,2026-11-30T10:15:30Z,C,N,W,1",
                '0',
                3_000_000,
                ",1.5,true\n" + row(5_000_003, "3", "1.5"));
        // the same number a third as long fits a row: refused as a number of more than 100 characters, at once
        write(
                inbox.resolve("zeros-900k.csv"),
                HEADER + row(5_000_061, "3", "1.5") + "5000062,2026-11-30T10:15:30Z,C,N,W,1",
                '0',
                900_000,
                ",1.5,true\n" + row(5_000_063, "3", "1.5"));
        // 2.5 minutes of CPU then an OutOfMemoryError; a bare ArithmeticException under SKIP
        Files.writeString(
                inbox.resolve("exponents.csv"),
                HEADER
                        + row(5_000_011, "3", "1e300000000")
                        + row(5_000_012, "3", "1e999999999")
                        + row(5_000_013, "1e300000000", "1.5")
                        + row(5_000_014, "3", "1.5"));
        // a 64 MB NDJSON line between two good ones: OutOfMemoryError in readLine, and no poll ever after
        String good = "{\"OrderId\":%d,\"OrderedAt\":\"2026-11-30T10:15:30Z\",\"Quantity\":1,\"UnitPrice\":1.5}\n";
        write(
                inbox.resolve("long-line.ndjson"),
                String.format(good, 5_000_021) + "{\"Customer\":\"",
                'x',
                BIG,
                "\"}\n" + String.format(good, 5_000_023));
        // a 64 MB quoted CSV value, a 64 MB JSON string: the parsers cannot find the next row after them
        write(
                inbox.resolve("long-value.csv"),
                HEADER + row(5_000_031, "3", "1.5") + "5000032,2026-11-30T10:15:30Z,\"",
                'y',
                BIG,
                "\",N,W,1,1.5,true\n");
        write(
                inbox.resolve("long-value.json"),
                "[" + String.format(good, 5_000_041).trim() + ",{\"OrderId\":5000042," + "\"Customer\":\"",
                'z',
                BIG,
                "\"}]");

        Process runner = runner(
                work,
                1,
                "96m",
                true,
                Map.of("powerbi.orders.files", ".*\\.(csv|json|ndjson)", "powerbi.runner.max-duration", "PT600S"));
        Path done = inbox.resolve("done");
        Path failed = inbox.resolve("failed");
        await().atMost(Duration.ofSeconds(120))
                .until(() -> !runner.isAlive()
                        || Files.exists(failed.resolve("zeros.csv.reason"))
                                && Files.exists(done.resolve("zeros-900k.csv"))
                                && Files.exists(done.resolve("exponents.csv"))
                                && Files.exists(done.resolve("long-line.ndjson"))
                                && Files.exists(failed.resolve("long-value.csv.reason"))
                                && Files.exists(failed.resolve("long-value.json.reason")));
        assertTrue(runner.isAlive(), "the runner is alive, no OutOfMemoryError:\n" + log(work, 1));

        String zeros = Files.readString(failed.resolve("zeros.csv.reason"));
        assertTrue(
                zeros.contains("row 2")
                        && zeros.contains("column 'Quantity'")
                        && zeros.contains("more than 1,048,576 characters")
                        && zeros.contains("Nothing was sent"),
                zeros);
        String csvReason = Files.readString(failed.resolve("long-value.csv.reason"));
        assertTrue(
                csvReason.contains("row 2")
                        && csvReason.contains("column 'Customer'")
                        && csvReason.contains("more than 1,048,576 characters")
                        && csvReason.contains("Nothing was sent"),
                csvReason);
        String jsonReason = Files.readString(failed.resolve("long-value.json.reason"));
        assertTrue(jsonReason.contains("row 2") && jsonReason.contains("more than 1,048,576 characters"), jsonReason);

        // the consumer goes on: a good file after the failures is pushed
        Files.writeString(inbox.resolve("after.csv"), HEADER + row(5_000_051, "3", "1.5"));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !runner.isAlive() || Files.exists(done.resolve("after.csv")));
        assertTrue(runner.isAlive(), log(work, 1));

        Map<Long, Integer> counts = countsById();
        for (long id : List.of(5_000_014L, 5_000_021L, 5_000_023L, 5_000_051L, 5_000_061L, 5_000_063L)) {
            assertEquals(1, counts.getOrDefault(id, 0), "row " + id + " arrived once: " + counts);
        }
        for (long id : List.of(
                5_000_001L,
                5_000_002L,
                5_000_003L,
                5_000_011L,
                5_000_012L,
                5_000_013L,
                5_000_022L,
                5_000_031L,
                5_000_032L,
                5_000_041L,
                5_000_042L,
                5_000_062L)) {
            assertFalse(counts.containsKey(id), "row " + id + " was rejected, unreadable or after the stop");
        }
        String log = log(work, 1);
        assertTrue(log.contains("zeros-900k.csv: 2 rows pushed in 1 batches, 1 rejected"), log);
        assertTrue(log.contains("exponents.csv: 1 rows pushed in 1 batches, 3 rejected"), log);
        assertTrue(log.contains("long-line.ndjson: 2 rows pushed in 1 batches, 1 rejected"), log);
        assertFalse(log.contains("OutOfMemoryError"), log);
    }

    // ------------------------------------------------------------------ kill -9 mid-file, restart

    @Test
    void aRunnerKilledMidFileResumesAndRepeatsAtMostOneBatchPerKill() throws Exception {
        Path work = start("crash");
        int rows = 150_000;
        try (Writer w = Files.newBufferedWriter(work.resolve("data/inbox/orders.csv"), StandardCharsets.UTF_8)) {
            w.write(HEADER);
            for (int id = 1; id <= rows; id++) {
                w.write(row(id, "3", "19.99"));
            }
        }
        // Power BI taking its time over each batch: the kills land in the middle of the file
        sandbox.faults().add(FaultRule.delay("/tables/Orders/rows$", 300));

        int kills = 0;
        for (long target : List.of(30_000L, 80_000L)) {
            Process runner = runner(work, kills + 1, "256m", false, Map.of());
            await().atMost(Duration.ofSeconds(90)).until(() -> rowCount() >= target || !runner.isAlive());
            assertTrue(runner.isAlive(), "killed in the middle of the file:\n" + log(work, kills + 1));
            runner.destroyForcibly(); // SIGKILL: no shutdown hook, the batch on the wire may or may not count
            assertTrue(runner.waitFor(20, TimeUnit.SECONDS));
            kills++;
            assertTrue(rowCount() < rows, "killed before the end");
        }
        Process last = runner(work, 3, "256m", false, Map.of());
        assertTrue(last.waitFor(150, TimeUnit.SECONDS), "the last run finishes the file and stops by itself");
        assertEquals(0, last.exitValue(), log(work, 3));
        assertTrue(Files.exists(work.resolve("data/inbox/done/orders.csv")), log(work, 3));
        assertTrue(log(work, 3).contains("resuming after them"), log(work, 3));

        Map<Long, Integer> counts = countsById();
        for (long id = 1; id <= rows; id++) {
            int n = counts.getOrDefault(id, 0);
            assertTrue(n == 1 || n == 2, "OrderId " + id + " arrived " + n + " times");
        }
        long repeated = counts.values().stream().filter(n -> n > 1).count();
        assertTrue(
                repeated <= kills * 10_000L,
                repeated + " rows arrived twice after " + kills + " kills: at most one " + "batch of 10,000 per kill");
        assertEquals(rows + repeated, rowCount());
    }
}
