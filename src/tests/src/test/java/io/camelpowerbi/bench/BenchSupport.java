package io.camelpowerbi.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.component.PowerBiComponent;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.component.PowerBiConstants;
import io.camelpowerbi.push.PushResult;
import io.camelpowerbi.sandbox.LimitsConfig;
import io.camelpowerbi.sandbox.PushTable;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** What the push benchmarks share: the sandbox, the Camel context pointed at it, datasets, tokens, quiet logs. */
final class BenchSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchSupport() {}

    /**
     * The test classpath's log4j2-test.xml puts the component and HttpClient at DEBUG (for the hygiene tests): a line
     * or more per request would be measured too. Benchmarks log warnings only.
     */
    static void quietLogging() {
        Configurator.setLevel(Map.of(
                "io.camelpowerbi",
                Level.WARN,
                "org.apache.hc.client5",
                Level.WARN,
                "org.apache.camel",
                Level.WARN,
                "com.microsoft.aad.msal4j",
                Level.WARN));
        Configurator.setRootLevel(Level.WARN);
        // e.g. -Dbench.log=io.camelpowerbi.sandbox.DatasetsApi=INFO to see why the sandbox answered 429
        String log = System.getProperty("bench.log");
        if (log != null && log.contains("=")) {
            for (String pair : log.split(",")) {
                String[] kv = pair.split("=", 2);
                Configurator.setLevel(kv[0].trim(), Level.toLevel(kv[1].trim(), Level.INFO));
            }
        }
    }

    /** {@code target/bench} (or {@code -Dbench.dir}): generated CSV files, definitions, the sandbox's state. */
    static Path dir() throws IOException {
        return Files.createDirectories(
                Path.of(System.getProperty("bench.dir", "target/bench")).toAbsolutePath());
    }

    static Sandbox sandbox(LimitsConfig limits) throws IOException {
        return Sandbox.start(SandboxConfig.defaults()
                .with(SandboxConfig::stateDir, dir().resolve("sandbox"))
                .with(SandboxConfig::limits, limits));
    }

    /** A dataset definition file for table Orders. */
    static Path definition(String datasetName, String retentionPolicy) throws IOException {
        Path file = dir().resolve(datasetName.replace(' ', '-').toLowerCase() + ".json");
        Files.writeString(file, OrderData.definitionJson(datasetName, retentionPolicy));
        return file;
    }

    /** A Camel context whose {@code powerbi} component points at the sandbox (the dev app's certificate). */
    static CamelContext camel(PowerBiConfiguration configuration, RouteBuilder routes) throws Exception {
        CamelContext context = new DefaultCamelContext();
        PowerBiComponent component = new PowerBiComponent();
        component.setConfiguration(configuration);
        context.addComponent("powerbi", component);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ensure").to("powerbi:ensureDataset?workspace=" + Sandbox.WORKSPACE_SALES_ANALYTICS);
            }
        });
        if (routes != null) {
            context.addRoutes(routes);
        }
        context.start();
        return context;
    }

    /** Creates the push dataset of {@code definition} (or finds it) through {@code powerbi:ensureDataset}. */
    @SuppressWarnings("unchecked")
    static String ensureDataset(CamelContext context, Path definition) throws IOException {
        Map<String, Object> body = JSON.readValue(definition.toFile(), Map.class);
        Exchange e = context.createProducerTemplate()
                .request("direct:ensure", x -> x.getIn().setBody(body));
        if (e.getException() != null) {
            throw new IllegalStateException("ensureDataset failed: " + e.getException(), e.getException());
        }
        return e.getMessage().getHeader(PowerBiConstants.DATASET_ID, String.class);
    }

    /** The URI of a pushRows endpoint into table Orders of the dataset in header CamelPowerBiDataset. */
    static String pushUri(Path definition, String policy, long maxRequestsPerMinute, long maxRowsPerHour) {
        return pushUri(Sandbox.WORKSPACE_SALES_ANALYTICS, definition, policy, maxRequestsPerMinute, maxRowsPerHour);
    }

    static String pushUri(
            String workspace, Path definition, String policy, long maxRequestsPerMinute, long maxRowsPerHour) {
        return "powerbi:pushRows?workspace=" + workspace + "&table=" + OrderData.TABLE
                + "&datasetDefinition=" + definition + "&invalidRowPolicy=" + policy
                + "&maxRequestsPerMinute=" + maxRequestsPerMinute + "&maxRowsPerHour=" + maxRowsPerHour
                + "&progressInterval=1h";
    }

    /** Sends the file to {@code endpoint} (a direct: route to pushRows) and returns what the push reported. */
    static PushResult push(CamelContext context, String endpoint, File csv, String datasetId) {
        Exchange e = context.createProducerTemplate().request(endpoint, x -> {
            x.getIn().setBody(csv);
            x.getIn().setHeader(PowerBiConstants.DATASET, datasetId);
        });
        if (e.getException() != null) {
            throw new IllegalStateException("the push failed: " + e.getException(), e.getException());
        }
        return e.getMessage().getBody(PushResult.class);
    }

    static PushTable table(Sandbox sandbox, String datasetId) {
        return sandbox.dataset(datasetId).table(OrderData.TABLE).orElseThrow();
    }

    /**
     * A bearer token for the dev app from the sandbox's token endpoint (client secret; the component signs a
     * certificate assertion for its own, equally valid for the API).
     */
    static String token(Sandbox sandbox) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(sandbox.sslContextTrustingSandbox())
                .build();
        String form = "grant_type=client_credentials&client_id=" + Sandbox.DEV_CLIENT_ID
                + "&client_secret=" + URLEncoder.encode(sandbox.devClientSecret(), StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode(Sandbox.POWER_BI_RESOURCE + "/.default", StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(sandbox.tokenEndpoint(Sandbox.DEV_TENANT_ID)))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request: HTTP " + response.statusCode() + " " + response.body());
        }
        JsonNode json = JSON.readTree(response.body());
        return json.get("access_token").asText();
    }

    /** Collects {@code System.gc()} twice, so garbage of the previous run is not billed to the next one. */
    static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        System.gc();
        Thread.sleep(200);
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** What a child JVM printed: the figures of its {@code RESULT key=value ...} line, its other lines, its exit code. */
    record ChildRun(Map<String, Long> result, List<String> output, int exit) {}

    /**
     * Runs {@code main} in a child JVM with {@code -Xmx<xmx>}, its first arguments the sandbox's connection (read back
     * by {@link #childConfiguration}: API base URL, authority host, tenant, client, certificate, private key, TLS
     * certificate, workspace), then {@code args}; waits for it and collects its RESULT line.
     */
    static ChildRun runChild(String xmx, Class<?> main, Sandbox sandbox, List<String> args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx,
                "-XX:+ExitOnOutOfMemoryError",
                "-Dbench.log=" + System.getProperty("bench.log", ""),
                "-cp",
                classPath(),
                main.getName(),
                sandbox.apiBaseUrl(),
                sandbox.baseUrl(),
                sandbox.devTenantId(),
                sandbox.devClientId(),
                sandbox.devCertificateFile().toAbsolutePath().toString(),
                sandbox.devPrivateKeyFile().toAbsolutePath().toString(),
                sandbox.tlsCertificateFile().toAbsolutePath().toString(),
                Sandbox.WORKSPACE_SALES_ANALYTICS));
        command.addAll(args);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, Long> result = new java.util.HashMap<>();
        List<String> output = new java.util.ArrayList<>();
        try (java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
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
        if (!child.waitFor(30, java.util.concurrent.TimeUnit.MINUTES)) {
            child.destroyForcibly();
        }
        return new ChildRun(result, output, child.exitValue());
    }

    /** In a child of {@link #runChild}: the component's configuration from the first 7 arguments (the workspace is the 8th). */
    static PowerBiConfiguration childConfiguration(String[] args) throws Exception {
        PowerBiConfiguration configuration = new PowerBiConfiguration();
        configuration.setApiBaseUrl(args[0]);
        configuration.setAuthorityHost(args[1]);
        configuration.setTenantId(args[2]);
        configuration.setClientId(args[3]);
        configuration.setCertificateFile(args[4]);
        configuration.setPrivateKeyFile(args[5]);
        javax.net.ssl.SSLContext trust = PushMemoryRun.trusting(Path.of(args[6]));
        configuration.setSslContextParameters(new org.apache.camel.support.jsse.SSLContextParameters() {
            @Override
            public javax.net.ssl.SSLContext createSSLContext(CamelContext camelContext) {
                return trust;
            }
        });
        return configuration;
    }

    /** The classpath of this JVM, for a child process. */
    static String classPath() {
        return ManagementFactory.getRuntimeMXBean().getClassPath();
    }

    /** Wall time, this process's CPU time and its garbage collectors' time, to tell CPU-bound from waiting. */
    static final class Meter {
        private final long wall = System.nanoTime();
        private final long cpu = processCpuNanos();
        private final long gc = gcMillis();

        /** e.g. {@code 5.40 s wall, 9.8 s CPU (1.8 cores), GC 1.2 s}. */
        String since() {
            double w = (System.nanoTime() - wall) / 1e9;
            double c = (processCpuNanos() - cpu) / 1e9;
            return String.format(
                    java.util.Locale.ROOT,
                    "%.2f s wall, %.2f s CPU (%.1f cores), GC %.2f s",
                    w,
                    c,
                    c / w,
                    (gcMillis() - gc) / 1e3);
        }

        double seconds() {
            return (System.nanoTime() - wall) / 1e9;
        }

        double cpuSeconds() {
            return (processCpuNanos() - cpu) / 1e9;
        }
    }

    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
    }

    static long gcMillis() {
        long total = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
