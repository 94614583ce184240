package io.camelpowerbi.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.camelpowerbi.GroupBroker;
import io.camelpowerbi.HeldRowsAnswers;
import io.camelpowerbi.component.PowerBiComponent;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.component.PowerBiConstants;
import io.camelpowerbi.sandbox.FaultRule;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import kafka.testkit.KafkaClusterTestKit;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes/kafka/rows-to-powerbi.camel.yaml with config/kafka.properties, against an in-process KRaft broker and the
 * sandbox: records keyed by dataset reach their tables, and a record's offset is committed only once Power BI accepted
 * its rows; a record whose rows Power BI refused is read again, not committed past.
 */
class KafkaRowsRouteTest {

    static final Path ROUTE = Path.of("routes/kafka/rows-to-powerbi.camel.yaml");
    static final String DEFINITION = Path.of("src/tests/src/test/resources/stream/sensors.yaml")
            .toAbsolutePath()
            .toString();

    @TempDir
    static Path dir;

    static Sandbox sandbox;
    static KafkaClusterTestKit kafka;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")));
        kafka = GroupBroker.start();
        admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        sandbox.close();
    }

    /** The shipped route on {@code topic} (one partition), as config/kafka.properties configures it. */
    DefaultCamelContext route(String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        Properties p = new Properties();
        p.setProperty("powerbi.kafka.brokers", kafka.bootstrapServers());
        p.setProperty("powerbi.kafka.topic", topic);
        p.setProperty("powerbi.kafka.group-id", topic);
        p.setProperty("powerbi.kafka.consumers", "1");
        p.setProperty("powerbi.kafka.poll-timeout-ms", "200");
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("file:config/kafka.properties");
        context.getPropertiesComponent().setOverrideProperties(p);
        context.getShutdownStrategy().setTimeout(10);
        PowerBiComponent powerbi = new PowerBiComponent();
        powerbi.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
        context.addComponent("powerbi", powerbi);
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.fromString(ROUTE.getFileName().toString(), Files.readString(ROUTE)));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ensure")
                        .to("powerbi:ensureDataset?workspace=Sales Analytics&datasetDefinition=" + DEFINITION);
                from("direct:clear").to("powerbi:deleteRows?workspace=Sales Analytics&dataset=Sensors");
            }
        });
        context.start();
        sensors(context);
        for (String table : List.of("Readings", "Alerts")) {
            context.createProducerTemplate()
                    .request("direct:clear", x -> x.getIn().setHeader(PowerBiConstants.TABLE, table));
        }
        return context;
    }

    String sensors(DefaultCamelContext context) {
        return context.createProducerTemplate()
                .request("direct:ensure", x -> {})
                .getMessage()
                .getHeader(PowerBiConstants.DATASET_ID, String.class);
    }

    static void publish(String topic, String table, String rows) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, "Sales Analytics/Sensors", rows);
            record.headers().add("powerbi.table", table.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
    }

    /** The committed offset of the topic's partition, or null when none was committed. */
    static Long committed(String topic) throws Exception {
        OffsetAndMetadata o = admin.listConsumerGroupOffsets(topic)
                .partitionsToOffsetAndMetadata()
                .get()
                .get(new TopicPartition(topic, 0));
        return o == null ? null : o.offset();
    }

    Set<Long> ids(String datasetId, String table) {
        return sandbox.dataset(datasetId).table(table).orElseThrow().rows(Long.MAX_VALUE).stream()
                .map(r -> ((Number) r[0]).longValue())
                .collect(Collectors.toSet());
    }

    @Test
    void recordsReachTheirTablesAndAnOffsetIsCommittedOnlyOncePowerBiAcceptedTheRows() throws Exception {
        String topic = "rows.accepted";
        try (DefaultCamelContext context = route(topic);
                HeldRowsAnswers gate = HeldRowsAnswers.holding(sandbox, "Readings")) {
            String dataset = sensors(context);
            publish(
                    topic,
                    "Readings",
                    "[{\"Id\":1,\"Sensor\":\"a\",\"Value\":1.5},{\"Id\":2,\"Sensor\":\"b\",\"Value\":2}]");
            publish(topic, "Alerts", "{\"Id\":3,\"Text\":\"hot\"}\n{\"Id\":4,\"Text\":\"hotter\"}");
            // the first record's rows reached Power BI, its answer is held: nothing may be committed yet
            await().atMost(Duration.ofSeconds(30)).until(() -> gate.held() == 1);
            assertEquals(Set.of(1L, 2L), ids(dataset, "Readings"));
            assertNull(committed(topic), "no offset is committed before Power BI accepted the rows");

            gate.release();
            await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(2).equals(committed(topic)));
            assertEquals(Set.of(3L, 4L), ids(dataset, "Alerts"));
            assertEquals(Set.of(1L, 2L), ids(dataset, "Readings"));
        }
    }

    @Test
    void aRecordWhoseRowsPowerBiRefusedIsReadAgainNotCommittedPast() throws Exception {
        String topic = "rows.refused";
        try (DefaultCamelContext context = route(topic)) {
            String dataset = sensors(context);
            sandbox.faults()
                    .add(FaultRule.status(".*/tables/Readings/rows", 400)
                            .onMethod("POST")
                            .times(1)
                            .withId("refuse-once"));
            publish(topic, "Readings", "{\"Id\":11,\"Sensor\":\"a\",\"Value\":1}");
            publish(topic, "Alerts", "{\"Id\":12,\"Text\":\"after\"}");
            await().atMost(Duration.ofSeconds(60)).until(() -> Long.valueOf(2).equals(committed(topic)));
            assertEquals(1, sandbox.faults().firedCount("refuse-once"));
            assertEquals(
                    Set.of(11L), ids(dataset, "Readings"), "the refused record was read again and its row arrived");
            assertEquals(Set.of(12L), ids(dataset, "Alerts"));
            assertEquals(
                    1, sandbox.dataset(dataset).table("Readings").orElseThrow().rowCount(), "once");
        } finally {
            sandbox.faults().clear();
        }
    }
}
