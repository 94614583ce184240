package io.camelpowerbi.bench;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.TokenSource;
import com.nimbusds.jwt.SignedJWT;
import io.camelpowerbi.CallingThreadExecutor;
import io.camelpowerbi.auth.AccessToken;
import io.camelpowerbi.auth.AssertionSigner;
import io.camelpowerbi.auth.CertificateLoader;
import io.camelpowerbi.auth.ClientCertificate;
import io.camelpowerbi.auth.RefreshingToken;
import io.camelpowerbi.auth.TokenCache;
import io.camelpowerbi.auth.TokenEndpointVersion;
import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Token cache hits: ours against MSAL4J's {@code acquireToken} served from its own cache, both fed by the same
 * sandbox, 4 threads, and against the floor, a bare volatile read of the token (what any cache costs at least); and the
 * cost of signing one assertion. MSAL runs on the calling thread (its default executor
 * adds a thread hop per call, which would flatter us).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dlog4j2.level=WARN")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class TokenCacheBenchmark {

    Sandbox sandbox;
    TokenCache cache;
    RefreshingToken ours;
    ConfidentialClientApplication msal;
    ClientCredentialParameters parameters;
    ClientCertificate certificate;
    String tokenUrl;
    /** The floor: a cache that is nothing but a volatile field, never checked against the clock. */
    volatile AccessToken bare;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path state = Files.createTempDirectory("bench-sandbox");
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, state));
        certificate = CertificateLoader.fromPem(
                sandbox.devCertificateFile(), sandbox.devPrivateKeyFile(), null, Clock.systemUTC());
        io.camelpowerbi.auth.TokenSource source = new io.camelpowerbi.auth.TokenSource(
                sandbox.baseUrl(),
                sandbox.devTenantId(),
                sandbox.devClientId(),
                certificate,
                TokenEndpointVersion.V2,
                "https://analysis.windows.net/powerbi/api");
        tokenUrl = source.tokenUrl();
        cache = new TokenCache(Clock.systemUTC());
        ours = cache.tokenFor(
                source,
                Duration.ofMinutes(5),
                AssertionSigner.defaults(),
                () -> HttpClientFactory.create(
                        sandbox.sslContextTrustingSandbox(), null, Duration.ofSeconds(5), Duration.ofSeconds(10), 4));
        bare = ours.getToken();

        msal = ConfidentialClientApplication.builder(
                        sandbox.devClientId(),
                        ClientCredentialFactory.createFromCertificate(
                                certificate.privateKey(), certificate.certificate()))
                .oidcAuthority(sandbox.baseUrl() + "/" + sandbox.devTenantId() + "/v2.0/")
                .sslSocketFactory(sandbox.sslContextTrustingSandbox().getSocketFactory())
                .executorService(new CallingThreadExecutor())
                .build();
        parameters = ClientCredentialParameters.builder(Set.of("https://analysis.windows.net/powerbi/api/.default"))
                .build();
        msal.acquireToken(parameters).get();
        IAuthenticationResult second = msal.acquireToken(parameters).get();
        if (second.metadata().tokenSource() != TokenSource.CACHE) {
            throw new IllegalStateException(
                    "MSAL did not serve its second call from its cache: the comparison would be unfair");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
        sandbox.close();
    }

    @Benchmark
    @Threads(4)
    public AccessToken camelPowerBiCacheHit() {
        return ours.getToken();
    }

    @Benchmark
    @Threads(4)
    public AccessToken bareVolatileRead() {
        return bare;
    }

    @Benchmark
    @Threads(4)
    public IAuthenticationResult msal4jCacheHit() {
        return msal.acquireToken(parameters).join();
    }

    @Benchmark
    @Threads(1)
    public SignedJWT signOneAssertion() {
        return AssertionSigner.defaults().sign(certificate, sandbox.devClientId(), tokenUrl);
    }
}
