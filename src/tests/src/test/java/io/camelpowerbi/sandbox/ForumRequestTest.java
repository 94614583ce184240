package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.SandboxTestSupport.assertEntraError;
import static io.camelpowerbi.sandbox.TestHttp.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The forum request of https://community.fabric.microsoft.com/t5/Developer/Power-BI-Api-JWT-Auth/m-p/2253257, fixed one defect at a time: each fix reveals the next error,
 * in the order ESTS reports them (700023, then 700027, then 700024), until the token works on Power BI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForumRequestTest {

    Sandbox sandbox;
    TestHttp http;

    @BeforeAll
    void start() throws Exception {
        // a skew smaller than the forum's nbf offset of 60 s
        sandbox = Sandbox.start(SandboxTestSupport.config().with(SandboxConfig::clockSkewSeconds, 30));
        http = new TestHttp(sandbox);
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    private TestAssertions forumAssertion(Object aud, Instant iat) {
        String fingerprint = TestAssertions.hexSha1(sandbox.devCertificate());
        return TestAssertions.assertion(
                        sandbox.devPrivateKey(), sandbox.devCertificate(), Sandbox.DEV_CLIENT_ID, aud, iat)
                .header("x5t#S256", null)
                .header("typ", "JWT")
                .alg("RS256")
                .header("x5t", fingerprint)
                .header("kid", fingerprint)
                .claim("jti", UUID.randomUUID().toString())
                .claim("iat", iat.getEpochSecond())
                .claim("nbf", iat.getEpochSecond() + 60)
                .claim("exp", iat.getEpochSecond() + 3600);
    }

    private TestHttp.Response post(String assertion) {
        return http.postForm(
                sandbox.tokenEndpointV1(Sandbox.DEV_TENANT_ID),
                form(
                        "grant_type", "client_credentials",
                        "client_id", Sandbox.DEV_CLIENT_ID,
                        "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                        "client_assertion", assertion,
                        "resource", "https://analysis.windows.net/powerbi/api"));
    }

    @Test
    void forumRequestFixedStepByStep() {
        Instant iat = sandbox.clock().now();
        String tenantOnly = sandbox.baseUrl() + "/" + Sandbox.DEV_TENANT_ID;

        // 1. as posted on the forum: aud without the token path
        TestHttp.Response r1 = post(forumAssertion(List.of(tenantOnly), iat).sign());
        assertEntraError(
                r1,
                401,
                "invalid_client",
                700023,
                "Client assertion audience claim does not match Realm issuer. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .",
                true);

        // 2. aud fixed: the hex "SSL fingerprint" in x5t names no registered key
        List<String> aud = List.of(sandbox.tokenEndpointV1(Sandbox.DEV_TENANT_ID));
        String hex = TestAssertions.hexSha1(sandbox.devCertificate());
        TestHttp.Response r2 = post(forumAssertion(aud, iat).sign());
        JsonNode e2 = assertEntraError(
                r2,
                401,
                "invalid_client",
                700027,
                "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '"
                        + TestAssertions.estsDisplay(hex) + "'",
                false);
        assertTrue(e2.get("error_description").asText().contains("app Id '" + Sandbox.DEV_CLIENT_ID + "'"));

        // 3. x5t fixed (base64url SHA-1): nbf = iat + 60 s is beyond the 30 s skew
        String x5t = Thumbprints.of(sandbox.devCertificate()).sha1Base64Url();
        TestHttp.Response r3 = post(forumAssertion(aud, iat).header("x5t", x5t).sign());
        JsonNode e3 = assertEntraError(
                r3,
                401,
                "invalid_client",
                700024,
                "Client assertion is not within its valid time range. Current time: ",
                false);
        assertTrue(e3.get("error_description")
                .asText()
                .contains(", assertion valid from "
                        + EntraError.estsTime(Instant.ofEpochSecond(iat.getEpochSecond() + 60))
                        + ", expiry time of assertion "
                        + EntraError.estsTime(Instant.ofEpochSecond(iat.getEpochSecond() + 3600)) + "."));

        // 4. nbf fixed: a token, string-typed as v1 answers are
        TestHttp.Response r4 = post(forumAssertion(aud, iat)
                .header("x5t", x5t)
                .claim("nbf", iat.getEpochSecond())
                .sign());
        assertEquals(200, r4.status(), r4.body());
        assertEquals(
                "https://analysis.windows.net/powerbi/api",
                r4.json().get("resource").asText());
        String token = r4.json().get("access_token").asText();

        // and the token works on Power BI
        TestHttp.Response groups = http.getWithBearer(sandbox.apiBaseUrl() + SandboxTestSupport.GROUPS, token);
        assertEquals(200, groups.status(), groups.body());
        assertEquals(2, groups.json().get("value").size());
    }
}
