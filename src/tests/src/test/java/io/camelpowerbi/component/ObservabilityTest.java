package io.camelpowerbi.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.auth.AccessToken;
import io.camelpowerbi.auth.RefreshingToken;
import io.camelpowerbi.sandbox.FaultRule;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * camel-main with its management server on a free port, against the sandbox: pushes (one of them held by the
 * dataset's rate limiter, one answered 429), an API error and an activity-events consumer, then {@code /observe/metrics}
 * and {@code /observe/health} as an operator reads them; then Power BI unreachable and the credential refused, each
 * reported DOWN with what to fix; and no secret, token or assertion in any of it.
 */
class ObservabilityTest {

    static final String ROWS_PATH = ".*/tables/Orders/rows";
    static final String MISSING_DATASET = "00000000-0000-0000-0000-000000000000";
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Sandbox sandbox;
    static Main main;
    static CamelContext context;
    static int port;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final AtomicInteger events = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")));
        port = freePort();
        PowerBiComponent component = new PowerBiComponent();
        PowerBiConfiguration config = new LocalSandbox(sandbox).configure(new PowerBiConfiguration());
        // a secret, so the sandbox clock can age the access token without ageing a client assertion; and a secret to
        // look for in what the server shows
        config.setCertificateFile(null);
        config.setPrivateKeyFile(null);
        config.setClientSecret(sandbox.devClientSecret());
        config.setMaxAttempts(2);
        component.setConfiguration(config);

        String definition =
                Path.of("config/datasets/sales.yaml").toAbsolutePath().toString();
        String push = "powerbi:pushRows?workspace=Sales Analytics&dataset=Sales&table=Orders&batchSize=1000"
                + "&maxPendingRequests=1&datasetDefinition=" + definition;
        main = new Main();
        main.bind("powerbi", component);
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ensure")
                        .to("powerbi:ensureDataset?workspace=Sales Analytics&datasetDefinition=" + definition);
                from("direct:push").to(push);
                from("direct:pushToo").to(push + "&progressInterval=60s");
                from("direct:missing")
                        .to("powerbi:call?method=GET&path=/groups/" + Sandbox.WORKSPACE_SALES_ANALYTICS + "/datasets/"
                                + MISSING_DATASET);
                from("direct:workspaces").to("powerbi:listWorkspaces");
                // the secret in the URI too: health details show the endpoint URI, which must come out masked
                from("powerbi:activityEvents?startFrom=PT2H&lag=PT30M&initialDelay=0&delay=3600000&stateFile="
                                + dir.resolve("activity.dat") + "&clientSecret=RAW(" + sandbox.devClientSecret() + ")")
                        .routeId("activity")
                        .process(e -> events.incrementAndGet());
            }
        });
        Map<String, String> server = new LinkedHashMap<>();
        server.put("camel.management.enabled", "true");
        server.put("camel.management.port", String.valueOf(port));
        server.put("camel.management.healthCheckEnabled", "true");
        server.put("camel.management.metricsEnabled", "true");
        server.put("camel.metrics.enabled", "true");
        server.forEach(main::addInitialProperty);
        main.start();
        context = main.getCamelContext();
    }

    @AfterAll
    static void stop() throws Exception {
        if (main != null) {
            main.stop();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void metricsAndHealthTellWhatHappenedAndWhatToFix() throws Exception {
        ProducerTemplate template = context.createProducerTemplate();
        String datasetId = template.request("direct:ensure", e -> {})
                .getMessage()
                .getHeader(PowerBiConstants.DATASET_ID, String.class);

        // 1. a push held by the dataset's limiter: the first push's only batch is held by the sandbox (pending 1 of
        // maxPendingRequests=1), so the second waits in the limiter until it is let go
        sandbox.pausePostRows();
        CompletableFuture<Exchange> first = CompletableFuture.supplyAsync(() ->
                template.request("direct:push", e -> e.getIn().setBody(csv(1, 800))));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sandbox.dataset(datasetId).pendingPostRows() > 0);
        Thread second = new Thread(
                () -> template.request("direct:pushToo", e -> e.getIn().setBody(csv(801, 600))), "second-push");
        second.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingInLimiter(second));
        sandbox.resumePostRows();
        assertPushed(first.get(), 800);
        second.join(10_000);

        // 2. a push answered 429 once: waited out (Retry-After 1 s) and sent again
        sandbox.faults()
                .add(FaultRule.status(ROWS_PATH, 429)
                        .onMethod("POST")
                        .withRetryAfter(1)
                        .times(1));
        assertPushed(template.request("direct:push", e -> e.getIn().setBody(csv(2001, 2500))), 2500);
        sandbox.faults().clear();

        // 3. an API error: a dataset that does not exist
        Exchange missing = template.request("direct:missing", e -> {});
        assertNotNull(missing.getException());

        // 4. the consumer caught up to now - lag
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        ((ActivityEventsConsumer) context.getRoute("activity").getConsumer()).isFirstPollDone());

        String metrics = get("/observe/metrics").body();
        long stored = sandbox.dataset(datasetId).table("Orders").orElseThrow().rowCount();
        assertEquals(800 + 600 + 2500, stored);
        Map<String, String> dataset = Map.of("dataset", datasetId);
        assertEquals(stored, value(metrics, "powerbi_rows_pushed_total", dataset), 0.0);
        assertEquals(1 + 1 + 3, value(metrics, "powerbi_batches_sent_total", dataset), 0.0);
        assertEquals(1, value(metrics, "powerbi_throttled_waits_seconds_count", Map.of("source", "rate_limiter")), 0.0);
        assertTrue(
                value(metrics, "powerbi_throttled_waits_seconds_sum", Map.of("source", "rate_limiter")) > 0, metrics);
        assertEquals(1, value(metrics, "powerbi_throttled_waits_seconds_count", Map.of("source", "retry_after")), 0.0);
        assertEquals(1.0, value(metrics, "powerbi_throttled_waits_seconds_sum", Map.of("source", "retry_after")), 0.0);
        assertEquals(1, value(metrics, "powerbi_api_retries_total", Map.of("status", "429")), 0.0);
        assertEquals(
                1,
                value(metrics, "powerbi_api_errors_total", Map.of("status", "404", "code", "PowerBIEntityNotFound")),
                0.0);
        assertEquals(1, value(metrics, "powerbi_token_refreshes_total", Map.of("outcome", "success")), 0.0);
        assertEquals(0, value(metrics, "powerbi_token_refreshes_total", Map.of("outcome", "failure")), 0.0);
        double lag = value(
                metrics, "powerbi_consumer_lag_seconds", Map.of("consumer", "activityEvents", "route", "activity"));
        assertTrue(lag >= 1800 && lag < 1800 + 120, "lag " + lag);

        JsonNode health = healthJson(200);
        assertEquals("UP", health.path("status").asText());
        for (String check : List.of("powerbi-token-engine", "powerbi-api-reachable", "consumer:activity")) {
            assertEquals("UP", check(health, check).path("status").asText(), check + " in " + health);
        }

        String tokenHeld = heldToken();

        // 5. Power BI unreachable: the next call finds no one there, and readiness says where to look
        sandbox.faults().add(FaultRule.drop("^/v1\\.0/myorg/"));
        assertNotNull(template.request("direct:workspaces", e -> {}).getException());
        JsonNode down = healthJson(503);
        assertEquals("DOWN", down.path("status").asText());
        String reason = check(down, "powerbi-api-reachable").path("message").asText();
        assertTrue(reason.contains("not reachable") && reason.contains("apiBaseUrl"), reason);
        assertEquals("DOWN", check(down, "consumer:activity").path("status").asText());
        assertEquals("UP", check(down, "powerbi-token-engine").path("status").asText());
        sandbox.faults().clear();
        assertEquals("UP", healthJson(200).path("status").asText(), "reachable again: the check calls once more");

        // 6. the credential refused: the app is disabled and Power BI no longer takes the token it holds
        sandbox.state().app(sandbox.devTenantId(), sandbox.devClientId()).setEnabled(false);
        sandbox.clock().advance(Duration.ofHours(2));
        assertNotNull(template.request("direct:workspaces", e -> {}).getException());
        JsonNode refused = healthJson(503);
        String why = check(refused, "powerbi-token-engine").path("message").asText();
        assertTrue(why.contains("AADSTS7000112") && why.contains("Fix:"), why);
        assertEquals("DOWN", check(refused, "consumer:activity").path("status").asText());
        String after = get("/observe/metrics").body();
        assertTrue(value(after, "powerbi_token_refreshes_total", Map.of("outcome", "failure")) >= 1, after);

        // nothing an attacker could use, anywhere the server shows
        List<String> shown = new ArrayList<>(List.of(
                metrics,
                after,
                health.toString(),
                down.toString(),
                refused.toString(),
                get("/observe/health?exposureLevel=full&stackTrace=true&data=true")
                        .body()));
        String secret = sandbox.devClientSecret();
        for (String body : shown) {
            assertFalse(body.contains(secret), "the client secret is shown: " + body);
            assertFalse(JWT.matcher(body).find(), "a token or assertion is shown: " + body);
            assertFalse(body.contains(tokenHeld), "the access token is shown");
        }
    }

    /** The access token the component holds now. */
    static String heldToken() {
        return context.getEndpoints().stream()
                .filter(PowerBiEndpoint.class::isInstance)
                .map(e -> ((PowerBiEndpoint) e).tokenProvider())
                .filter(RefreshingToken.class::isInstance)
                .map(t -> ((RefreshingToken) t).peek())
                .filter(java.util.Objects::nonNull)
                .map(AccessToken::value)
                .findFirst()
                .orElseThrow();
    }

    static void assertPushed(Exchange e, long rows) {
        if (e.getException() != null) {
            throw new AssertionError("the push failed", e.getException());
        }
        assertEquals(rows, e.getMessage().getHeader(PowerBiConstants.ROWS_SENT, Long.class));
    }

    /** The second push's thread parked in the dataset limiter's wait for a free pending slot. */
    static boolean waitingInLimiter(Thread t) {
        if (t.getState() != Thread.State.WAITING) {
            return false;
        }
        for (StackTraceElement f : t.getStackTrace()) {
            if (f.getClassName().endsWith("DatasetRateLimiter")
                    && f.getMethodName().equals("acquire")) {
                return true;
            }
        }
        return false;
    }

    static String csv(int from, int count) {
        StringBuilder sb = new StringBuilder("OrderId,Quantity,UnitPrice,Paid\n");
        for (int i = from; i < from + count; i++) {
            sb.append(i).append(',').append(i % 9 + 1).append(",4.25,true\n");
        }
        return sb.toString();
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode healthJson(int status) throws Exception {
        HttpResponse<String> r = get("/observe/health?exposureLevel=full");
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static JsonNode check(JsonNode health, String name) {
        for (JsonNode c : health.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + health.toPrettyString());
    }

    /** The value of the Prometheus sample {@code name} whose labels include {@code labels}. */
    static double value(String exposition, String name, Map<String, String> labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{([^}]*)})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(exposition);
        while (m.find()) {
            Map<String, String> found = new LinkedHashMap<>();
            if (m.group(1) != null) {
                Matcher l = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(m.group(1));
                while (l.find()) {
                    found.put(l.group(1), l.group(2));
                }
            }
            if (found.entrySet().containsAll(labels.entrySet())) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no sample " + name + labels + " in\n" + exposition);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
