package io.camelpowerbi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.sqlserver.jdbc.SQLServerAccessTokenCallback;
import com.microsoft.sqlserver.jdbc.SQLServerDataSource;
import com.microsoft.sqlserver.jdbc.SqlAuthenticationToken;
import io.camelpowerbi.TestClocks;
import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxClock;
import io.camelpowerbi.sandbox.SandboxConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Warehouse token callback, called as mssql-jdbc calls it: through {@link SQLServerAccessTokenCallback}, with the
 * server's SPN first and its authority second, answering with epoch milliseconds.
 */
class SqlAccessTokenCallbackTest {

    static final Instant EXPIRY = Instant.parse("2026-11-18T15:00:00Z");

    /** Tokens whose value names the resource asked for; every resource asked for is recorded. */
    final List<String> asked = new ArrayList<>();

    final TokenProviders recording = resource -> {
        asked.add(resource);
        return () -> new AccessToken("token-for-" + resource, EXPIRY, EXPIRY.minusSeconds(300));
    };

    @Test
    void theServersSpnBecomesTheScopeAndTheExpiryIsInMilliseconds() {
        SQLServerAccessTokenCallback callback =
                new SqlAccessTokenCallback(recording, Audience.SQL_DATABASE.resource(Cloud.PUBLIC));

        SqlAuthenticationToken token = callback.getAccessToken(
                "https://database.windows.net/", "https://login.microsoftonline.com/some-tenant");

        assertEquals("token-for-https://database.windows.net", token.getAccessToken());
        assertEquals(EXPIRY.toEpochMilli(), token.getExpiresOn().getTime());
        assertEquals(List.of("https://database.windows.net"), asked);
    }

    @Test
    void theSpnPlusDefaultAndThePlainScopeAreOneResource() {
        SqlAccessTokenCallback callback =
                new SqlAccessTokenCallback(recording, "https://database.windows.net/.default");
        // Microsoft's sample builds spn + "/.default"; the scope is https://database.windows.net/.default
        callback.getAccessToken("https://database.windows.net//.default", null);
        callback.getAccessToken("https://database.windows.net/.default", null);
        callback.getAccessToken("https://database.windows.net", null);
        assertEquals(
                List.of("https://database.windows.net", "https://database.windows.net", "https://database.windows.net"),
                asked);
    }

    @Test
    void withoutAnSpnTheConfiguredAudienceIsAskedFor() {
        SqlAccessTokenCallback callback =
                new SqlAccessTokenCallback(recording, Audience.SQL_DATABASE.resource(Cloud.GCC_HIGH));
        callback.getAccessToken(null, null);
        callback.getAccessToken(" ", null);
        assertEquals(List.of("https://database.usgovcloudapi.net", "https://database.usgovcloudapi.net"), asked);
        assertThrows(IllegalArgumentException.class, () -> new SqlAccessTokenCallback(recording, " "));
    }

    @Test
    void aSqlServerDataSourceTakesIt() {
        SqlAccessTokenCallback callback = new SqlAccessTokenCallback(recording, "https://database.windows.net");
        SQLServerDataSource dataSource = new SQLServerDataSource();
        dataSource.setAccessTokenCallback(callback);
        assertSame(callback, dataSource.getAccessTokenCallback());
        assertTrue(!callback.toString().contains("token-for"), "no token in toString");
    }

    @Test
    void realTokensComeFromTheComponentsCacheOnePerResource(@TempDir Path state) throws Exception {
        try (Sandbox sandbox = Sandbox.start(
                        SandboxConfig.defaults().with(SandboxConfig::stateDir, state),
                        SandboxClock.startingAt(TestClocks.WORKING_AFTERNOON));
                CloseableHttpClient http = HttpClientFactory.create(
                        sandbox.sslContextTrustingSandbox(), null, Duration.ofSeconds(5), Duration.ofSeconds(10), 4);
                TokenCache cache = new TokenCache(sandbox.clock())) {
            TokenSource source = new TokenSource(
                    sandbox.baseUrl(),
                    sandbox.devTenantId(),
                    sandbox.devClientId(),
                    CertificateLoader.fromPem(
                            sandbox.devCertificateFile(), sandbox.devPrivateKeyFile(), null, sandbox.clock()),
                    TokenEndpointVersion.V2,
                    Audience.POWER_BI.resource(Cloud.PUBLIC));
            TokenProviders providers = cache.providers(
                    source,
                    Duration.ofMinutes(5),
                    new AssertionSigner(
                            AssertionAlgorithm.PS256, false, false, AssertionSigner.MAX_LIFETIME, sandbox.clock()),
                    () -> http);
            SQLServerAccessTokenCallback callback =
                    new SqlAccessTokenCallback(providers, Audience.SQL_DATABASE.resource(Cloud.PUBLIC));
            long before = sandbox.tokenRequestCount();

            SqlAuthenticationToken first = callback.getAccessToken("https://database.windows.net/", "authority");
            SqlAuthenticationToken second =
                    callback.getAccessToken("https://database.windows.net//.default", "authority");
            String powerBi = providers
                    .forAudience(Audience.POWER_BI, Cloud.PUBLIC)
                    .getToken()
                    .value();

            assertEquals(first.getAccessToken(), second.getAccessToken(), "one cached token for both spellings");
            assertEquals(2, sandbox.tokenRequestCount() - before, "SQL and Power BI: one token each");
            assertTrue(!powerBi.equals(first.getAccessToken()), "each audience its own token");
            assertTrue(first.getExpiresOn().toInstant().isAfter(sandbox.clock().now()), "epoch milliseconds, ahead");
        }
    }
}
