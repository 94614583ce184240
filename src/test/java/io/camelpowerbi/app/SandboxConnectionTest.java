package io.camelpowerbi.app;

import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code powerbi.sandbox.connection-file}: a runner pointed at a sandbox that runs elsewhere. */
class SandboxConnectionTest {

    @TempDir
    Path dir;

    @Test
    void pointsTheComponentAtTheSandboxOfTheFileTrustingItsCertificateOnly() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.defaults().withPort(0).withStateDir(dir.resolve("s")))) {
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
                        .sslContext(c.getSslContextParameters().createSSLContext(context)).build();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                        + "/" + sandbox.devTenantId() + "/v2.0/.well-known/openid-configuration")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }
        }
    }

    @Test
    void aMissingFileIsAnErrorNamingTheSettingAndTheFix() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SandboxConnection.read(dir.resolve("nowhere.json")));
        assertTrue(e.getMessage().contains("powerbi.sandbox.connection-file") && e.getMessage().contains("sandbox"),
                e.getMessage());

        Files.writeString(dir.resolve("other.json"), "{\"baseUrl\": \"https://127.0.0.1:1\"}");
        e = assertThrows(IllegalArgumentException.class, () -> SandboxConnection.read(dir.resolve("other.json")));
        assertTrue(e.getMessage().contains("lacks"), e.getMessage());

        // and the runner says so instead of starting
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Runner runner = new Runner(RunnerConfig.DEFAULT_FILE, Map.of(SandboxConnection.PROPERTY,
                dir.resolve("nowhere.json").toString(), "powerbi.sample.generate", "false", "powerbi.broker.embedded",
                "false"), false, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        assertFalse(runner.run());
        assertTrue(buffer.toString(StandardCharsets.UTF_8).contains("powerbi.sandbox.connection-file: no connection"
                + " file at"), buffer.toString(StandardCharsets.UTF_8));
    }
}
