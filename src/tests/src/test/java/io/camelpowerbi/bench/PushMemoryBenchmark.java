package io.camelpowerbi.bench;

import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import io.camelpowerbi.sandbox.LimitsConfig;
import io.camelpowerbi.sandbox.Sandbox;
import org.apache.camel.CamelContext;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

    private PushMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogging();
        List<String> figures = run();
        System.out.println();
        figures.forEach(System.out::println);
    }

    static List<String> run() throws Exception {
        int rows = Integer.getInteger("bench.memory.rows", 5_000_000);
        String xmx = System.getProperty("bench.memory.xmx", "256m");
        List<String> policies = List.of(System.getProperty("bench.memory.policies", "SKIP,FAIL").split(","));
        Path dir = BenchSupport.dir();
        File csv = OrderData.csv(dir, rows).toFile();
        Path definition = BenchSupport.definition("Bench Orders FIFO", "basicFIFO");
        System.out.printf(Locale.ROOT, "push memory: %,d rows (CSV %,d MB) pushed by a JVM with -Xmx%s%n", rows,
                csv.length() >> 20, xmx);
        List<String> figures = new ArrayList<>();
        try (Sandbox sandbox = BenchSupport.sandbox(LimitsConfig.defaults().with(LimitsConfig::enabled, false))) {
            String datasetId;
            PowerBiConfiguration configuration = new LocalSandbox(sandbox).configure(new PowerBiConfiguration());
            try (CamelContext camel = BenchSupport.camel(configuration, null)) {
                datasetId = BenchSupport.ensureDataset(camel, definition);
            }
            for (String policy : policies) {
                long before = sandbox.dataset(datasetId).rowsAddedCount();
                List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx" + xmx, "-XX:+ExitOnOutOfMemoryError", "-cp", BenchSupport.classPath(),
                        PushMemoryRun.class.getName(), sandbox.apiBaseUrl(), sandbox.baseUrl(), sandbox.devTenantId(),
                        sandbox.devClientId(), sandbox.devCertificateFile().toAbsolutePath().toString(),
                        sandbox.devPrivateKeyFile().toAbsolutePath().toString(),
                        sandbox.tlsCertificateFile().toAbsolutePath().toString(), Sandbox.WORKSPACE_SALES_ANALYTICS,
                        datasetId, definition.toString(), csv.getAbsolutePath(), policy);
                long t0 = System.nanoTime();
                Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
                Map<String, Long> result = new HashMap<>();
                List<String> output = new ArrayList<>();
                try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("RESULT ")) {
                            for (String pair : line.substring(7).trim().split(" ")) {
                                String[] kv = pair.split("=", 2);
                                result.put(kv[0], Long.parseLong(kv[1]));
                            }
                        } else {
                            output.add(line);
                        }
                    }
                }
                if (!child.waitFor(15, TimeUnit.MINUTES)) {
                    child.destroyForcibly();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                int exit = child.exitValue();
                long added = sandbox.dataset(datasetId).rowsAddedCount() - before;
                long held = BenchSupport.table(sandbox, datasetId).rowCount();
                if (exit != 0 || !result.containsKey("rowsSent")) {
                    output.forEach(l -> System.out.println("    child: " + l));
                    figures.add(String.format(Locale.ROOT, "push memory, invalidRowPolicy=%s, -Xmx%s: FAILED (exit %d%s) "
                            + "after %.1f s; the sandbox received %,d rows", policy, xmx, exit,
                            exit == 3 ? ", OutOfMemoryError" : "", seconds, added));
                    continue;
                }
                long sent = result.get("rowsSent");
                String verdict = sent == rows && added == rows ? "completed" : "INCOMPLETE";
                String line = String.format(Locale.ROOT, "push memory, invalidRowPolicy=%s, -Xmx%s: %s, %,d rows "
                        + "(CSV %,d MB) pushed (sandbox received %,d, keeps %,d with basicFIFO) in %.1f s (%,.0f rows/s); child heap peak "
                        + "%s used, %s right after a GC, of %s max; %,d GCs", policy, xmx, verdict, sent, csv.length() >> 20, added, held,
                        result.get("durationMs") / 1e3, sent / (result.get("durationMs") / 1e3),
                        BenchSupport.mib(result.get("peakUsed")), BenchSupport.mib(result.get("peakAfterGc")),
                        BenchSupport.mib(result.get("maxHeap")), result.get("gcCount"));
                System.out.println("  " + line);
                figures.add(line);
            }
        }
        return figures;
    }
}
