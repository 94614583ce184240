package io.camelpowerbi.bench;

import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.sandbox.LimitsConfig;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * Benchmark 2, memory: a 5,000,000-row CSV file is pushed by a separate JVM limited to {@code -Xmx256m}
 * ({@link PushMemoryRun}, through {@code powerbi:pushRows}) into the sandbox running here (limits off; the dataset has
 * retention basicFIFO, so the sandbox keeps the newest 200,000 rows). The push must complete: the pipeline streams
 * the file instead of buffering it (the file is about 350 MB). Prints rows pushed, duration and the child's peak heap
 * against its 256 MiB limit, once per policy: SKIP reads the file once, FAIL twice (every row is checked before the
 * first is sent).
 *
 * <p>Properties: {@code bench.memory.rows} (5,000,000), {@code bench.memory.policies} (SKIP,FAIL),
 * {@code bench.memory.xmx} (256m).
 */
final class PushMemoryBenchmark {

    private PushMemoryBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogging();
        List<String> figures = run();
        System.out.println();
        figures.forEach(System.out::println);
    }

    static List<String> run() throws Exception {
        int rows = Integer.getInteger("bench.memory.rows", 5_000_000);
        String xmx = System.getProperty("bench.memory.xmx", "256m");
        List<String> policies =
                List.of(System.getProperty("bench.memory.policies", "SKIP,FAIL").split(","));
        Path dir = BenchSupport.dir();
        File csv = OrderData.csv(dir, rows).toFile();
        Path definition = BenchSupport.definition("Bench Orders FIFO", "basicFIFO");
        System.out.printf(
                Locale.ROOT,
                "push memory: %,d rows (CSV %,d MB) pushed by a JVM with -Xmx%s%n",
                rows,
                csv.length() >> 20,
                xmx);
        List<String> figures = new ArrayList<>();
        try (Sandbox sandbox = BenchSupport.sandbox(LimitsConfig.defaults().with(LimitsConfig::enabled, false))) {
            String datasetId;
            PowerBiConfiguration configuration = new LocalSandbox(sandbox).configure(new PowerBiConfiguration());
            try (CamelContext camel = BenchSupport.camel(configuration, null)) {
                datasetId = BenchSupport.ensureDataset(camel, definition);
            }
            for (String policy : policies) {
                long before = sandbox.dataset(datasetId).rowsAddedCount();
                long t0 = System.nanoTime();
                BenchSupport.ChildRun run = BenchSupport.runChild(
                        xmx,
                        PushMemoryRun.class,
                        sandbox,
                        List.of(datasetId, definition.toString(), csv.getAbsolutePath(), policy));
                Map<String, Long> result = run.result();
                List<String> output = run.output();
                double seconds = (System.nanoTime() - t0) / 1e9;
                int exit = run.exit();
                long added = sandbox.dataset(datasetId).rowsAddedCount() - before;
                long held = BenchSupport.table(sandbox, datasetId).rowCount();
                if (exit != 0 || !result.containsKey("rowsSent")) {
                    output.forEach(l -> System.out.println("    child: " + l));
                    figures.add(String.format(
                            Locale.ROOT,
                            "push memory, invalidRowPolicy=%s, -Xmx%s: FAILED (exit %d%s) "
                                    + "after %.1f s; the sandbox received %,d rows",
                            policy,
                            xmx,
                            exit,
                            exit == 3 ? ", OutOfMemoryError" : "",
                            seconds,
                            added));
                    continue;
                }
                long sent = result.get("rowsSent");
                String verdict = sent == rows && added == rows ? "completed" : "INCOMPLETE";
                String line = String.format(
                        Locale.ROOT,
                        "push memory, invalidRowPolicy=%s, -Xmx%s: %s, %,d rows "
                                + "(CSV %,d MB) pushed (sandbox received %,d, keeps %,d with basicFIFO) in %.1f s (%,.0f rows/s); child heap peak "
                                + "%s used, %s right after a GC, of %s max; %,d GCs",
                        policy,
                        xmx,
                        verdict,
                        sent,
                        csv.length() >> 20,
                        added,
                        held,
                        result.get("durationMs") / 1e3,
                        sent / (result.get("durationMs") / 1e3),
                        BenchSupport.mib(result.get("peakUsed")),
                        BenchSupport.mib(result.get("peakAfterGc")),
                        BenchSupport.mib(result.get("maxHeap")),
                        result.get("gcCount"));
                System.out.println("  " + line);
                figures.add(line);
            }
        }
        return figures;
    }
}
