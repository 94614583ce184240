package io.camelpowerbi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token request that never reached Entra is reported as such, with the TLS or network cause and the fix; never as
 * "Entra refused the token request (HTTP 0)".
 */
class EntraUnreachableTest {

    @TempDir
    Path dir;

    @Test
    void aServerCertificateTheJvmDoesNotTrustIsATlsTrustFailureWithTheWaysToTrustIt() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir));
                CloseableHttpClient jvmTrust =
                        HttpClientFactory.create(null, null, Duration.ofSeconds(5), Duration.ofSeconds(5), 2)) {
            EntraUnreachableException e =
                    assertThrows(EntraUnreachableException.class, () -> request(jvmTrust, sandbox.baseUrl(), sandbox));
            String message = e.getMessage();
            assertTrue(
                    message.startsWith("cannot reach Entra at " + sandbox.tokenEndpoint(sandbox.devTenantId())
                            + ": TLS: the server's certificate is not trusted"),
                    message);
            assertFalse(message.contains("refused") || message.contains("HTTP 0"), message);
            assertTrue(
                    e.hint().contains("camel.ssl.trust-store")
                            && e.hint().contains("use-global-ssl-context-parameters")
                            && e.hint().contains("javax.net.ssl.trustStore")
                            && e.hint().contains("tls-truststore.p12"),
                    e.hint());
            assertEquals(0, e.httpStatus());
            assertTrue(e.getCause() instanceof javax.net.ssl.SSLException, String.valueOf(e.getCause()));

            // trusting the sandbox's certificate, the same request gets a token
            try (CloseableHttpClient trusting = HttpClientFactory.create(
                    sandbox.sslContextTrustingSandbox(), null, Duration.ofSeconds(5), Duration.ofSeconds(5), 2)) {
                assertTrue(request(trusting, sandbox.baseUrl(), sandbox)
                                .accessToken()
                                .length()
                        > 20);
            }
        }
    }

    @Test
    void nothingListeningIsARefusedConnectionNamingTheAddress() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir));
                CloseableHttpClient http =
                        HttpClientFactory.create(null, null, Duration.ofSeconds(5), Duration.ofSeconds(5), 2)) {
            EntraUnreachableException e = assertThrows(
                    EntraUnreachableException.class, () -> request(http, "https://127.0.0.1:" + port, sandbox));
            assertTrue(
                    e.getMessage().contains("connection refused: nothing listens at 127.0.0.1:" + port),
                    e.getMessage());
            assertTrue(e.hint().contains("authorityHost"), e.hint());
        }
    }

    private static TokenResponse request(CloseableHttpClient http, String authority, Sandbox sandbox) {
        ClientCertificate credential =
                new ClientCertificate(sandbox.devPrivateKey(), List.of(sandbox.devCertificate()));
        TokenSource source = new TokenSource(
                authority,
                sandbox.devTenantId(),
                sandbox.devClientId(),
                credential,
                TokenEndpointVersion.V2,
                Sandbox.POWER_BI_RESOURCE);
        return new EntraTokenClient(http, AssertionSigner.defaults(), Clock.systemUTC(), Duration.ofMillis(10))
                .request(source);
    }
}
