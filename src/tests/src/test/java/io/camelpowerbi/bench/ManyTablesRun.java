package io.camelpowerbi.bench;

import io.camelpowerbi.component.PowerBiComponent;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.component.PowerBiConstants;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The child JVM of {@link ManyTablesBenchmark}: one Camel context whose {@code pushRows?streaming=true} endpoint takes
 * messages of a few rows for every table (header {@code CamelPowerBiTarget}), fed round-robin over the tables by a few
 * threads that never wait for a message to complete (the row stream completes it once Power BI accepted its batch;
 * only a full {@code streamBufferRows} makes a feeder wait). Prints {@code RESULT key=value ...}: rows, messages,
 * failed messages, duration, peak heap, peak and final live threads, and the row stream's threads.
 */
public final class ManyTablesRun {

    private ManyTablesRun() {}

    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogging();
        if (args.length != 16) {
            System.err.println("usage: ManyTablesRun apiBaseUrl authorityHost tenantId clientId certificateFile "
                    + "privateKeyFile tlsCertificateFile workspaceId datasetIdsFile table rowsPerTable rowsPerMessage "
                    + "timeScale lingerTime feeders streamBufferRows");
            System.exit(2);
        }
        PushMemoryRun.PeakHeap peak = new PushMemoryRun.PeakHeap();
        PowerBiConfiguration configuration = BenchSupport.childConfiguration(args);
        String workspace = args[7];
        List<String> datasetIds = Files.readAllLines(Path.of(args[8])).stream()
                .filter(l -> !l.isBlank())
                .toList();
        String table = args[9];
        int rowsPerTable = Integer.parseInt(args[10]);
        int rowsPerMessage = Integer.parseInt(args[11]);
        double timeScale = Double.parseDouble(args[12]);
        String lingerTime = args[13];
        int feeders = Integer.parseInt(args[14]);
        long bufferRows = Long.parseLong(args[15]);

        CamelContext camel = new DefaultCamelContext();
        PowerBiComponent component = new PowerBiComponent();
        component.setConfiguration(configuration);
        // Power BI's limits per dataset (the defaults), counted in the time-scaled sandbox's time
        component.setRateLimitTimeScale(timeScale);
        component.setStreamBufferRows(bufferRows);
        camel.addComponent("powerbi", component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:rows")
                        .to("powerbi:pushRows?streaming=true&invalidRowPolicy=FAIL&lingerTime=" + lingerTime);
            }
        });
        camel.start();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int threadsBefore = threads.getThreadCount();
        threads.resetPeakThreadCount();

        int messagesPerTable = rowsPerTable / rowsPerMessage;
        long messages = (long) messagesPerTable * datasetIds.size();
        CountDownLatch done = new CountDownLatch((int) messages);
        AtomicLong failed = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        long t0 = System.nanoTime();
        List<Thread> feederThreads = new ArrayList<>();
        for (int f = 0; f < feeders; f++) {
            int feeder = f;
            Thread t = new Thread(
                    () -> {
                        ProducerTemplate template = camel.createProducerTemplate();
                        template.setThreadedAsyncMode(
                                false); // the offer runs on this thread; completion on the stream's
                        // round-robin over this feeder's tables: every table has rows waiting at once
                        for (int m = 0; m < messagesPerTable; m++) {
                            for (int d = feeder; d < datasetIds.size(); d += feeders) {
                                String target = workspace + "/" + datasetIds.get(d) + "/" + table;
                                String body = rows((long) d * rowsPerTable + (long) m * rowsPerMessage, rowsPerMessage);
                                template.asyncSend("direct:rows", x -> {
                                            x.getIn().setBody(body);
                                            x.getIn().setHeader(PowerBiConstants.TARGET, target);
                                        })
                                        .whenComplete((x, e) -> {
                                            Throwable failure = e != null ? e : x.getException();
                                            if (failure != null) {
                                                failed.incrementAndGet();
                                                firstFailure.compareAndSet(null, failure);
                                            }
                                            done.countDown();
                                        });
                            }
                        }
                    },
                    "feeder-" + f);
            t.start();
            feederThreads.add(t);
        }
        if (!done.await(30, TimeUnit.MINUTES)) {
            System.out.println("timed out with " + done.getCount() + " messages not completed");
            System.exit(1);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        peak.stop();
        int peakThreads = threads.getPeakThreadCount();
        long streamThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains("PowerBiStream"))
                .count();
        if (firstFailure.get() != null) {
            firstFailure.get().printStackTrace(System.out);
        }
        System.out.printf(
                Locale.ROOT,
                "RESULT rows=%d messages=%d failed=%d durationMs=%d peakUsed=%d peakAfterGc=%d "
                        + "maxHeap=%d gcCount=%d threadsBefore=%d peakThreads=%d streamThreads=%d feeders=%d%n",
                messages * rowsPerMessage,
                messages,
                failed.get(),
                millis,
                peak.used.get(),
                peak.afterGc.get(),
                Runtime.getRuntime().maxMemory(),
                peak.collections.get(),
                threadsBefore,
                peakThreads,
                streamThreads,
                feeders);
        camel.close();
        System.exit(0);
    }

    /** A JSON array of {@code n} rows of table Readings, ids from {@code firstId}. */
    private static String rows(long firstId, int n) {
        StringBuilder sb = new StringBuilder(n * 48).append('[');
        for (int i = 0; i < n; i++) {
            long id = firstId + i;
            sb.append(i == 0 ? "" : ",")
                    .append("{\"Id\":")
                    .append(id)
                    .append(",\"Sensor\":\"s")
                    .append(id % 97)
                    .append("\",\"Value\":")
                    .append(id % 1000)
                    .append(".5}");
        }
        return sb.append(']').toString();
    }
}
