package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.SandboxTestSupport.GROUPS;
import static io.camelpowerbi.sandbox.SandboxTestSupport.SCOPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.TokenSource;
import com.nimbusds.jwt.SignedJWT;
import io.camelpowerbi.CallingThreadExecutor;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Microsoft's own client against the sandbox: MSAL4J gets tokens with the dev app's certificate and with its secret,
 * serves the second call from its cache, and the tokens work on Power BI. Also row 33 of the emulator table as MSAL
 * sees it: one retry on a 5xx without Retry-After, none with Retry-After or on 429.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MsalInteropTest {

    Sandbox sandbox;
    TestHttp http;

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(SandboxTestSupport.config());
        http = new TestHttp(sandbox);
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @AfterEach
    void clearFaults() {
        sandbox.faults().clear();
    }

    /** The instance discovery answer, fetched from the sandbox itself. */
    String instanceDiscovery() {
        String authorize = sandbox.authority(Sandbox.DEV_TENANT_ID) + "oauth2/v2.0/authorize";
        TestHttp.Response r =
                http.get(sandbox.baseUrl() + "/common/discovery/instance?api-version=1.1&authorization_endpoint="
                        + URLEncoder.encode(authorize, StandardCharsets.UTF_8));
        assertEquals(200, r.status(), r.body());
        return r.body();
    }

    /** AAD-style authority with the sandbox's instance discovery answer: MSAL can cache (https://github.com/AzureAD/microsoft-authentication-library-for-java/issues/529). */
    ConfidentialClientApplication aadStyle(IClientCredential credential) throws Exception {
        return ConfidentialClientApplication.builder(Sandbox.DEV_CLIENT_ID, credential)
                .authority(sandbox.authority(Sandbox.DEV_TENANT_ID))
                .validateAuthority(false)
                .aadInstanceDiscoveryResponse(instanceDiscovery())
                .sslSocketFactory(sandbox.sslContextTrustingSandbox().getSocketFactory())
                .executorService(new CallingThreadExecutor())
                .build();
    }

    /** OIDC authority: MSAL reads the sandbox's openid-configuration and checks its issuer. */
    ConfidentialClientApplication oidcStyle(IClientCredential credential) throws Exception {
        return ConfidentialClientApplication.builder(Sandbox.DEV_CLIENT_ID, credential)
                .oidcAuthority(sandbox.baseUrl() + "/" + Sandbox.DEV_TENANT_ID + "/v2.0/")
                .sslSocketFactory(sandbox.sslContextTrustingSandbox().getSocketFactory())
                .executorService(new CallingThreadExecutor())
                .build();
    }

    static IAuthenticationResult acquire(ConfidentialClientApplication app, boolean skipCache) throws Exception {
        return app.acquireToken(ClientCredentialParameters.builder(Set.of(SCOPE))
                        .skipCache(skipCache)
                        .build())
                .get();
    }

    void assertWorksOnPowerBi(IAuthenticationResult result) {
        TestHttp.Response r = http.getWithBearer(sandbox.apiBaseUrl() + GROUPS, result.accessToken());
        assertEquals(200, r.status(), r.body());
        assertEquals(2, r.json().get("value").size());
    }

    @Test
    void certificateCredential_aadAuthority_cachesAndWorksOnPowerBi() throws Exception {
        ConfidentialClientApplication app = aadStyle(
                ClientCredentialFactory.createFromCertificate(sandbox.devPrivateKey(), sandbox.devCertificate()));
        long before = sandbox.tokenRequestCount();
        IAuthenticationResult first = acquire(app, false);
        assertEquals(TokenSource.IDENTITY_PROVIDER, first.metadata().tokenSource());
        IAuthenticationResult second = acquire(app, false);
        assertEquals(TokenSource.CACHE, second.metadata().tokenSource());
        assertEquals(first.accessToken(), second.accessToken());
        assertEquals(before + 1, sandbox.tokenRequestCount(), "one token POST for two acquireToken calls");
        assertEquals("2", SignedJWT.parse(first.accessToken()).getJWTClaimsSet().getStringClaim("appidacr"));
        assertWorksOnPowerBi(first);
    }

    @Test
    void secretCredential_oidcAuthority_cachesAndWorksOnPowerBi() throws Exception {
        ConfidentialClientApplication app =
                oidcStyle(ClientCredentialFactory.createFromSecret(sandbox.devClientSecret()));
        long before = sandbox.tokenRequestCount();
        IAuthenticationResult first = acquire(app, false);
        assertEquals(TokenSource.IDENTITY_PROVIDER, first.metadata().tokenSource());
        IAuthenticationResult second = acquire(app, false);
        assertEquals(TokenSource.CACHE, second.metadata().tokenSource());
        assertEquals(before + 1, sandbox.tokenRequestCount());
        assertEquals("1", SignedJWT.parse(first.accessToken()).getJWTClaimsSet().getStringClaim("appidacr"));
        assertWorksOnPowerBi(first);
    }

    @Test
    void secretCredential_aadAuthority_and_certificate_oidcAuthority() throws Exception {
        ConfidentialClientApplication secretApp =
                aadStyle(ClientCredentialFactory.createFromSecret(sandbox.devClientSecret()));
        assertWorksOnPowerBi(acquire(secretApp, false));
        assertEquals(TokenSource.CACHE, acquire(secretApp, false).metadata().tokenSource());
        ConfidentialClientApplication certApp = oidcStyle(
                ClientCredentialFactory.createFromCertificate(sandbox.devPrivateKey(), sandbox.devCertificate()));
        assertWorksOnPowerBi(acquire(certApp, false));
        assertEquals(TokenSource.CACHE, acquire(certApp, false).metadata().tokenSource());
    }

    @Test
    void wrongSecretSurfacesAsMsalServiceException() throws Exception {
        ConfidentialClientApplication app = aadStyle(ClientCredentialFactory.createFromSecret("wrong"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> acquire(app, true));
        MsalServiceException msal = assertInstanceOf(MsalServiceException.class, e.getCause());
        assertEquals("invalid_client", msal.errorCode());
        assertEquals(401, msal.statusCode());
        assertTrue(msal.getMessage().startsWith("AADSTS7000215: "), msal.getMessage());
    }

    /** An Entra-shaped error body: MSAL reads the status code only from a parseable body. */
    static com.fasterxml.jackson.databind.JsonNode entraBody(String error, int code, String message) {
        return new EntraError(0, error, code, message)
                .toJson(
                        java.util.UUID.randomUUID().toString(),
                        java.util.UUID.randomUUID().toString(),
                        java.time.Instant.now());
    }

    @Test
    void row33_msalRetriesOnceOn500WithoutRetryAfter() throws Exception {
        ConfidentialClientApplication app =
                aadStyle(ClientCredentialFactory.createFromSecret(sandbox.devClientSecret()));
        sandbox.faults().add(FaultRule.status("/oauth2/v2\\.0/token$", 500).times(1));
        long before = sandbox.tokenRequestCount();
        IAuthenticationResult result = acquire(app, true);
        assertEquals(TokenSource.IDENTITY_PROVIDER, result.metadata().tokenSource());
        assertEquals(before + 2, sandbox.tokenRequestCount(), "the 500 and MSAL's single retry");
    }

    @Test
    void row33_noMsalRetryOn503WithRetryAfter() throws Exception {
        ConfidentialClientApplication app =
                aadStyle(ClientCredentialFactory.createFromSecret(sandbox.devClientSecret()));
        sandbox.faults()
                .add(FaultRule.status("/oauth2/v2\\.0/token$", 503)
                        .withRetryAfter(30)
                        .withBody(entraBody(
                                "temporarily_unavailable", 90033, "A transient error has occurred. Please try again."))
                        .times(1));
        long before = sandbox.tokenRequestCount();
        ExecutionException e = assertThrows(ExecutionException.class, () -> acquire(app, true));
        assertEquals(
                503, assertInstanceOf(MsalServiceException.class, e.getCause()).statusCode());
        assertEquals(before + 1, sandbox.tokenRequestCount());
    }

    @Test
    void row33_noMsalRetryOn429() throws Exception {
        ConfidentialClientApplication app =
                aadStyle(ClientCredentialFactory.createFromSecret(sandbox.devClientSecret()));
        sandbox.faults()
                .add(FaultRule.status("/oauth2/v2\\.0/token$", 429)
                        .withBody(entraBody("invalid_request", 90055, "There are too many incoming requests."))
                        .times(1));
        long before = sandbox.tokenRequestCount();
        ExecutionException e = assertThrows(ExecutionException.class, () -> acquire(app, true));
        assertEquals(
                429, assertInstanceOf(MsalServiceException.class, e.getCause()).statusCode());
        assertEquals(before + 1, sandbox.tokenRequestCount());
    }
}
