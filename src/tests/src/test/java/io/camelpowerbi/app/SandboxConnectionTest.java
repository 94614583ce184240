package io.camelpowerbi.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code powerbi.sandbox.connection-file}: a runner pointed at a sandbox that runs elsewhere. */
class SandboxConnectionTest {

    @TempDir
    Path dir;

    @Test
    void pointsTheComponentAtTheSandboxOfTheFileTrustingItsCertificateOnly() throws Exception {
        try (Sandbox sandbox =
                Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("s")))) {
            SandboxConnection connection = SandboxConnection.read(sandbox.writeConnectionFile());
            PowerBiConfiguration c = new PowerBiConfiguration();
            c.setClientSecret("a secret of a real tenant");
            connection.configure(c);
            assertEquals(sandbox.baseUrl(), c.getAuthorityHost());
            assertEquals(sandbox.apiBaseUrl(), c.getApiBaseUrl());
            assertEquals(sandbox.devTenantId(), c.getTenantId());
            assertEquals(sandbox.devClientId(), c.getClientId());
            assertEquals(sandbox.devCertificateFile().toAbsolutePath().toString(), c.getCertificateFile());
            assertNull(c.getClientSecret(), "one credential: the dev app's certificate");

            // the TLS settings trust the sandbox's certificate (and so reach it)
            try (DefaultCamelContext context = new DefaultCamelContext()) {
                HttpClient http = HttpClient.newBuilder()
                        .sslContext(c.getSslContextParameters().createSSLContext(context))
                        .build();
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/" + sandbox.devTenantId()
                                        + "/v2.0/.well-known/openid-configuration"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }
        }
    }

    @Test
    void aMissingFileIsAnErrorNamingTheSettingAndTheFix() throws Exception {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SandboxConnection.read(dir.resolve("nowhere.json")));
        assertTrue(
                e.getMessage().contains("powerbi.sandbox.connection-file")
                        && e.getMessage().contains("sandbox"),
                e.getMessage());

        Files.writeString(dir.resolve("other.json"), "{\"baseUrl\": \"https://127.0.0.1:1\"}");
        e = assertThrows(IllegalArgumentException.class, () -> SandboxConnection.read(dir.resolve("other.json")));
        assertTrue(e.getMessage().contains("lacks"), e.getMessage());

        // and the runner says so instead of starting
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Runner runner = new Runner(
                RunnerConfig.DEFAULT_FILE,
                Map.of(
                        SandboxConnection.PROPERTY,
                        dir.resolve("nowhere.json").toString(),
                        "powerbi.sample.generate",
                        "false",
                        "powerbi.broker.embedded",
                        "false"),
                false,
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        assertFalse(runner.run());
        assertTrue(
                buffer.toString(StandardCharsets.UTF_8)
                        .contains("powerbi.sandbox.connection-file: no connection" + " file at"),
                buffer.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theFileBelongsToItsRunningSandboxAndGoesWhenItStops() throws Exception {
        Path state = dir.resolve("shared");
        try (Sandbox first = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, state))) {
            Path file = first.writeConnectionFile();
            String written = Files.readString(file);
            assertTrue(written.contains("\"pid\" : " + ProcessHandle.current().pid()), written);

            // a second sandbox on the same state directory does not take the running one's file
            try (Sandbox second = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, state))) {
                IllegalStateException e = assertThrows(IllegalStateException.class, second::writeConnectionFile);
                assertTrue(
                        e.getMessage().contains("belongs to the sandbox at " + first.baseUrl())
                                && e.getMessage().contains("state directory of its own"),
                        e.getMessage());
            }
            assertEquals(written, Files.readString(file), "the first sandbox's file is untouched");
            // and the command says so and does not start
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = SandboxCommand.run(
                    new String[] {"--port", "0", "--state-dir", state.toString()},
                    new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    false);
            assertEquals(1, status);
            assertTrue(
                    err.toString(StandardCharsets.UTF_8).contains("belongs to the sandbox at " + first.baseUrl()),
                    err.toString(StandardCharsets.UTF_8));
            assertEquals(written, Files.readString(file));
        }
        assertFalse(Files.exists(state.resolve(Sandbox.CONNECTION_FILE)), "removed when its sandbox stopped");
    }

    @Test
    void aFileLeftBehindByAStoppedSandboxIsSaidToBeStaleByRunAndDoctor() throws Exception {
        Path state = dir.resolve("stale");
        String content;
        Path file;
        try (Sandbox gone = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, state))) {
            file = gone.writeConnectionFile();
            content = Files.readString(file);
        }
        Files.writeString(file, content); // as a killed sandbox leaves it

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SandboxConnection.read(file));
        assertTrue(
                e.getMessage().contains("which is not running")
                        && e.getMessage().contains("sandbox"),
                e.getMessage());

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int status = Cli.run(
                new String[] {"doctor", "--json", "--" + SandboxConnection.PROPERTY + "=" + file},
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        JsonNode step = new ObjectMapper()
                .readTree(printed.toString(StandardCharsets.UTF_8))
                .path("steps")
                .get(0);
        assertEquals(1, status);
        assertTrue(step.path("problem").asText().contains("which is not running"), step.toString());
        assertTrue(step.path("fix").asText().contains("java -jar camel-powerbi.jar sandbox"), step.toString());

        // a new sandbox takes the stale file over
        try (Sandbox next = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, state))) {
            next.writeConnectionFile();
            assertEquals(next.baseUrl(), SandboxConnection.read(file).baseUrl());
        }
    }

    @Test
    void aBusyPortIsNamedWithTheWayOut() throws Exception {
        Path state = dir.resolve("busy");
        try (Sandbox running = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, state))) {
            running.writeConnectionFile();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = SandboxCommand.run(
                    new String[] {
                        "--port",
                        String.valueOf(running.port()),
                        "--state-dir",
                        dir.resolve("other-state").toString()
                    },
                    new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    false);
            String printed = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, status);
            assertTrue(printed.contains("cannot listen on 127.0.0.1:" + running.port()), printed);
            assertTrue(printed.contains("--port N (0 = any free port)"), printed);
        }
    }

    @Test
    void apiBaseUrlIsTheComponentsOptionAndLeadsToPowerBiCalls() throws Exception {
        try (Sandbox sandbox =
                Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("api")))) {
            JsonNode file =
                    new ObjectMapper().readTree(sandbox.writeConnectionFile().toFile());
            HttpClient http = HttpClient.newBuilder()
                    .sslContext(sandbox.sslContextTrustingSandbox())
                    .build();
            JsonNode index = new ObjectMapper()
                    .readTree(http.send(
                                    HttpRequest.newBuilder(URI.create(
                                                    file.path("baseUrl").asText() + "/"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
            assertEquals(
                    file.path("apiBaseUrl").asText(), index.path("apiBaseUrl").asText(), "one meaning everywhere");

            // README's curl: a token from tokenEndpoint, then apiBaseUrl + /v1.0/myorg/groups
            String form = "grant_type=client_credentials&client_id="
                    + file.path("clientId").asText()
                    + "&client_secret="
                    + java.net.URLEncoder.encode(file.path("clientSecret").asText(), StandardCharsets.UTF_8)
                    + "&scope="
                    + java.net.URLEncoder.encode(Sandbox.POWER_BI_RESOURCE + "/.default", StandardCharsets.UTF_8);
            String token = new ObjectMapper()
                    .readTree(http.send(
                                    HttpRequest.newBuilder(URI.create(
                                                    file.path("tokenEndpoint").asText()))
                                            .header("Content-Type", "application/x-www-form-urlencoded")
                                            .POST(HttpRequest.BodyPublishers.ofString(form))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body())
                    .path("access_token")
                    .asText();
            HttpResponse<String> groups = http.send(
                    HttpRequest.newBuilder(URI.create(file.path("apiBaseUrl").asText() + "/v1.0/myorg/groups"))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, groups.statusCode(), groups.body());
            assertTrue(groups.body().contains("Sales Analytics"), groups.body());

            // the PKCS#12 trust store beside tls-cert.pem is what a JVM or camel.ssl.trust-store is given
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (var in =
                    Files.newInputStream(Path.of(file.path("tlsTrustStoreFile").asText()))) {
                trust.load(in, file.path("tlsTrustStorePassword").asText().toCharArray());
            }
            assertEquals(
                    sandbox.tlsCertificate(),
                    trust.getCertificate(trust.aliases().nextElement()));
        }
    }

    @Test
    void camelSslTrustStoreAppliesToTheComponentWhenItUsesTheGlobalTlsSettings() throws Exception {
        // an application pointed at a separately started sandbox, trusting it the Camel way (README)
        try (Sandbox sandbox =
                Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("tls")))) {
            sandbox.writeConnectionFile();
            Path route = Files.writeString(dir.resolve("mine.camel.yaml"), """
                    - route:
                        id: my-workspaces
                        from:
                          uri: timer:once?repeatCount=1
                          steps:
                            - to: powerbi:listWorkspaces
                    """);
            Map<String, String> settings = new java.util.HashMap<>(Map.of(
                    "camel.component.powerbi.tenant-id", sandbox.devTenantId(),
                    "camel.component.powerbi.client-id", sandbox.devClientId(),
                    "camel.component.powerbi.client-secret", sandbox.devClientSecret(),
                    "camel.component.powerbi.authority-host", sandbox.baseUrl(),
                    "camel.component.powerbi.api-base-url", sandbox.apiBaseUrl(),
                    "powerbi.data.dir", dir.resolve("data").toString()));
            Path none = Files.writeString(dir.resolve("none.properties"), "");
            ByteArrayOutputStream untrusted = new ByteArrayOutputStream();
            assertFalse(new Runner(
                            none,
                            settings,
                            Map.of(),
                            List.of(route),
                            false,
                            new PrintStream(untrusted, true, StandardCharsets.UTF_8))
                    .run());
            assertTrue(
                    untrusted.toString(StandardCharsets.UTF_8).contains("the server's certificate is not trusted"),
                    untrusted.toString(StandardCharsets.UTF_8));

            settings.putAll(Map.of(
                    "camel.ssl.enabled", "true",
                    "camel.ssl.trust-store", "file:" + sandbox.tlsTrustStoreFile(),
                    "camel.ssl.trust-store-password", "changeit",
                    "camel.component.powerbi.use-global-ssl-context-parameters", "true"));
            ByteArrayOutputStream trusted = new ByteArrayOutputStream();
            Runner runner = new Runner(
                    none,
                    settings,
                    Map.of(),
                    List.of(route),
                    false,
                    new PrintStream(trusted, true, StandardCharsets.UTF_8));
            assertTrue(runner.run(), trusted.toString(StandardCharsets.UTF_8));
            assertEquals(1, runner.summary().routes().get("my-workspaces").completed());
        }
    }
}
