package io.camelpowerbi.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route {@code powerbi → jms}, {@code powerbi → kafka} and {@code powerbi → file}, on a real embedded Artemis broker
 * and Kafka's in-process KRaft cluster: nothing that arrives carries an Authorization header or a token.
 */
class TransportHygieneTest {

    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}");

    @TempDir
    static Path dir;

    static Sandbox sandbox;
    static EmbeddedActiveMQ artemis;
    static KafkaClusterTestKit kafka;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")));
        artemis = new EmbeddedActiveMQ()
                .setConfiguration(new ConfigurationImpl()
                        .setPersistenceEnabled(false)
                        .setSecurityEnabled(false)
                        .addAcceptorConfiguration("in-vm", "vm://0"));
        artemis.start();
        kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
        artemis.stop();
        sandbox.close();
    }

    @Test
    void noTokenLeavesThroughJmsKafkaOrFile() throws Exception {
        Path out = dir.resolve("out");
        ActiveMQConnectionFactory jms = new ActiveMQConnectionFactory("vm://0");
        try (CamelContext ctx = new DefaultCamelContext()) {
            PowerBiComponent powerbi = new PowerBiComponent();
            powerbi.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
            ctx.addComponent("powerbi", powerbi);
            ctx.addComponent("jms", JmsComponent.jmsComponentAutoAcknowledge(jms));
            ctx.getShutdownStrategy().setTimeout(2);
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:start")
                            .to("powerbi:listWorkspaces")
                            .marshal()
                            .json()
                            .convertBodyTo(String.class)
                            .multicast()
                            .to(
                                    "jms:queue:workspaces",
                                    "kafka:workspaces?brokers=" + kafka.bootstrapServers(),
                                    "file:" + out + "?fileName=workspaces.json");
                }
            });
            ctx.start();
            ctx.createProducerTemplate().sendBody("direct:start", null);
        }

        // JMS: every property of the message
        try (Connection connection = jms.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("workspaces"));
            Message message = consumer.receive(10_000);
            assertNotNull(message, "the JMS message arrived");
            List<String> seen = new ArrayList<>();
            for (Object name : Collections.list(message.getPropertyNames())) {
                seen.add(name + "=" + message.getObjectProperty((String) name));
            }
            seen.add(((TextMessage) message).getText());
            assertClean("JMS", seen);
            assertTrue(((TextMessage) message).getText().contains("Sales Analytics"));
        }

        // Kafka: every record header and the value
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            // assign, not subscribe: a one-broker cluster cannot host the consumer-offsets topic a group needs
            TopicPartition partition = new TopicPartition("workspaces", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
            });
            List<String> seen = new ArrayList<>();
            for (ConsumerRecord<String, String> r : records) {
                for (Header h : r.headers()) {
                    seen.add(h.key() + "="
                            + new String(h.value() == null ? new byte[0] : h.value(), StandardCharsets.UTF_8));
                }
                seen.add(r.value());
            }
            assertClean("Kafka", seen);
            assertEquals(1, records.size());
        }

        // File: the content, and nothing else written beside it
        try (Stream<Path> files = Files.list(out)) {
            List<Path> written = files.toList();
            assertEquals(List.of(out.resolve("workspaces.json")), written);
            assertClean("file", List.of(Files.readString(written.get(0))));
        }
    }

    static void assertClean(String where, List<String> seen) {
        for (String s : seen) {
            assertFalse(
                    s.toLowerCase().startsWith("authorization="),
                    () -> where + " carries an Authorization header: " + s);
            assertFalse(s.contains("Bearer "), () -> where + " carries a bearer token: " + s);
            assertFalse(JWT.matcher(s).find(), () -> where + " carries a token: " + s);
        }
        assertFalse(seen.isEmpty(), where + ": nothing to check");
    }
}
