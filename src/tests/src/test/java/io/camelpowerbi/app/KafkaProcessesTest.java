package io.camelpowerbi.app;

import io.camelpowerbi.GroupBroker;
import io.camelpowerbi.component.PowerBiComponent;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.component.PowerBiConstants;
import io.camelpowerbi.sandbox.LimitsConfig;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import kafka.testkit.KafkaClusterTestKit;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * routes/kafka/ run by runner processes ({@code Cli run --forever --config config/kafka.properties}), two nodes of one
 * consumer group, against an in-process KRaft broker and one sandbox (this JVM, through its connection file), six push
 * datasets keyed one to a dataset: a node stopped cleanly hands its partitions over without losing or repeating a row;
 * a node killed loses nothing, and the rows sent twice (counted and printed) stay within the records its partitions had
 * accepted since their last commit.
 */
class KafkaProcessesTest {

    /** Kept after the run (not a @TempDir): the runners' logs are what explains a failure. */
    static final Path dir = Path.of("target", "kafka-processes").toAbsolutePath();
    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final int DATASETS = 6;
    static final int RECORDS_PER_DATASET = 150;
    static final int ROWS_PER_RECORD = 40;
    static final int MAX_POLL_RECORDS = 10;
    /** Consumer threads per node, each a member of the group with partitions of its own. */
    static final int CONSUMERS = 3;
    static Sandbox sandbox;
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
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly)));
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")));
        connectionFile = sandbox.writeConnectionFile();
        // the hand-over is what is tested here, not the limits: thousands of requests a minute
        sandbox.setLimits(LimitsConfig.defaults().merge(Map.of("enabled", false)));
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
                    from("direct:ensure").toD("powerbi:ensureDataset?workspace=Sales Analytics"
                            + "&datasetDefinition=${header.definition}");
                }
            });
            context.start();
            for (int i = 1; i <= DATASETS; i++) {
                String name = "Stream " + i;
                Path definition = Files.writeString(dir.resolve("stream-" + i + ".yaml"), "name: " + name
                        + "\nretentionPolicy: None\ntables:\n  - name: rows\n    columns:\n"
                        + "      - { name: Id, dataType: Int64 }\n      - { name: Payload, dataType: String }\n");
                datasets.put(name, context.createProducerTemplate().request("direct:ensure",
                        x -> x.getIn().setHeader("definition", definition.toString())).getMessage()
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

    @AfterEach
    void stopRunners() throws Exception {
        for (Process p : processes) {
            ClusterProcessesTest.stop(p);
        }
    }

    @Test
    void aNodeStoppedCleanlyHandsItsDatasetsOverWithoutLosingOrRepeatingARow() throws Exception {
        String topic = "rows.sigterm";
        Map<Long, Integer> before = stored();
        Process a = runner(topic, "a");
        Process b = runner(topic, "b");
        awaitMembers(topic, 2 * CONSUMERS);
        long published = publish(topic, 1_000_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> arrived(before, 1_000_000) > published / 4);
        assertTrue(arrived(before, 1_000_000) < published, "the node is stopped in the middle of the stream");
        a.destroy();
        assertTrue(a.waitFor(30, TimeUnit.SECONDS), "the node stops on SIGTERM");
        await().atMost(Duration.ofSeconds(90)).until(() -> arrived(before, 1_000_000) == published);
        Map<Long, Integer> counts = since(before, 1_000_000);
        long twice = counts.values().stream().filter(n -> n > 1).count();
        System.out.println("SIGTERM: " + published + " rows published, " + counts.size() + " arrived, " + twice
                + " more than once");
        assertEquals(published, counts.size(), "every row arrived");
        assertEquals(0, twice, "no row arrived twice");
        assertTrue(b.isAlive());
    }

    @Test
    void aNodeKilledLosesNothingAndRepeatsAtMostWhatItsPartitionsAcceptedSinceTheirLastCommit() throws Exception {
        String topic = "rows.kill";
        Map<Long, Integer> before = stored();
        Process a = runner(topic, "a");
        Process b = runner(topic, "b");
        awaitMembers(topic, 2 * CONSUMERS);
        long published = publish(topic, 2_000_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> arrived(before, 2_000_000) > published / 4);
        assertTrue(arrived(before, 2_000_000) < published, "the node is stopped in the middle of the stream");
        a.destroyForcibly(); // SIGKILL: nothing of the node runs any more
        assertTrue(a.waitFor(10, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(90)).until(() -> arrived(before, 2_000_000) == published);
        Map<Long, Integer> counts = since(before, 2_000_000);
        long extra = counts.values().stream().mapToLong(n -> n - 1).sum();
        // each partition the killed node owned repeats at most the records accepted since its last commit (the
        // records of one poll) plus the one in flight
        long bound = (long) DATASETS * (MAX_POLL_RECORDS + 1) * ROWS_PER_RECORD;
        System.out.println("KILL -9: " + published + " rows published, " + counts.size() + " arrived, " + extra
                + " rows sent twice (~" + (extra + ROWS_PER_RECORD - 1) / ROWS_PER_RECORD + " records); bound " + bound);
        assertEquals(published, counts.size(), "every row arrived");
        assertTrue(extra <= bound, "rows sent twice: " + extra + ", bound " + bound);
        assertTrue(b.isAlive());
    }

    // ------------------------------------------------------------------ publishing and counting

    /** Publishes every dataset's records, ids from {@code firstId}; returns the number of rows. */
    static long publish(String topic, long firstId) throws Exception {
        long id = firstId;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), "linger.ms", 5, "acks", "all"), new StringSerializer(), new StringSerializer())) {
            for (int r = 0; r < RECORDS_PER_DATASET; r++) {
                for (String name : datasets.keySet()) {
                    StringBuilder rows = new StringBuilder();
                    for (int i = 0; i < ROWS_PER_RECORD; i++) {
                        rows.append("{\"Id\":").append(id++).append(",\"Payload\":\"row\"}\n");
                    }
                    ProducerRecord<String, String> record = new ProducerRecord<>(topic, "Sales Analytics/" + name,
                            rows.toString());
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
            sandbox.dataset(id).table("rows").orElseThrow().rows(Long.MAX_VALUE)
                    .forEach(r -> counts.merge(((Number) r[0]).longValue(), 1, Integer::sum));
        }
        return counts;
    }

    /** Ids from {@code firstId} on stored since {@code before}, and how often. */
    static Map<Long, Integer> since(Map<Long, Integer> before, long firstId) {
        Map<Long, Integer> counts = new HashMap<>();
        stored().forEach((id, n) -> {
            if (id >= firstId && id < firstId + 1_000_000) {
                counts.put(id, n - before.getOrDefault(id, 0));
            }
        });
        counts.values().removeIf(n -> n <= 0);
        return counts;
    }

    static long arrived(Map<Long, Integer> before, long firstId) {
        return since(before, firstId).size();
    }

    static void awaitMembers(String group, int members) {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return g.state() == ConsumerGroupState.STABLE && g.members().size() == members
                    && g.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
        });
    }

    // ------------------------------------------------------------------ runner processes

    /** {@code Cli run --forever --config config/kafka.properties} in a JVM of its own, as node {@code node}. */
    static Process runner(String topic, String node) throws Exception {
        if (!admin.listTopics().names().get().contains(topic)) {
            admin.createTopics(List.of(new NewTopic(topic, DATASETS, (short) 1))).all().get();
        }
        Path work = Files.createDirectories(dir.resolve(topic));
        Map<String, String> options = new LinkedHashMap<>();
        options.put("camel.main.routes-include-pattern", "file:" + PROJECT.resolve("routes/kafka/rows-to-powerbi.camel.yaml"));
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
        options.put("camel.component.powerbi.max-requests-per-minute", "100000");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dpowerbi.log.level=INFO",
                "-cp", ClusterProcessesTest.classpath(), "io.camelpowerbi.app.Cli", "run", "--forever",
                "--config", PROJECT.resolve("config/kafka.properties").toString()));
        options.forEach((k, v) -> command.add("--" + k + "=" + v));
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("runner-" + node + ".log").toFile()))
                .start();
        processes.add(p);
        return p;
    }
}
