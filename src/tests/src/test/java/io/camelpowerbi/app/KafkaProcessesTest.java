package io.camelpowerbi.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.GroupBroker;
import io.camelpowerbi.component.PowerBiComponent;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.component.PowerBiConstants;
import io.camelpowerbi.sandbox.LimitsConfig;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import kafka.testkit.KafkaClusterTestKit;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * routes/kafka/ run by runner processes ({@code Cli run --forever --config config/kafka.properties}), three nodes of one
 * consumer group, against an in-process KRaft broker and one sandbox (this JVM, through its connection file) with
 * Power BI's push limits on and time-scaled, 20 push datasets keyed one to a dataset and one partition each:
 * <ul>
 * <li>the group holds every dataset at its limit: once the datasets' windows are full, the sandbox accepts at least
 * 95 % of the sum of their limits (120 POST rows per scaled minute each: a record of {@link #ROWS_PER_RECORD} rows is
 * one request), and answers no 429;</li>
 * <li>a node killed (SIGKILL) mid-stream: the others take its partitions over, every row arrives, and the rows sent
 * twice are at most the records it had in flight (one per consumer thread: {@code max-poll-records} 1 commits each
 * record once Power BI accepted it);</li>
 * <li>a node stopped cleanly (SIGTERM): its partitions move on without losing or repeating a row.</li>
 * </ul>
 * The figures (throughput, 429s, rows sent twice per event) are printed.
 */
class KafkaProcessesTest {

    /** Kept after the run (not a @TempDir): the runners' logs are what explains a failure. */
    static final Path dir = Path.of("target", "kafka-processes").toAbsolutePath();

    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final int DATASETS = 20;
    static final int RECORDS_PER_DATASET = 620;
    static final int ROWS_PER_RECORD = 25;
    /** One record per poll: camel-kafka commits after each poll, so a node holds at most one accepted record uncommitted per consumer thread. */
    static final int MAX_POLL_RECORDS = 1;
    /** Consumer threads per node, each a member of the group; 3 nodes x 7 cover the 20 partitions one each. */
    static final int CONSUMERS = 7;

    static final int NODES = 3;
    /** Sandbox time per real time: a sandbox minute lasts 15 real seconds. */
    static final double TIME_SCALE = 4;

    static final long FIRST_ID = 1_000_000;
    static Sandbox sandbox;
    static LimitsConfig limits;
    static Path connectionFile;
    static KafkaClusterTestKit kafka;
    static Admin admin;
    /** Dataset name → id. */
    static final Map<String, String> datasets = new LinkedHashMap<>();

    static final List<Process> processes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly)));
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")));
        connectionFile = sandbox.writeConnectionFile();
        limits = LimitsConfig.defaults().with(LimitsConfig::timeScale, TIME_SCALE);
        sandbox.setLimits(limits);
        kafka = GroupBroker.start();
        admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        // the push datasets, made as a user makes them: ensureDataset with a definition
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PowerBiComponent powerbi = new PowerBiComponent();
            powerbi.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
            context.addComponent("powerbi", powerbi);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:ensure")
                            .toD("powerbi:ensureDataset?workspace=Sales Analytics"
                                    + "&datasetDefinition=${header.definition}");
                }
            });
            context.start();
            for (int i = 1; i <= DATASETS; i++) {
                String name = "Stream " + i;
                Path definition = Files.writeString(
                        dir.resolve("stream-" + i + ".yaml"),
                        "name: " + name
                                + "\nretentionPolicy: None\ntables:\n  - name: rows\n    columns:\n"
                                + "      - { name: Id, dataType: Int64 }\n      - { name: Payload, dataType: String }\n");
                datasets.put(
                        name,
                        context.createProducerTemplate()
                                .request("direct:ensure", x -> x.getIn().setHeader("definition", definition.toString()))
                                .getMessage()
                                .getHeader(PowerBiConstants.DATASET_ID, String.class));
            }
        }
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (Process p : processes) {
            ClusterProcessesTest.stop(p);
        }
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void threeNodesHoldTwentyDatasetsAtTheirLimitsAndHandThemOverOnKillAndOnStop() throws Exception {
        String topic = "rows";
        Process a = runner(topic, "a");
        Process b = runner(topic, "b");
        Process c = runner(topic, "c");
        awaitGroup(topic, NODES * CONSUMERS);
        long published = publish(topic, FIRST_ID);

        // throughput: an empty window admits a minute's requests at once, so count only once every dataset's is full;
        // from then on a dataset gets a request in as its window frees a slot
        double windowSeconds = 60 / TIME_SCALE;
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> datasets.values().stream().allMatch(id -> requests(id) >= limits.postRowsPerMinute()));
        long requestsAtStart = requests();
        long rowsAtStart = rowsAdded();
        long start = System.nanoTime();
        // two windows' worth of requests at the limit, timed (no fixed wait: the time they take is the measurement)
        long measured = 2L * limits.postRowsPerMinute() * DATASETS;
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> requests() - requestsAtStart >= measured);
        double seconds = (System.nanoTime() - start) / 1e9;
        double rowsPerSecond = (rowsAdded() - rowsAtStart) / seconds;
        double limitPerDataset = Math.min(
                limits.postRowsPerMinute() * ROWS_PER_RECORD / windowSeconds,
                limits.rowsPerHour() / (windowSeconds * 60));
        double share = rowsPerSecond / (DATASETS * limitPerDataset);
        long throttledAtLimit = throttled();
        System.out.printf(
                java.util.Locale.ROOT,
                "LIMITS: %d datasets, timeScale %.0f: %,.0f rows/s over %.1f s = %.1f %% "
                        + "of the sum of their limits (%,.0f rows/s); 429 answers: %d%n",
                DATASETS,
                TIME_SCALE,
                rowsPerSecond,
                seconds,
                100 * share,
                DATASETS * limitPerDataset,
                throttledAtLimit);
        assertTrue(share >= 0.95, "aggregate throughput " + share + " of the limits");
        assertEquals(0, throttledAtLimit, "429 answers while every dataset had one owner");
        assertTrue(rowsAdded() < published, "the stream still runs");

        // kill -9: the killed node's partitions restart at their last commit on the others
        Map<TopicPartition, Long> committedAtKill = committed(topic);
        a.destroyForcibly();
        assertTrue(a.waitFor(10, TimeUnit.SECONDS));
        long throttledBeforeKill = throttled();
        awaitGroup(topic, (NODES - 1) * CONSUMERS);
        awaitCommittedPast(topic, committedAtKill);
        long extraAfterKill = extra(stored());
        System.out.printf(
                java.util.Locale.ROOT,
                "KILL -9: rows sent twice: %d (%d records; bound: %d records in "
                        + "flight, one per consumer thread); 429 answers after the move: %d%n",
                extraAfterKill,
                extraAfterKill / ROWS_PER_RECORD,
                CONSUMERS,
                throttled() - throttledBeforeKill);
        assertTrue(
                extraAfterKill <= (long) CONSUMERS * ROWS_PER_RECORD,
                "rows sent twice after the kill: " + extraAfterKill);
        long leftAtStop = published - rowsAdded() + extraAfterKill;
        assertTrue(leftAtStop > 0, "the stream still runs at the stop");

        // SIGTERM: the node finishes its records in hand, commits them, and leaves
        Map<TopicPartition, Long> committedAtStop = committed(topic);
        long throttledBeforeStop = throttled();
        b.destroy();
        assertTrue(b.waitFor(60, TimeUnit.SECONDS), "the node stops on SIGTERM");
        awaitGroup(topic, (NODES - 2) * CONSUMERS);
        awaitCommittedPast(topic, committedAtStop);
        await().atMost(Duration.ofSeconds(120)).until(() -> rowsAdded() - extraAfterKill >= published);
        Map<Long, Integer> counts = stored();
        long extraAfterStop = extra(counts) - extraAfterKill;
        System.out.printf(
                java.util.Locale.ROOT,
                "SIGTERM (with %d rows to go): %d rows published, %d arrived, %d more "
                        + "sent twice; 429 answers after the move: %d%n",
                leftAtStop,
                published,
                counts.size(),
                extraAfterStop,
                throttled() - throttledBeforeStop);
        assertEquals(published, counts.size(), "every row arrived");
        assertTrue(counts.keySet().stream().allMatch(id -> id >= FIRST_ID && id < FIRST_ID + published));
        assertEquals(0, extraAfterStop, "no row sent twice after the clean stop");
        assertTrue(c.isAlive());
    }

    static long requests(String datasetId) {
        return sandbox.dataset(datasetId).postRowsRequestCount();
    }

    static long requests() {
        return datasets.values().stream()
                .mapToLong(KafkaProcessesTest::requests)
                .sum();
    }

    static long rowsAdded() {
        return datasets.values().stream()
                .mapToLong(id -> sandbox.dataset(id).rowsAddedCount())
                .sum();
    }

    static long throttled() {
        return datasets.values().stream()
                .mapToLong(id -> sandbox.dataset(id).throttledCount())
                .sum();
    }

    /** Rows stored more than once, counting each repeat. */
    static long extra(Map<Long, Integer> counts) {
        return counts.values().stream().mapToLong(n -> n - 1).sum();
    }

    static Map<TopicPartition, Long> committed(String group) throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get()
                .forEach((p, o) -> offsets.put(p, o == null ? 0 : o.offset()));
        return offsets;
    }

    /**
     * Every partition's commit moved past where it was (the record after it, in flight at the event, went in again
     * or for the first time), or reached the end of the partition.
     */
    static void awaitCommittedPast(String topic, Map<TopicPartition, Long> before) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Map<TopicPartition, Long> now = committed(topic);
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(now.keySet().stream()
                            .collect(java.util.stream.Collectors.toMap(
                                    p -> p, p -> org.apache.kafka.clients.admin.OffsetSpec.latest())))
                    .all()
                    .get()
                    .forEach((p, info) -> ends.put(p, info.offset()));
            return now.size() == DATASETS
                    && now.entrySet().stream()
                            .allMatch(e -> e.getValue() > before.getOrDefault(e.getKey(), -1L)
                                    || e.getValue() >= ends.get(e.getKey()));
        });
    }

    // ------------------------------------------------------------------ publishing and counting

    /**
     * Publishes every dataset's records, ids from {@code firstId}, each dataset to a partition of its own (the default
     * partitioner would hash some of the 20 keys to one partition, and that consumer would carry two datasets' limits
     * while another idles); returns the number of rows.
     */
    static long publish(String topic, long firstId) throws Exception {
        long id = firstId;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "linger.ms", 5, "acks", "all"),
                new StringSerializer(),
                new StringSerializer())) {
            for (int r = 0; r < RECORDS_PER_DATASET; r++) {
                int partition = 0;
                for (String name : datasets.keySet()) {
                    StringBuilder rows = new StringBuilder();
                    for (int i = 0; i < ROWS_PER_RECORD; i++) {
                        rows.append("{\"Id\":").append(id++).append(",\"Payload\":\"row\"}\n");
                    }
                    ProducerRecord<String, String> record =
                            new ProducerRecord<>(topic, partition++, "Sales Analytics/" + name, rows.toString());
                    record.headers().add("powerbi.table", "rows".getBytes(StandardCharsets.UTF_8));
                    producer.send(record);
                }
            }
            producer.flush();
        }
        return id - firstId;
    }

    /** Id → how often it is stored, over every dataset. */
    static Map<Long, Integer> stored() {
        Map<Long, Integer> counts = new HashMap<>();
        for (String id : datasets.values()) {
            sandbox.dataset(id)
                    .table("rows")
                    .orElseThrow()
                    .rows(Long.MAX_VALUE)
                    .forEach(r -> counts.merge(((Number) r[0]).longValue(), 1, Integer::sum));
        }
        return counts;
    }

    /** The group is stable with {@code members} members, and every partition is assigned. */
    static void awaitGroup(String group, int members) {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            ConsumerGroupDescription g =
                    admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return g.state() == ConsumerGroupState.STABLE
                    && g.members().size() == members
                    && g.members().stream()
                                    .mapToInt(m ->
                                            m.assignment().topicPartitions().size())
                                    .sum()
                            == DATASETS;
        });
    }

    // ------------------------------------------------------------------ runner processes

    /** {@code Cli run --forever --config config/kafka.properties} in a JVM of its own, as node {@code node}. */
    static Process runner(String topic, String node) throws Exception {
        if (!admin.listTopics().names().get().contains(topic)) {
            admin.createTopics(List.of(new NewTopic(topic, DATASETS, (short) 1)))
                    .all()
                    .get();
        }
        Path work = Files.createDirectories(dir.resolve(topic));
        Map<String, String> options = new LinkedHashMap<>();
        options.put(
                "camel.main.routes-include-pattern",
                "file:" + PROJECT.resolve("routes/kafka/rows-to-powerbi.camel.yaml"));
        options.put("powerbi.sandbox.connection-file", connectionFile.toString());
        options.put("powerbi.cluster.node", node);
        options.put("powerbi.kafka.brokers", kafka.bootstrapServers());
        options.put("powerbi.kafka.topic", topic);
        options.put("powerbi.kafka.group-id", topic);
        options.put("powerbi.kafka.consumers", String.valueOf(CONSUMERS));
        options.put("powerbi.kafka.max-poll-records", String.valueOf(MAX_POLL_RECORDS));
        options.put("powerbi.kafka.poll-timeout-ms", "250");
        options.put("powerbi.kafka.session-timeout-ms", "3000");
        options.put("powerbi.kafka.heartbeat-interval-ms", "500");
        // the component's limiter counts in the sandbox's time: Power BI's limits (the defaults), windows 1/TIME_SCALE
        options.put("camel.component.powerbi.rate-limit-time-scale", String.valueOf(TIME_SCALE));
        Process p = ClusterProcessesTest.runnerJvm(work, node, PROJECT.resolve("config/kafka.properties"), options);
        processes.add(p);
        return p;
    }
}
