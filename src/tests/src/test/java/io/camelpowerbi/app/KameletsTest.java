package io.camelpowerbi.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.camelpowerbi.TestClocks;
import io.camelpowerbi.component.PowerBiComponent;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.component.PowerBiConstants;
import io.camelpowerbi.sandbox.ActivityLog;
import io.camelpowerbi.sandbox.Dataset;
import io.camelpowerbi.sandbox.LimitsConfig;
import io.camelpowerbi.sandbox.PushTable;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxClock;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kamelets shipped in the jar (resources kamelets/): each is a well-formed Kamelet that loads, and each works from a
 * YAML route against the sandbox. A new Kamelet fails {@link #everyShippedKameletIsExercisedHere()} until a test here
 * uses it.
 */
class KameletsTest {

    private static final Set<String> EXERCISED =
            Set.of("powerbi-push-rows-sink", "powerbi-refresh-action", "powerbi-activity-events-source");
    private static final Set<String> SECRETS = Set.of("clientSecret", "privateKeyPassword");
    private static final Set<String> CREDENTIALS =
            Set.of("tenantId", "clientId", "clientSecret", "certificateFile", "privateKeyFile", "privateKeyPassword");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??([A-Za-z0-9_.-]+)}}");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Sandbox sandbox;
    CamelContext context;

    @BeforeAll
    static void startSandbox() throws Exception {
        // a Wednesday afternoon: the days read below are working days with events, whatever day the test runs on
        sandbox = Sandbox.start(
                SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")),
                SandboxClock.startingAt(TestClocks.WORKING_AFTERNOON));
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @AfterEach
    void stopContext() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    /** The Kamelet files on the classpath under kamelets/ (the jar's resources), by name. */
    static Map<String, Path> shippedKamelets() throws Exception {
        URL url = KameletsTest.class.getClassLoader().getResource("kamelets");
        assertNotNull(url, "no kamelets/ on the classpath");
        java.net.URI uri = url.toURI();
        if ("jar".equals(uri.getScheme())) { // the library's jar, as an application gets it
            try {
                java.nio.file.FileSystems.getFileSystem(uri);
            } catch (java.nio.file.FileSystemNotFoundException notYet) {
                java.nio.file.FileSystems.newFileSystem(uri, Map.of());
            }
        }
        try (Stream<Path> files = Files.list(Path.of(uri))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".kamelet.yaml"))
                    .collect(Collectors.toMap(p -> p.getFileName().toString().replace(".kamelet.yaml", ""), p -> p));
        }
    }

    @Test
    void everyShippedKameletIsWellFormedAndLoads() throws Exception {
        Map<String, Path> kamelets = shippedKamelets();
        assertTrue(kamelets.keySet().containsAll(EXERCISED), kamelets.keySet().toString());
        for (Map.Entry<String, Path> k : kamelets.entrySet()) {
            String name = k.getKey();
            JsonNode kamelet = new YAMLMapper().readTree(Files.readString(k.getValue()));
            assertEquals("camel.apache.org/v1", kamelet.path("apiVersion").asText(), name);
            assertEquals("Kamelet", kamelet.path("kind").asText(), name);
            assertEquals(name, kamelet.path("metadata").path("name").asText(), "metadata.name of " + name);
            String type = kamelet.path("metadata")
                    .path("labels")
                    .path("camel.apache.org/kamelet.type")
                    .asText();
            assertTrue(
                    Set.of("source", "sink", "action").contains(type) && name.endsWith("-" + type),
                    name + " has kamelet.type " + type);
            JsonNode definition = kamelet.path("spec").path("definition");
            assertTrue(
                    !definition.path("title").asText().isBlank()
                            && !definition.path("description").asText().isBlank(),
                    "title and description of " + name);
            JsonNode properties = definition.path("properties");
            for (JsonNode required : definition.path("required")) {
                assertTrue(properties.has(required.asText()), name + ": required " + required + " is not a property");
            }
            Set<String> declared = new TreeSet<>();
            properties.fieldNames().forEachRemaining(declared::add);
            for (String p : declared) {
                JsonNode property = properties.get(p);
                assertTrue(
                        property.hasNonNull("title")
                                && property.hasNonNull("description")
                                && property.hasNonNull("type"),
                        name + ": property " + p + " needs title, description, type");
                List<String> descriptors = new ArrayList<>();
                property.path("x-descriptors").forEach(d -> descriptors.add(d.asText()));
                if (SECRETS.contains(p)) {
                    assertEquals("password", property.path("format").asText(), name + ": " + p + " is a secret");
                }
                if (CREDENTIALS.contains(p)) {
                    assertTrue(descriptors.contains("urn:camel:group:credentials"), name + ": " + p + " credentials");
                }
            }
            assertTrue(declared.containsAll(CREDENTIALS), name + " takes every credential: " + declared);
            // every placeholder of the template is a declared property (a typo would fail only at run time)
            Matcher m =
                    PLACEHOLDER.matcher(kamelet.path("spec").path("template").toString());
            while (m.find()) {
                assertTrue(declared.contains(m.group(1)), name + ": {{" + m.group(1) + "}} is not a property");
            }
            try (DefaultCamelContext c = new DefaultCamelContext()) {
                PluginHelper.getRoutesLoader(c)
                        .loadRoutes(ResourceHelper.fromString(name + ".kamelet.yaml", Files.readString(k.getValue())));
                assertNotNull(((ModelCamelContext) c).getRouteTemplateDefinition(name), "route template " + name);
            }
        }
    }

    @Test
    void everyShippedKameletIsExercisedHere() throws Exception {
        assertEquals(
                new TreeSet<>(EXERCISED),
                new TreeSet<>(shippedKamelets().keySet()),
                "each shipped Kamelet needs a test here that runs it against the sandbox");
    }

    @Test
    void pushRowsSinkPushesRowsWithCredentialsGivenToTheKamelet() throws Exception {
        PushTable sales = sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS)
                .dataset(Sandbox.DATASET_RETAIL)
                .orElseThrow()
                .table("Sales")
                .orElseThrow();
        long before = sales.rowCount();
        // the component knows only where the sandbox is; the credential comes through the Kamelet's properties
        start(
                false,
                Map.of(
                        "test.tenant",
                        sandbox.devTenantId(),
                        "test.client",
                        sandbox.devClientId(),
                        "test.secret",
                        sandbox.devClientSecret()),
                """
                - route:
                    from:
                      uri: direct:rows
                      steps:
                        - to:
                            uri: kamelet:powerbi-push-rows-sink
                            parameters:
                              workspace: Sales Analytics
                              dataset: Retail
                              table: Sales
                              tenantId: "{{test.tenant}}"
                              clientId: "{{test.client}}"
                              clientSecret: "{{test.secret}}"
                """);
        String rows = """
                [{"OrderId": 9001, "OrderDate": "2026-03-01T10:00:00Z", "Region": "EU", "Product": "Kamelet",
                  "Quantity": 2, "Amount": 19.5, "Paid": true},
                 {"OrderId": 9002, "OrderDate": "2026-03-01T11:00:00Z", "Region": "US", "Product": "Kamelet",
                  "Quantity": 1, "Amount": 9.75, "Paid": false}]
                """;
        Exchange result = context.createProducerTemplate()
                .request("direct:rows", e -> e.getMessage().setBody(rows));
        assertEquals(null, result.getException());
        assertEquals(2L, result.getMessage().getHeader(PowerBiConstants.ROWS_SENT, Long.class));
        assertEquals(before + 2, sales.rowCount());
        List<Object[]> stored = sales.rows(Long.MAX_VALUE);
        Set<Object> ids = stored.subList(stored.size() - 2, stored.size()).stream()
                .map(r -> r[0])
                .map(String::valueOf)
                .collect(Collectors.toSet());
        assertEquals(Set.of("9001", "9002"), ids);
    }

    @Test
    void refreshActionRefreshesAndReturnsTheOutcomeAsJson() throws Exception {
        start(true, Map.of(), """
                - route:
                    from:
                      uri: direct:refresh
                      steps:
                        - to:
                            uri: kamelet:powerbi-refresh-action
                            parameters:
                              workspace: Sales Analytics
                              dataset: Finance Model
                              pollInterval: 100
                """);
        String body = context.createProducerTemplate().requestBody("direct:refresh", null, String.class);
        JsonNode outcome = JSON.readTree(body);
        assertEquals("Completed", outcome.path("status").asText(), body);
        Dataset model = sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS)
                .dataset(Sandbox.DATASET_FINANCE_MODEL)
                .orElseThrow();
        assertTrue(model.refresh(outcome.path("refreshId").asText()).isPresent(), "the sandbox ran " + body);
    }

    @Test
    void activityEventsSourceDeliversEachEventOnceAsJson() throws Exception {
        sandbox.setLimits(LimitsConfig.defaults().merge(Map.of("activityEventsPerHour", 1_000_000)));
        sandbox.setSettings(sandbox.settings().merge(Map.of("activityEvents", Map.of("eventsPerDay", 300))));
        LocalDate today = LocalDate.now(sandbox.clock());
        Instant from = today.minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
        // the window ends at 02:00 yesterday, in the night hours the seeded log leaves empty
        Instant to = today.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(2));
        Set<String> expected = sandbox.activityLog().events(from, to).stream()
                .map(ActivityLog.Event::id)
                .collect(Collectors.toSet());
        assertTrue(expected.size() > 50, "events in the window: " + expected.size());
        // copied by the awaiting thread while the route adds to it: a synchronizedList would need a lock to be copied
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        start(
                true,
                Map.of(
                        "test.from",
                        from.toString(),
                        "test.lag",
                        Duration.between(to, sandbox.clock().now()).toString(),
                        "test.state",
                        dir.resolve("activity-source.dat").toString()),
                """
                - route:
                    from:
                      uri: kamelet:powerbi-activity-events-source
                      parameters:
                        startFrom: "{{test.from}}"
                        lag: "{{test.lag}}"
                        stateFile: "{{test.state}}"
                      steps:
                        - process:
                            ref: collector
                """,
                Map.of("collector", (Processor)
                        e -> received.add(JSON.readTree(e.getMessage().getBody(String.class))
                                .path("Id")
                                .asText())));
        await().atMost(Duration.ofSeconds(60)).until(() -> new HashSet<>(received).containsAll(expected));
        assertEquals(expected, new HashSet<>(received), "exactly the window's events");
        assertEquals(received.size(), new HashSet<>(received).size(), "each once");
    }

    /** A context with the component pointed at the sandbox (with or without its credential), and a YAML route. */
    private void start(boolean componentCredential, Map<String, String> properties, String yaml) throws Exception {
        start(componentCredential, properties, yaml, Map.of());
    }

    private void start(
            boolean componentCredential, Map<String, String> properties, String yaml, Map<String, Object> beans)
            throws Exception {
        context = new DefaultCamelContext();
        beans.forEach(context.getRegistry()::bind);
        Properties initial = new Properties();
        initial.putAll(properties);
        context.getPropertiesComponent().setInitialProperties(initial);
        PowerBiConfiguration configuration = new LocalSandbox(sandbox).configure(new PowerBiConfiguration());
        if (!componentCredential) {
            configuration.setTenantId(null);
            configuration.setClientId(null);
            configuration.setCertificateFile(null);
            configuration.setPrivateKeyFile(null);
        }
        PowerBiComponent powerbi = new PowerBiComponent();
        powerbi.setConfiguration(configuration);
        context.addComponent("powerbi", powerbi);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("test.camel.yaml", yaml));
        context.start();
    }
}
