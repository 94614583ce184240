package io.camelpowerbi.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.TestClock;
import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.SelfSignedCertificates;
import io.camelpowerbi.sandbox.SelfSignedCertificates.CertificateAndKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token engine against the sandbox's Entra emulator: every credential kind, and Entra's refusals explained. */
class TokenEngineSandboxTest {

    static final String RESOURCE = "https://analysis.windows.net/powerbi/api";

    @TempDir
    static Path state;

    static Sandbox sandbox;
    static CloseableHttpClient http;
    static ClientCertificate devCertificate;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, state));
        http = HttpClientFactory.create(
                sandbox.sslContextTrustingSandbox(), null, Duration.ofSeconds(5), Duration.ofSeconds(10), 8);
        devCertificate = CertificateLoader.fromPem(
                sandbox.devCertificateFile(), sandbox.devPrivateKeyFile(), null, Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        http.close();
        sandbox.close();
    }

    static TokenSource source(String authorityHost, ClientCredential credential, TokenEndpointVersion version) {
        return new TokenSource(
                authorityHost, sandbox.devTenantId(), sandbox.devClientId(), credential, version, RESOURCE);
    }

    static EntraTokenClient client(AssertionAlgorithm alg, boolean x5tSha1) {
        return new EntraTokenClient(
                http,
                new AssertionSigner(alg, false, x5tSha1, AssertionSigner.MAX_LIFETIME, Clock.systemUTC()),
                Clock.systemUTC());
    }

    @Test
    void certificateOnV2WithPs256() {
        AccessToken t = client(AssertionAlgorithm.PS256, false)
                .requestToken(
                        source(sandbox.baseUrl(), devCertificate, TokenEndpointVersion.V2), Duration.ofMinutes(5));
        assertTrue(t.expiresAt().isAfter(Instant.now().plusSeconds(3000)));
    }

    @Test
    void certificateOnV1WithRs256AndSha1Thumbprint() {
        AccessToken t = client(AssertionAlgorithm.RS256, true)
                .requestToken(
                        source(sandbox.baseUrl(), devCertificate, TokenEndpointVersion.V1), Duration.ofMinutes(5));
        assertTrue(t.expiresAt().isAfter(Instant.now().plusSeconds(3000)));
    }

    @Test
    void anotherHostNameForTheSameServerStillWorksBecauseAudFollowsTheUrl() {
        String localhost = sandbox.baseUrl().replace("127.0.0.1", "localhost");
        AccessToken t = client(AssertionAlgorithm.PS256, false)
                .requestToken(source(localhost, devCertificate, TokenEndpointVersion.V2), Duration.ofMinutes(5));
        assertTrue(t.expiresAt().isAfter(Instant.now()));
    }

    @Test
    void secretAndWrongSecret() {
        AccessToken t = client(AssertionAlgorithm.PS256, false)
                .requestToken(
                        source(sandbox.baseUrl(), new ClientSecret(sandbox.devClientSecret()), TokenEndpointVersion.V2),
                        Duration.ofMinutes(5));
        assertTrue(t.expiresAt().isAfter(Instant.now()));
        EntraException e = assertThrows(
                EntraException.class,
                () -> client(AssertionAlgorithm.PS256, false)
                        .requestToken(
                                source(sandbox.baseUrl(), new ClientSecret("not-the-secret"), TokenEndpointVersion.V2),
                                Duration.ofMinutes(5)));
        assertEquals(7000215, e.code());
        assertEquals("invalid_client", e.error());
        assertTrue(e.hint().contains("Value"), e.hint());
        assertFalse(e.getMessage().contains("not-the-secret"));
        assertTrue(e.traceId() != null && e.correlationId() != null && e.timestamp() != null);
    }

    @Test
    void unregisteredCertificateIsExplainedWithTheThumbprintToUpload() {
        CertificateAndKey stranger = SelfSignedCertificates.generate("CN=stranger", 5, 2048, List.of());
        ClientCertificate c = new ClientCertificate(stranger.privateKey(), List.of(stranger.certificate()));
        EntraException e = assertThrows(
                EntraException.class,
                () -> client(AssertionAlgorithm.PS256, false)
                        .requestToken(source(sandbox.baseUrl(), c, TokenEndpointVersion.V2), Duration.ofMinutes(5)));
        assertEquals(700027, e.code());
        assertTrue(e.hint().contains(stranger.thumbprints().sha1Hex()), e.hint());
    }

    @Test
    void federatedAssertionFileIsReadAfreshForEveryRequest(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "pending");
        TokenSource source = source(sandbox.baseUrl(), new FederatedAssertionFile(file), TokenEndpointVersion.V2);
        // What a workload identity webhook would project: an assertion for this app, signed by a key Entra trusts.
        Files.writeString(
                file,
                AssertionSigner.defaults()
                        .sign(devCertificate, sandbox.devClientId(), source.tokenUrl())
                        .serialize());
        EntraTokenClient client = client(AssertionAlgorithm.PS256, false);
        assertTrue(
                client.requestToken(source, Duration.ofMinutes(5)).expiresAt().isAfter(Instant.now()));

        Files.writeString(file, "not-a-jwt");
        EntraException e = assertThrows(EntraException.class, () -> client.requestToken(source, Duration.ofMinutes(5)));
        assertEquals(50027, e.code());
        assertTrue(e.hint().contains(file.toString()), e.hint());

        // An assertion minted for the wrong audience: the hint shows what was sent and what it must equal.
        Files.writeString(
                file,
                AssertionSigner.defaults()
                        .sign(devCertificate, sandbox.devClientId(), sandbox.baseUrl() + "/" + sandbox.devTenantId())
                        .serialize());
        EntraException aud =
                assertThrows(EntraException.class, () -> client.requestToken(source, Duration.ofMinutes(5)));
        assertEquals(700023, aud.code());
        assertTrue(
                aud.hint().contains("Sent aud: " + sandbox.baseUrl() + "/" + sandbox.devTenantId() + ";"), aud.hint());
        assertTrue(aud.hint().contains("it must equal: " + source.tokenUrl()), aud.hint());
    }

    @Test
    void sixtyFourThreadsThroughATokenAboutToExpireMakeOneTokenRequest() throws Exception {
        TestClock clock = new TestClock(Instant.now()); // the sandbox runs on real time
        try (TokenCache cache = new TokenCache(clock)) {
            RefreshingToken token = cache.tokenFor(
                    source(sandbox.baseUrl(), devCertificate, TokenEndpointVersion.V2),
                    Duration.ofMinutes(5),
                    AssertionSigner.defaults(),
                    () -> HttpClientFactory.create(
                            sandbox.sslContextTrustingSandbox(),
                            null,
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(10),
                            4));
            AccessToken first = token.getToken();
            long before = sandbox.tokenRequestCount();

            clock.advance(Duration.ofMinutes(56)); // 3 minutes before expiry: due for refresh, still valid
            ExecutorService pool = Executors.newFixedThreadPool(64);
            CyclicBarrier barrier = new CyclicBarrier(64);
            Set<String> seen = ConcurrentHashMap.newKeySet();
            List<Future<?>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                calls.add(pool.submit(() -> {
                    barrier.await();
                    for (int j = 0; j < 500; j++) {
                        seen.add(token.getToken().value());
                    }
                    return null;
                }));
            }
            for (Future<?> f : calls) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !token.getToken().value().equals(first.value()));
            assertEquals(1, sandbox.tokenRequestCount() - before, "one token request for 64 x 500 calls");
            assertEquals(1, token.fetchCount() - 1);
            assertTrue(seen.contains(first.value()));
        }
    }

    /**
     * Endpoints that differ only in how assertions are signed do not share a token: each requests its own with its
     * own settings (the cache key used to leave the algorithm, x5c and x5t out, so the second endpoint silently took
     * the first one's token and never sent an assertion of its own shape). A secret sends no assertion: shared.
     */
    @Test
    void theCacheKeyHoldsTheAssertionShapeOfCertificatesOnly() {
        TokenSource certificate = source(sandbox.baseUrl(), devCertificate, TokenEndpointVersion.V2);
        TokenSource secret =
                source(sandbox.baseUrl(), new ClientSecret(sandbox.devClientSecret()), TokenEndpointVersion.V2);
        try (TokenCache cache = new TokenCache(Clock.systemUTC())) {
            RefreshingToken ps256 = cache.tokenFor(
                    certificate, Duration.ofMinutes(5), signer(AssertionAlgorithm.PS256, false), this::newHttp);
            RefreshingToken rs256 = cache.tokenFor(
                    certificate, Duration.ofMinutes(5), signer(AssertionAlgorithm.RS256, false), this::newHttp);
            RefreshingToken withX5c = cache.tokenFor(
                    certificate, Duration.ofMinutes(5), signer(AssertionAlgorithm.PS256, true), this::newHttp);
            RefreshingToken ps256Again = cache.tokenFor(
                    certificate, Duration.ofMinutes(5), signer(AssertionAlgorithm.PS256, false), this::newHttp);
            assertTrue(ps256 == ps256Again, "same settings: one token");
            assertEquals(
                    3,
                    new java.util.HashSet<>(List.of(ps256, rs256, withX5c)).size(),
                    "PS256, RS256 and PS256 with x5c: three tokens");

            long before = sandbox.tokenRequestCount();
            assertEquals(
                    3,
                    new java.util.HashSet<>(List.of(
                                    ps256.getToken().value(),
                                    rs256.getToken().value(),
                                    withX5c.getToken().value()))
                            .size());
            assertEquals(3, sandbox.tokenRequestCount() - before, "each made its own request, with its own assertion");

            RefreshingToken secretPs256 = cache.tokenFor(
                    secret, Duration.ofMinutes(5), signer(AssertionAlgorithm.PS256, false), this::newHttp);
            assertTrue(
                    secretPs256
                            == cache.tokenFor(
                                    secret,
                                    Duration.ofMinutes(5),
                                    signer(AssertionAlgorithm.RS256, true),
                                    this::newHttp),
                    "a secret sends no assertion: the signer does not split its token");
        }
    }

    static AssertionSigner signer(AssertionAlgorithm alg, boolean x5c) {
        return new AssertionSigner(alg, x5c, false, AssertionSigner.MAX_LIFETIME, Clock.systemUTC());
    }

    CloseableHttpClient newHttp() {
        return HttpClientFactory.create(
                sandbox.sslContextTrustingSandbox(), null, Duration.ofSeconds(5), Duration.ofSeconds(10), 4);
    }
}
