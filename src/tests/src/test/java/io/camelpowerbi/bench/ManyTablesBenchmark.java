package io.camelpowerbi.bench;

import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.sandbox.Dataset;
import io.camelpowerbi.sandbox.LimitsConfig;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * Benchmark 5, many tables from one JVM: {@code bench.tables.count} (1,000) push datasets of one table each, all pushed
 * at once through one component's row stream ({@code pushRows?streaming=true}, the target per message) by a child JVM
 * with {@code -Xmx} {@code bench.tables.xmx} (256m). The sandbox enforces Power BI's push limits per dataset,
 * time-scaled by {@code bench.tables.timeScale} (60: a sandbox minute lasts one real second), and the component counts
 * its limits on the same scale ({@code rateLimitTimeScale}).
 *
 * <p>Reported: rows/s and POST rows requests/s over the whole push, the child's peak heap, its peak live threads (and
 * the row stream's own: one scheduler, {@code streamSenderThreads} senders and as many completion threads, whatever
 * the number of tables), the 429 answers the sandbox sent (target 0: every dataset within its limits), and that every
 * row arrived once.
 *
 * <p>Properties: {@code bench.tables.count} (1,000), {@code bench.tables.rows} rows per table (1,000),
 * {@code bench.tables.rowsPerMessage} (10), {@code bench.tables.timeScale} (60), {@code bench.tables.lingerTime}
 * (PT0.1S), {@code bench.tables.feeders} (4), {@code bench.tables.bufferRows} (the component's streamBufferRows,
 * 100,000), {@code bench.tables.xmx} (256m).
 */
final class ManyTablesBenchmark {

    static final String TABLE = "Readings";

    private ManyTablesBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogging();
        List<String> figures = run();
        System.out.println();
        figures.forEach(System.out::println);
    }

    static List<String> run() throws Exception {
        int tables = Integer.getInteger("bench.tables.count", 1_000);
        int rowsPerTable = Integer.getInteger("bench.tables.rows", 1_000);
        int rowsPerMessage = Integer.getInteger("bench.tables.rowsPerMessage", 10);
        double timeScale = Double.parseDouble(System.getProperty("bench.tables.timeScale", "60"));
        String lingerTime = System.getProperty("bench.tables.lingerTime", "PT0.1S");
        int feeders = Integer.getInteger("bench.tables.feeders", 4);
        long bufferRows = Long.getLong("bench.tables.bufferRows", 100_000);
        String xmx = System.getProperty("bench.tables.xmx", "256m");
        LimitsConfig limits = LimitsConfig.defaults().with(LimitsConfig::timeScale, timeScale);
        Path dir = BenchSupport.dir();
        System.out.printf(
                Locale.ROOT,
                "many tables: %,d datasets of one table, %,d rows each in messages of %d rows, "
                        + "through one row stream (lingerTime %s, streamBufferRows %,d) in a JVM with -Xmx%s; sandbox limits on, "
                        + "timeScale %.0f (per dataset %d POST rows per %.1f real s, %,d rows per %.0f real s)%n",
                tables,
                rowsPerTable,
                rowsPerMessage,
                lingerTime,
                bufferRows,
                xmx,
                timeScale,
                limits.postRowsPerMinute(),
                60 / timeScale,
                limits.rowsPerHour(),
                3600 / timeScale);
        List<String> figures = new ArrayList<>();
        try (Sandbox sandbox = BenchSupport.sandbox(limits)) {
            PowerBiConfiguration configuration = new LocalSandbox(sandbox).configure(new PowerBiConfiguration());
            List<String> ids = new ArrayList<>();
            long t0 = System.nanoTime();
            try (CamelContext camel = BenchSupport.camel(configuration, null)) {
                for (int i = 0; i < tables; i++) {
                    Path definition = dir.resolve("many-tables-definition.json");
                    Files.writeString(
                            definition,
                            "{\"name\":\"Bench Table " + i + "\",\"retentionPolicy\":\"basicFIFO\","
                                    + "\"tables\":[{\"name\":\"" + TABLE
                                    + "\",\"columns\":[{\"name\":\"Id\",\"dataType\":\"Int64\"},"
                                    + "{\"name\":\"Sensor\",\"dataType\":\"String\"},{\"name\":\"Value\",\"dataType\":\"Double\"}]}]}");
                    ids.add(BenchSupport.ensureDataset(camel, definition));
                }
            }
            System.out.printf(Locale.ROOT, "  %,d datasets made in %.1f s%n", tables, (System.nanoTime() - t0) / 1e9);
            Path idsFile = Files.write(dir.resolve("many-tables-ids.txt"), ids);

            BenchSupport.ChildRun run = BenchSupport.runChild(
                    xmx,
                    ManyTablesRun.class,
                    sandbox,
                    List.of(
                            idsFile.toString(),
                            TABLE,
                            String.valueOf(rowsPerTable),
                            String.valueOf(rowsPerMessage),
                            String.valueOf(timeScale),
                            lingerTime,
                            String.valueOf(feeders),
                            String.valueOf(bufferRows)));
            Map<String, Long> result = run.result();
            long added = 0;
            long requests = 0;
            long throttled = 0;
            long busiest = 0;
            for (String id : ids) {
                Dataset dataset = sandbox.dataset(id);
                added += dataset.rowsAddedCount();
                requests += dataset.postRowsRequestCount();
                throttled += dataset.throttledCount();
                busiest = Math.max(busiest, dataset.postRowsRequestCount());
            }
            long expected = (long) tables * (rowsPerTable / rowsPerMessage) * rowsPerMessage;
            if (run.exit() != 0 || !result.containsKey("rows")) {
                run.output().forEach(l -> System.out.println("    child: " + l));
                figures.add(String.format(
                        Locale.ROOT,
                        "many tables (%,d, -Xmx%s): FAILED (exit %d); the sandbox "
                                + "received %,d of %,d rows, 429 answers: %d",
                        tables,
                        xmx,
                        run.exit(),
                        added,
                        expected,
                        throttled));
                return figures;
            }
            double seconds = result.get("durationMs") / 1e3;
            String verdict = added == expected && result.get("failed") == 0
                    ? "every row arrived once"
                    : "INCOMPLETE: " + result.get("failed") + " messages failed";
            String line = String.format(
                    Locale.ROOT,
                    "many tables: %,d datasets pushed at once from one JVM (-Xmx%s, "
                            + "timeScale %.0f, lingerTime %s): %,d rows in %.1f s = %,.0f rows/s, %,d POST rows requests "
                            + "(%,.0f/s; the busiest dataset %,d), %s; 429 answers from the sandbox: %d (target 0); child heap "
                            + "peak %s used, %s right after a GC, of %s max; threads: %d live before the push, peak %d (the row "
                            + "stream's: %d, %d feeders)",
                    tables,
                    xmx,
                    timeScale,
                    lingerTime,
                    added,
                    seconds,
                    added / seconds,
                    requests,
                    requests / seconds,
                    busiest,
                    verdict,
                    throttled,
                    BenchSupport.mib(result.get("peakUsed")),
                    BenchSupport.mib(result.get("peakAfterGc")),
                    BenchSupport.mib(result.get("maxHeap")),
                    result.get("threadsBefore"),
                    result.get("peakThreads"),
                    result.get("streamThreads"),
                    result.get("feeders"));
            System.out.println("  " + line);
            figures.add(line);
        }
        return figures;
    }
}
