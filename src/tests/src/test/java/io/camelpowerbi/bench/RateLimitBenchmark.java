package io.camelpowerbi.bench;

import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.push.PushResult;
import io.camelpowerbi.push.RowBatcher;
import io.camelpowerbi.sandbox.Dataset;
import io.camelpowerbi.sandbox.LimitsConfig;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * Benchmark 3, rate limits on, time-scaled: the sandbox enforces Power BI's push limits (120 POST rows per minute,
 * 1,000,000 rows per hour, 5 pending, per dataset) with {@code timeScale} 60, so its hour lasts one real minute; the
 * component's own limiter is configured to the same limits in real time (see {@link #run()} for the equivalence).
 * Reported: the sustained throughput as a fraction of the limit (target at least 95 %) and the 429 answers the
 * sandbox sent (target 0).
 *
 * <p>Sustained throughput: both the sandbox and the limiter count a sliding window, and an empty window admits a
 * whole hour's rows at once, so the first 1,000,000 rows of a push say nothing about the limiter. They are pushed
 * first ("fill"), at full speed, which fills both windows; the measured push of another 1,000,000 rows (about a real
 * minute) then starts against full windows and can only send as the filling rows expire. Its rows per second over its
 * whole duration, divided by the limit (1,000,000 rows per 60 real s), is the sustained throughput: a limiter that
 * sends each batch as soon as the window allows reaches 100 % (to about one batch, 1 %); every wait too long, and
 * every 429 (Retry-After is at least 1 s), shows as less. The sandbox, like Power BI, counts a batch when it has
 * arrived and been read, the component's limiter when it lets the batch go: a batch let go exactly one window after
 * the one it replaces can reach the sandbox while that one is still in its window, which answers 429.
 *
 * <p>Before that, 200,000 rows go to a second dataset (windows are per dataset), so the JIT, the token and the
 * connection are warm and the first filling batch is not much slower than the later ones.
 *
 * <p>Properties: {@code bench.rate.rows} (1,000,000 measured), {@code bench.rate.timeScale} (60),
 * {@code bench.rate.requestsPerMinute} (the equivalent worked out below: 100).
 */
final class RateLimitBenchmark {

    private RateLimitBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogging();
        List<String> figures = run();
        System.out.println();
        figures.forEach(System.out::println);
    }

    static List<String> run() throws Exception {
        int rows = Integer.getInteger("bench.rate.rows", 1_000_000);
        double timeScale = Double.parseDouble(System.getProperty("bench.rate.timeScale", "60"));
        LimitsConfig limits = LimitsConfig.defaults().with(LimitsConfig::timeScale, timeScale);
        int batch = RowBatcher.MAX_BATCH_SIZE;
        double windowSeconds = 3600 / timeScale; // the sandbox's rows-per-hour window, in real seconds
        /*
         * The component's limiter runs on real time, with a 60 s request window and a 3,600 s row window. With
         * timeScale 60 the sandbox allows 120 POSTs per real second (its minute lasts 1 s) and 1,000,000 rows per real
         * minute (its hour lasts 60 s); the 120-per-hour rule for tables of 250,000+ rows never applies here, as
         * basicFIFO keeps 200,000.
         *
         * Scaling both options by 60 (7,200 requests per minute, 60,000,000 rows per hour) gives the right average
         * rate but the wrong windows: a real 60 s window of 7,200 requests, or a 3,600 s window of 60,000,000 rows,
         * admits a minute's or an hour's worth at once, i.e. 60 sandbox windows' worth within one, answered by 429s.
         * A limit only carries over when its window has the same real length on both sides. The sandbox window that
         * binds, 1,000,000 rows per 60 real seconds, has the length of the component's request window: with full
         * batches of 10,000 rows it is exactly maxRequestsPerMinute = 1,000,000 / 10,000 = 100. That is also within
         * the sandbox's 120 POSTs per real second (at most 100 in any 60 s), and maxPendingRequests stays 5 (not a
         * rate). maxRowsPerHour is set to the scaled 60,000,000: the real-time hour window cannot express the
         * sandbox's (it would allow 60 sandbox hours' rows in one), so it is lifted out of the way and the request
         * window does the work.
         *
         * Other time scales: below 60 the sandbox's row window is longer than 60 s and the same reasoning gives
         * 100 x 60 / window requests per minute; above 60 it is shorter, and 100 per 60 s (the most that never
         * exceeds 1,000,000 rows in any shorter window) reaches only window / 60 of the limit.
         */
        int requestsPerMinute = Integer.getInteger("bench.rate.requestsPerMinute", (int)
                Math.floor(limits.rowsPerHour() / (double) batch * Math.min(1, 60 / windowSeconds)));
        long rowsPerHour = Math.round(limits.rowsPerHour() * timeScale);
        double limitRowsPerSecond = limits.rowsPerHour() / windowSeconds;

        Path dir = BenchSupport.dir();
        File warmupCsv = OrderData.csv(dir, 200_000).toFile();
        File fillCsv = OrderData.csv(dir, (int) limits.rowsPerHour()).toFile();
        File csv = OrderData.csv(dir, rows).toFile();
        Path warmupDefinition = BenchSupport.definition("Bench Rate Warmup", "basicFIFO");
        Path definition = BenchSupport.definition("Bench Rate", "basicFIFO");
        System.out.printf(
                Locale.ROOT,
                "rate limits on: timeScale %.0f (the sandbox allows %,d rows per %.0f real s = "
                        + "%,.0f rows/s, %d POST rows per %.1f real s); component maxRequestsPerMinute=%d, maxRowsPerHour=%,d, "
                        + "maxPendingRequests=5; %,d rows to fill the windows, then %,d measured%n",
                timeScale,
                limits.rowsPerHour(),
                windowSeconds,
                limitRowsPerSecond,
                limits.postRowsPerMinute(),
                60 / timeScale,
                requestsPerMinute,
                rowsPerHour,
                limits.rowsPerHour(),
                rows);

        List<String> figures = new ArrayList<>();
        try (Sandbox sandbox = BenchSupport.sandbox(limits)) {
            PowerBiConfiguration configuration = new LocalSandbox(sandbox).configure(new PowerBiConfiguration());
            CamelContext camel = BenchSupport.camel(configuration, new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:push")
                            .to(BenchSupport.pushUri(definition, "SKIP", requestsPerMinute, rowsPerHour)
                                    + "&maxPendingRequests=5");
                }
            });
            try {
                String warmupId = BenchSupport.ensureDataset(camel, warmupDefinition);
                String datasetId = BenchSupport.ensureDataset(camel, definition);
                BenchSupport.push(camel, "direct:push", warmupCsv, warmupId);
                BenchSupport.settle();
                Dataset dataset = sandbox.dataset(datasetId);

                BenchSupport.Meter meter = new BenchSupport.Meter();
                PushResult fill = BenchSupport.push(camel, "direct:push", fillCsv, datasetId);
                System.out.printf(
                        Locale.ROOT,
                        "  fill: %,d rows in %s (an empty window admits them at once); 429s so " + "far: %d%n",
                        fill.rowsSent(),
                        meter.since(),
                        dataset.throttledCount());

                meter = new BenchSupport.Meter();
                PushResult result = BenchSupport.push(camel, "direct:push", csv, datasetId);
                double seconds = meter.seconds();
                System.out.printf(
                        Locale.ROOT,
                        "  measured: %,d rows in %s; %,d sends waited for the local limiter " + "(%.1f s in all)%n",
                        result.rowsSent(),
                        meter.since(),
                        result.throttledWaits(),
                        result.throttledTime().toMillis() / 1e3);
                long throttled = dataset.throttledCount();
                long added = dataset.rowsAddedCount();
                if (result.rowsSent() != rows || added != rows + fill.rowsSent()) {
                    throw new IllegalStateException("expected " + rows + " measured rows; the push reported "
                            + result.rowsSent() + " and the sandbox accepted " + added + " in all");
                }
                double rate = rows / seconds;
                figures.add(String.format(
                        Locale.ROOT,
                        "rate limits on (timeScale %.0f; limit %,d rows per %.0f real s = "
                                + "%,.0f rows/s; component maxRequestsPerMinute=%d): sustained %,.0f rows/s = %.1f %% of the "
                                + "limit (target >= 95 %%); 429 answers from the sandbox: %d (target 0; warm-up dataset %d)",
                        timeScale,
                        limits.rowsPerHour(),
                        windowSeconds,
                        limitRowsPerSecond,
                        requestsPerMinute,
                        rate,
                        100 * rate / limitRowsPerSecond,
                        throttled,
                        sandbox.dataset(warmupId).throttledCount()));
            } finally {
                camel.close();
            }
        }
        return figures;
    }
}
