package io.camelpowerbi.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.push.PushResult;
import java.io.File;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * The child JVM of benchmark 2 ({@link PushMemoryBenchmark}), started with {@code -Xmx256m}: pushes one CSV file
 * through {@code powerbi:pushRows} to the sandbox running in the parent, and measures its own heap while doing so.
 * Prints one line {@code RESULT rowsSent=.. batches=.. durationMs=.. peakUsed=.. peakAfterGc=.. maxHeap=..} (bytes).
 *
 * <p>Peak heap: the largest heap occupancy seen, from the garbage collector's "before GC" figures (the heap is
 * fullest right before a collection) and from sampling every 10 ms; "after GC" is the largest occupancy right after
 * a collection, i.e. what the push really kept reachable.
 *
 * <p>Arguments: apiBaseUrl authorityHost tenantId clientId certificateFile privateKeyFile tlsCertificateFile
 * workspaceId datasetId definitionFile csvFile invalidRowPolicy.
 */
public final class PushMemoryRun {

    private PushMemoryRun() {}

    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogging();
        if (args.length != 12) {
            System.err.println(
                    "usage: PushMemoryRun apiBaseUrl authorityHost tenantId clientId certificateFile "
                            + "privateKeyFile tlsCertificateFile workspaceId datasetId definitionFile csvFile invalidRowPolicy");
            System.exit(2);
        }
        PeakHeap peak = new PeakHeap();
        PowerBiConfiguration configuration = BenchSupport.childConfiguration(args);
        String workspace = args[7];
        String datasetId = args[8];
        Path definition = Path.of(args[9]);
        File csv = new File(args[10]);
        String policy = args[11];

        CamelContext camel = BenchSupport.camel(configuration, new RouteBuilder() {
            @Override
            public void configure() {
                // limits are off in the sandbox: lift the component's too, this run is about memory
                from("direct:push")
                        .to(BenchSupport.pushUri(workspace, definition, policy, Integer.MAX_VALUE, Long.MAX_VALUE));
            }
        });
        try {
            long t0 = System.nanoTime();
            PushResult result = BenchSupport.push(camel, "direct:push", csv, datasetId);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            peak.stop();
            System.out.printf(
                    Locale.ROOT,
                    "RESULT rowsSent=%d batches=%d durationMs=%d peakUsed=%d peakAfterGc=%d maxHeap=%d "
                            + "gcCount=%d%n",
                    result.rowsSent(),
                    result.batches(),
                    millis,
                    peak.used.get(),
                    peak.afterGc.get(),
                    Runtime.getRuntime().maxMemory(),
                    peak.collections.get());
        } catch (RuntimeException e) {
            e.printStackTrace(System.out);
            System.exit(1);
        } finally {
            camel.close();
        }
        System.exit(0);
    }

    static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            store.setCertificateEntry(
                    "sandbox", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** The heap's high-water marks, from GC notifications and sampling. */
    static final class PeakHeap {
        final AtomicLong used = new AtomicLong();
        final AtomicLong afterGc = new AtomicLong();
        final AtomicLong collections = new AtomicLong();
        private final Thread sampler;
        private volatile boolean running = true;

        PeakHeap() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc)
                        .addNotificationListener(
                                (notification, handback) -> {
                                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                                            notification.getType())) {
                                        return;
                                    }
                                    var info = GarbageCollectionNotificationInfo.from(
                                                    (CompositeData) notification.getUserData())
                                            .getGcInfo();
                                    collections.incrementAndGet();
                                    used.accumulateAndGet(heap(info.getMemoryUsageBeforeGc()), Math::max);
                                    afterGc.accumulateAndGet(heap(info.getMemoryUsageAfterGc()), Math::max);
                                },
                                null,
                                null);
            }
            sampler = new Thread(
                    () -> {
                        while (running) {
                            used.accumulateAndGet(
                                    ManagementFactory.getMemoryMXBean()
                                            .getHeapMemoryUsage()
                                            .getUsed(),
                                    Math::max);
                            try {
                                Thread.sleep(10);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        /** The heap pools' total: the GC info lists every pool, code cache and metaspace included. */
        private static long heap(Map<String, MemoryUsage> pools) {
            long total = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage usage = pools.get(pool.getName());
                if (pool.getType() == MemoryType.HEAP && usage != null) {
                    total += usage.getUsed();
                }
            }
            return total;
        }

        void stop() {
            running = false;
            sampler.interrupt();
        }
    }
}
