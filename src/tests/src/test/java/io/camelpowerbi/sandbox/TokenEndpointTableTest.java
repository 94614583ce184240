package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.SandboxTestSupport.SCOPE;
import static io.camelpowerbi.sandbox.SandboxTestSupport.assertEntraError;
import static io.camelpowerbi.sandbox.TestHttp.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The emulator table of https://learn.microsoft.com/entra/identity-platform/reference-error-codes, one test per row (rows 1-34), against one sandbox with the
 * default (strict) configuration, plus a lenient and a replay-protected sandbox where a row needs them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenEndpointTableTest {

    static final String TENANT = Sandbox.DEV_TENANT_ID;
    static final String CLIENT = Sandbox.DEV_CLIENT_ID;
    static final String EXPIRED_APP = "1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d";
    static final String DISABLED_APP = "2b3c4d5e-6f7a-4b1c-9d2e-3f4a5b6c7d8e";
    static final String AUD_MISMATCH =
            "Client assertion audience claim does not match Realm issuer. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .";

    Sandbox sandbox;
    TestHttp http;
    X509Certificate devCert;
    java.security.PrivateKey devKey;
    SelfSignedCertificates.CertificateAndKey unregistered;
    SelfSignedCertificates.CertificateAndKey expiredRegistration;

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(SandboxTestSupport.config());
        http = new TestHttp(sandbox);
        devCert = sandbox.devCertificate();
        devKey = sandbox.devPrivateKey();
        unregistered = SelfSignedCertificates.generate("CN=not registered", 30, 2048, List.of());
        expiredRegistration = SelfSignedCertificates.generate("CN=expired registration", 30, 2048, List.of());
        Instant now = sandbox.clock().now();
        sandbox.registerApp(
                TENANT,
                SandboxConfig.AppConfig.of(EXPIRED_APP, "expired credentials")
                        .withSecret(
                                new SandboxConfig.SecretConfig("expired-secret-value", now.minus(Duration.ofDays(1)))));
        sandbox.registerCertificate(
                TENANT,
                EXPIRED_APP,
                expiredRegistration.certificate(),
                now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)));
        sandbox.registerApp(
                TENANT,
                SandboxConfig.AppConfig.of(DISABLED_APP, "disabled app")
                        .with(SandboxConfig.AppConfig::enabled, false)
                        .withSecret(SandboxConfig.SecretConfig.of("disabled-secret-value")));
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @AfterEach
    void clearFaults() {
        sandbox.faults().clear();
    }

    // ------------------------------------------------------------------ helpers

    TestAssertions valid(String endpoint) {
        return TestAssertions.assertion(
                devKey, devCert, CLIENT, endpoint, sandbox.clock().now());
    }

    TestHttp.Response postAssertion(String endpoint, String assertion) {
        return http.postForm(
                endpoint,
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        CLIENT,
                        "client_assertion_type",
                        AssertionValidator.ASSERTION_TYPE,
                        "client_assertion",
                        assertion,
                        "scope",
                        SCOPE));
    }

    TestHttp.Response postAssertionV1(String endpoint, String assertion) {
        return http.postForm(
                endpoint,
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        CLIENT,
                        "client_assertion_type",
                        AssertionValidator.ASSERTION_TYPE,
                        "client_assertion",
                        assertion,
                        "resource",
                        Sandbox.POWER_BI_RESOURCE));
    }

    String v2() {
        return sandbox.tokenEndpoint(TENANT);
    }

    String v1() {
        return sandbox.tokenEndpointV1(TENANT);
    }

    static JWTClaimsSet claims(String jwt) throws ParseException {
        return SignedJWT.parse(jwt).getJWTClaimsSet();
    }

    // ------------------------------------------------------------------ rows 1-3: success

    @Test
    void row01_v2_ps256_x5tS256_exactAudience() throws Exception {
        TestHttp.Response r = postAssertion(v2(), valid(v2()).sign());
        assertEquals(200, r.status(), r.body());
        JsonNode json = r.json();
        assertEquals("Bearer", json.get("token_type").asText());
        assertTrue(json.get("expires_in").isInt());
        assertEquals(3599, json.get("expires_in").asInt());
        assertTrue(json.get("ext_expires_in").isInt());
        assertFalse(json.has("refresh_in"));
        assertFalse(json.has("refresh_token"));
        SignedJWT token = SignedJWT.parse(json.get("access_token").asText());
        assertEquals("RS256", token.getHeader().getAlgorithm().getName());
        assertEquals(
                Thumbprints.of(sandbox.tokenSigningCertificate()).sha1Base64Url(),
                token.getHeader().getKeyID());
        JWTClaimsSet c = token.getJWTClaimsSet();
        assertEquals(List.of(Sandbox.POWER_BI_RESOURCE), c.getAudience());
        assertEquals("https://sts.windows.net/" + TENANT + "/", c.getIssuer());
        assertEquals(TENANT, c.getStringClaim("tid"));
        assertEquals(CLIENT, c.getStringClaim("appid"));
        assertEquals(CLIENT, c.getStringClaim("azp"));
        assertEquals("2", c.getStringClaim("appidacr"));
        assertEquals(Sandbox.DEV_APP_OBJECT_ID, c.getStringClaim("oid"));
        assertEquals(Sandbox.DEV_APP_OBJECT_ID, c.getSubject());
        assertEquals("1.0", c.getStringClaim("ver"));
        assertEquals("app", c.getStringClaim("idtyp"));
        assertNotNull(c.getIssueTime());
        assertNotNull(c.getNotBeforeTime());
        long lifetime = c.getExpirationTime().toInstant().getEpochSecond()
                - sandbox.clock().now().getEpochSecond();
        assertTrue(lifetime > 3590 && lifetime <= 3600, "lifetime " + lifetime);
        assertEquals("no-store, no-cache", r.header("Cache-Control"));
    }

    @Test
    void row02_rs256_legacySha1X5t() throws Exception {
        TestHttp.Response r =
                postAssertion(v2(), valid(v2()).legacyRs256(devCert).sign());
        assertEquals(200, r.status(), r.body());
        assertEquals("2", claims(r.json().get("access_token").asText()).getStringClaim("appidacr"));
    }

    @Test
    void row03_v1_resource_stringTypedNumbers() throws Exception {
        TestHttp.Response r = postAssertionV1(v1(), valid(v1()).sign());
        assertEquals(200, r.status(), r.body());
        JsonNode json = r.json();
        assertTrue(json.get("expires_in").isTextual());
        assertEquals("3599", json.get("expires_in").asText());
        assertTrue(json.get("ext_expires_in").isTextual());
        assertTrue(json.get("expires_on").isTextual());
        assertTrue(json.get("not_before").isTextual());
        assertEquals(Sandbox.POWER_BI_RESOURCE, json.get("resource").asText());
        long expiresOn = Long.parseLong(json.get("expires_on").asText());
        assertEquals(
                claims(json.get("access_token").asText())
                        .getExpirationTime()
                        .toInstant()
                        .getEpochSecond(),
                expiresOn);
    }

    // ------------------------------------------------------------------ rows 4-8: audience (AADSTS700023)

    @Test
    void row04_forumAudienceWithoutPath() {
        String aud = sandbox.baseUrl() + "/" + TENANT;
        TestHttp.Response r =
                postAssertionV1(v1(), valid(v1()).claim("aud", List.of(aud)).sign());
        assertEntraError(r, 401, "invalid_client", 700023, AUD_MISMATCH, true);
    }

    @Test
    void row05_aliasHostInAudience() {
        // the Entra pair: aud at login.microsoftonline.com, POST to another host
        String aud = "https://login.microsoftonline.com/" + TENANT + "/oauth2/v2.0/token";
        assertEntraError(
                postAssertion(v2(), valid(v2()).claim("aud", aud).sign()),
                401,
                "invalid_client",
                700023,
                AUD_MISMATCH,
                true);
        // the local pair: aud names 127.0.0.1, the request addresses localhost (a different realm)
        String localhostEndpoint = "https://localhost:" + sandbox.port() + "/" + TENANT + "/oauth2/v2.0/token";
        assertEntraError(
                postAssertion(localhostEndpoint, valid(v2()).sign()),
                401,
                "invalid_client",
                700023,
                AUD_MISMATCH,
                true);
        // and localhost as aud on localhost is fine: the realm is the address the client used
        assertEquals(
                200,
                postAssertion(localhostEndpoint, valid(localhostEndpoint).sign())
                        .status());
    }

    @Test
    void row06_commonOrOtherTenantInAudience() {
        String common = sandbox.baseUrl() + "/common/oauth2/v2.0/token";
        assertEntraError(
                postAssertion(v2(), valid(v2()).claim("aud", common).sign()),
                401,
                "invalid_client",
                700023,
                AUD_MISMATCH,
                true);
        String other = sandbox.baseUrl() + "/" + UUID.randomUUID() + "/oauth2/v2.0/token";
        assertEntraError(
                postAssertion(v2(), valid(v2()).claim("aud", other).sign()),
                401,
                "invalid_client",
                700023,
                AUD_MISMATCH,
                true);
    }

    @Test
    void row07_regionalHostInAudience() {
        String regional = "https://westeurope.login.microsoft.com/" + TENANT + "/oauth2/v2.0/token";
        assertEntraError(
                postAssertion(v2(), valid(v2()).claim("aud", regional).sign()),
                401,
                "invalid_client",
                700023,
                AUD_MISMATCH,
                true);
    }

    @Test
    void row08_v1PathAudienceOnV2_strict() {
        assertEntraError(postAssertion(v2(), valid(v1()).sign()), 401, "invalid_client", 700023, AUD_MISMATCH, true);
        // and the reverse
        assertEntraError(postAssertionV1(v1(), valid(v2()).sign()), 401, "invalid_client", 700023, AUD_MISMATCH, true);
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Lenient {
        Sandbox lenient;
        TestHttp lenientHttp;

        @BeforeAll
        void start() throws Exception {
            lenient = Sandbox.start(SandboxTestSupport.config()
                    .with(SandboxConfig::lenientV1V2Path, true)
                    .with(SandboxConfig::lenientHostAliases, true)
                    .with(SandboxConfig::lenientTenantForms, true)
                    .with(SandboxConfig::lenientIssuerForm, true));
            lenientHttp = new TestHttp(lenient);
        }

        @AfterAll
        void stop() {
            lenient.close();
        }

        TestHttp.Response post(String endpoint, Object aud) {
            String assertion = TestAssertions.assertion(
                            devKey, devCert, CLIENT, aud, lenient.clock().now())
                    .sign();
            return lenientHttp.postForm(
                    endpoint,
                    form(
                            "grant_type",
                            "client_credentials",
                            "client_id",
                            CLIENT,
                            "client_assertion_type",
                            AssertionValidator.ASSERTION_TYPE,
                            "client_assertion",
                            assertion,
                            "scope",
                            SCOPE));
        }

        @Test
        void row08_v1PathAudienceOnV2_lenient() {
            assertEquals(
                    200,
                    post(lenient.tokenEndpoint(TENANT), lenient.tokenEndpointV1(TENANT))
                            .status());
        }

        @Test
        void hostAliases_lenient() {
            String localhost = "https://localhost:" + lenient.port() + "/" + TENANT + "/oauth2/v2.0/token";
            assertEquals(200, post(localhost, lenient.tokenEndpoint(TENANT)).status());
        }

        @Test
        void tenantForms_lenient() {
            assertEquals(
                    200,
                    post(lenient.tokenEndpoint(TENANT), lenient.tokenEndpoint(Sandbox.DEV_TENANT_DOMAIN))
                            .status());
        }

        @Test
        void issuerForm_lenient() {
            assertEquals(
                    200,
                    post(lenient.tokenEndpoint(TENANT), lenient.baseUrl() + "/" + TENANT + "/v2.0")
                            .status());
        }

        @Test
        void otherHostsStayStrict() {
            TestHttp.Response r = post(
                    lenient.tokenEndpoint(TENANT),
                    "https://login.microsoftonline.com/" + TENANT + "/oauth2/v2.0/token");
            assertEntraError(r, 401, "invalid_client", 700023, AUD_MISMATCH, true);
        }
    }

    // ------------------------------------------------------------------ rows 9-12: time (AADSTS700024)

    @Test
    void row09_expInThePast() {
        Instant now = sandbox.clock().now();
        long exp = now.getEpochSecond() - 3600;
        long nbf = exp - 600;
        TestHttp.Response r = postAssertion(
                v2(), valid(v2()).claim("nbf", nbf).claim("exp", exp).sign());
        JsonNode json = assertEntraError(
                r,
                401,
                "invalid_client",
                700024,
                "Client assertion is not within its valid time range. Current time: ",
                false);
        String description = json.get("error_description").asText();
        assertTrue(
                description.contains(
                        ", assertion valid from " + EntraError.estsTime(Instant.ofEpochSecond(nbf))
                                + ", expiry time of assertion " + EntraError.estsTime(Instant.ofEpochSecond(exp))
                                + ". Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials ."),
                description);
        assertTrue(
                description.matches("(?s).*Current time: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z,.*"),
                description);
        assertTrue(EntraError.estsTime(Instant.ofEpochSecond(nbf)).endsWith(".0000000Z"));
    }

    @Test
    void row10_nbfInTheFutureBeyondSkew() {
        long nbf = sandbox.clock().now().getEpochSecond() + 600;
        TestHttp.Response r = postAssertion(
                v2(), valid(v2()).claim("nbf", nbf).claim("exp", nbf + 600).sign());
        JsonNode json = assertEntraError(
                r, 401, "invalid_client", 700024, "Client assertion is not within its valid time range.", false);
        assertTrue(json.get("error_description")
                .asText()
                .contains("assertion valid from " + EntraError.estsTime(Instant.ofEpochSecond(nbf))));
        // within the skew (300 s by default) the same kind of assertion passes
        long near = sandbox.clock().now().getEpochSecond() + 60;
        assertEquals(
                200, postAssertion(v2(), valid(v2()).claim("nbf", near).sign()).status());
    }

    @Test
    void row11_nbfMissingIsAccepted() {
        assertEquals(
                200, postAssertion(v2(), valid(v2()).claim("nbf", null).sign()).status());
    }

    @Test
    void row12_expMissingIsRejected() {
        TestHttp.Response r = postAssertion(
                v2(), valid(v2()).claim("exp", null).claim("nbf", null).sign());
        JsonNode json = assertEntraError(
                r, 401, "invalid_client", 700024, "Client assertion is not within its valid time range.", false);
        assertTrue(
                json.get("error_description")
                        .asText()
                        .contains(
                                "assertion valid from 1970-01-01T00:00:00.0000000Z, expiry time of assertion 1970-01-01T00:00:00.0000000Z."));
    }

    // ------------------------------------------------------------------ rows 13-14: iss/sub

    @Test
    void row13_issDiffersFromSub() {
        TestHttp.Response r = postAssertion(
                v2(), valid(v2()).claim("sub", UUID.randomUUID().toString()).sign());
        assertEntraError(
                r, 401, "invalid_client", 50048, "Subject must match the issuer claim in the client assertion.", true);
    }

    @Test
    void row14_issAndSubDifferFromClientId() {
        String other = UUID.randomUUID().toString();
        TestHttp.Response r = postAssertion(
                v2(), valid(v2()).claim("iss", other).claim("sub", other).sign());
        assertEntraError(
                r,
                401,
                "invalid_client",
                700021,
                "Client assertion application identifier doesn't match 'client_id' parameter.",
                false);
    }

    // ------------------------------------------------------------------ rows 15-19: keys and signatures (700027)

    static String keyNotFound(String thumbprint) {
        return "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '"
                + thumbprint
                + "', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '"
                + CLIENT + "'.";
    }

    @Test
    void row15_unregisteredCertificate() {
        String assertion = TestAssertions.assertion(
                        unregistered.privateKey(),
                        unregistered.certificate(),
                        CLIENT,
                        v2(),
                        sandbox.clock().now())
                .sign();
        assertEntraError(
                postAssertion(v2(), assertion),
                401,
                "invalid_client",
                700027,
                keyNotFound(unregistered.thumbprints().sha256Hex()),
                false);
        // SHA-1 form: the message shows the SHA-1 thumbprint, as the portal lists it
        String legacy = TestAssertions.assertion(
                        unregistered.privateKey(),
                        unregistered.certificate(),
                        CLIENT,
                        v2(),
                        sandbox.clock().now())
                .legacyRs256(unregistered.certificate())
                .sign();
        assertEntraError(
                postAssertion(v2(), legacy),
                401,
                "invalid_client",
                700027,
                keyNotFound(unregistered.thumbprints().sha1Hex()),
                false);
    }

    @Test
    void row16_hexFingerprintAsX5t() {
        String hex = TestAssertions.hexSha1(devCert);
        String assertion = valid(v2()).legacyRs256(devCert).header("x5t", hex).sign();
        assertEntraError(
                postAssertion(v2(), assertion),
                401,
                "invalid_client",
                700027,
                keyNotFound(TestAssertions.estsDisplay(hex)),
                false);
    }

    @Test
    void thumbprintForms_standardBase64AndPadding() {
        byte[] sha256 = Thumbprints.of(devCert).sha256();
        String standardPadded = Base64.getEncoder().encodeToString(sha256);
        assertEquals(
                200,
                postAssertion(
                                v2(),
                                valid(v2()).header("x5t#S256", standardPadded).sign())
                        .status());
        String urlPadded = Base64.getUrlEncoder().encodeToString(sha256);
        assertEquals(
                200,
                postAssertion(v2(), valid(v2()).header("x5t#S256", urlPadded).sign())
                        .status());
        String sha1Standard =
                Base64.getEncoder().encodeToString(Thumbprints.of(devCert).sha1());
        assertEquals(
                200,
                postAssertion(
                                v2(),
                                valid(v2())
                                        .header("x5t#S256", null)
                                        .header("x5t", sha1Standard)
                                        .sign())
                        .status());
    }

    @Test
    void noThumbprintAtAll() {
        TestHttp.Response r =
                postAssertion(v2(), valid(v2()).header("x5t#S256", null).sign());
        assertEntraError(
                r,
                401,
                "invalid_client",
                50027,
                "Invalid JWT token. No certificate thumbprint specified in token header.",
                true);
    }

    @Test
    void row17_signedByAnotherKey() {
        String assertion = valid(v2()).signedBy(unregistered.privateKey()).sign();
        JsonNode json = assertEntraError(
                postAssertion(v2(), assertion),
                401,
                "invalid_client",
                700027,
                "Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '"
                        + Thumbprints.of(devCert).sha256Hex() + "', Found key 'Start=",
                false);
        assertTrue(json.get("error_description").asText().contains("app Id '" + CLIENT + "'"));
    }

    @Test
    void row17_tamperedPayload() {
        String[] parts = valid(v2()).sign().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"jti\":\"", "\"jti\":\"x");
        String tampered = parts[0] + "." + TestAssertions.b64(payload) + "." + parts[2];
        assertEntraError(
                postAssertion(v2(), tampered),
                401,
                "invalid_client",
                700027,
                "Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value.",
                false);
    }

    @Test
    void row18_registeredCertificateExpired() {
        String endpoint = v2();
        String assertion = TestAssertions.assertion(
                        expiredRegistration.privateKey(),
                        expiredRegistration.certificate(),
                        EXPIRED_APP,
                        endpoint,
                        sandbox.clock().now())
                .claim("iss", EXPIRED_APP)
                .claim("sub", EXPIRED_APP)
                .sign();
        TestHttp.Response r = http.postForm(
                endpoint,
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        EXPIRED_APP,
                        "client_assertion_type",
                        AssertionValidator.ASSERTION_TYPE,
                        "client_assertion",
                        assertion,
                        "scope",
                        SCOPE));
        assertEntraError(
                r,
                401,
                "invalid_client",
                700027,
                "Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '"
                        + expiredRegistration.thumbprints().sha256Hex() + "'",
                false);
    }

    @Test
    void row19_algNone() {
        assertEntraError(
                postAssertion(v2(), valid(v2()).unsigned()),
                401,
                "invalid_client",
                700027,
                "Client assertion failed signature validation.",
                true);
    }

    @Test
    void row19_hs256() {
        byte[] secret = sandbox.devClientSecret().repeat(2).getBytes(StandardCharsets.UTF_8);
        assertEntraError(
                postAssertion(v2(), valid(v2()).hmac(secret)),
                401,
                "invalid_client",
                700027,
                "Client assertion failed signature validation.",
                true);
    }

    @Test
    void rs512IsNotAccepted() {
        assertEntraError(
                postAssertion(v2(), valid(v2()).alg("RS512").sign()),
                401,
                "invalid_client",
                700027,
                "Client assertion failed signature validation.",
                true);
    }

    // ------------------------------------------------------------------ row 20: malformed

    @ParameterizedTest
    @ValueSource(strings = {"abc.def", "%%%.###.$$$", "not-a-jwt", "e30.e30.e30.e30.e30"})
    void row20_notAJws(String assertion) {
        assertEntraError(
                postAssertion(v2(), assertion),
                401,
                "invalid_client",
                50027,
                "JWT token is invalid or malformed.",
                true);
    }

    @Test
    void row20_audienceArrayWithTwoEntries() {
        TestHttp.Response r = postAssertion(
                v2(), valid(v2()).claim("aud", List.of(v2(), sandbox.baseUrl())).sign());
        assertEntraError(r, 401, "invalid_client", 50027, "JWT token is invalid or malformed.", true);
    }

    // ------------------------------------------------------------------ rows 21-27: parameters, scope, resource

    @Test
    void row21_noCredential() {
        TestHttp.Response r =
                http.postForm(v2(), form("grant_type", "client_credentials", "client_id", CLIENT, "scope", SCOPE));
        assertEntraError(
                r,
                401,
                "invalid_client",
                7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
                true);
    }

    @Test
    void row22_grantTypeMissing() {
        TestHttp.Response r = http.postForm(v2(), form("client_id", CLIENT, "client_secret", "x", "scope", SCOPE));
        assertEntraError(
                r,
                400,
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'grant_type'.",
                true);
    }

    @Test
    void row22_scopeMissing() {
        TestHttp.Response r = http.postForm(
                v2(),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        CLIENT,
                        "client_secret",
                        sandbox.devClientSecret()));
        assertEntraError(
                r,
                400,
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'scope'.",
                true);
    }

    @Test
    void row23_wrongClientAssertionType() {
        TestHttp.Response r = http.postForm(
                v2(),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        CLIENT,
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
                        "client_assertion",
                        valid(v2()).sign(),
                        "scope",
                        SCOPE));
        assertEntraError(r, 400, "invalid_request", 90011, "Unexpected client assertion type.", true);
    }

    @Test
    void row24_scopeWithoutDefault() {
        String scope = "https://analysis.windows.net/powerbi/api/Report.Read.All";
        TestHttp.Response r = http.postForm(
                v2(),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        CLIENT,
                        "client_secret",
                        sandbox.devClientSecret(),
                        "scope",
                        scope));
        assertEntraError(
                r,
                400,
                "invalid_scope",
                1002012,
                "The provided value for scope " + scope
                        + " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).",
                true);
    }

    @Test
    void row25_resourceOnV2() {
        TestHttp.Response r = http.postForm(
                v2(),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        CLIENT,
                        "client_secret",
                        sandbox.devClientSecret(),
                        "resource",
                        Sandbox.POWER_BI_RESOURCE));
        assertEntraError(r, 400, "invalid_request", 901002, "The 'resource' request parameter is not supported.", true);
    }

    @Test
    void row26_scopesForTwoResources() {
        TestHttp.Response r = http.postForm(
                v2(),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        CLIENT,
                        "client_secret",
                        sandbox.devClientSecret(),
                        "scope",
                        SCOPE + " https://analysis.usgovcloudapi.net/powerbi/api/.default"));
        assertEntraError(
                r,
                400,
                "invalid_scope",
                700022,
                "The provided value for the input parameter scope isn't valid because it contains more than one resource.",
                true);
    }

    @Test
    void row27_unknownResource() {
        TestHttp.Response r = http.postForm(
                v2(),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        CLIENT,
                        "client_secret",
                        sandbox.devClientSecret(),
                        "scope",
                        "https://analysis.windows.net/powerbi/api2/.default"));
        assertEntraError(
                r,
                400,
                "invalid_resource",
                500011,
                "The resource principal named https://analysis.windows.net/powerbi/api2 was not found in the tenant named Camel Power BI Sandbox. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.",
                true);
        // the v1 endpoint says the same
        TestHttp.Response v1 = http.postForm(
                v1(),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        CLIENT,
                        "client_secret",
                        sandbox.devClientSecret(),
                        "resource",
                        "https://analysis.windows.net/powerbi/api2"));
        assertEntraError(v1, 400, "invalid_resource", 500011, "The resource principal named", false);
    }

    // ------------------------------------------------------------------ rows 28-31: tenant and app

    @Test
    void row28_unknownTenant() {
        String tenant = UUID.randomUUID().toString();
        TestHttp.Response r = http.postForm(
                sandbox.tokenEndpoint(tenant),
                form("grant_type", "client_credentials", "client_id", CLIENT, "client_secret", "x", "scope", SCOPE));
        assertEntraError(
                r,
                400,
                "invalid_request",
                90002,
                "Tenant '" + tenant
                        + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.",
                false);
    }

    @Test
    void row29_unknownClientId() {
        String client = UUID.randomUUID().toString();
        TestHttp.Response r = http.postForm(
                v2(),
                form("grant_type", "client_credentials", "client_id", client, "client_secret", "x", "scope", SCOPE));
        assertEntraError(
                r,
                400,
                "unauthorized_client",
                700016,
                "Application with identifier '" + client
                        + "' was not found in the directory 'Camel Power BI Sandbox'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
                true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"common", "consumers", "organizations"})
    void row30_multiTenantSegments(String segment) {
        TestHttp.Response r = http.postForm(
                sandbox.tokenEndpoint(segment),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        CLIENT,
                        "client_secret",
                        sandbox.devClientSecret(),
                        "scope",
                        SCOPE));
        assertEntraError(
                r,
                400,
                "invalid_request",
                9001023,
                "The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.",
                true);
    }

    @Test
    void row31_appDisabled() {
        TestHttp.Response r = http.postForm(
                v2(),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        DISABLED_APP,
                        "client_secret",
                        "disabled-secret-value",
                        "scope",
                        SCOPE));
        assertEntraError(r, 400, "unauthorized_client", 7000112, "The application is disabled.", true);
        // enabling it at run time lets the same request through
        sandbox.state().app(TENANT, DISABLED_APP).setEnabled(true);
        try {
            assertEquals(
                    200,
                    http.postForm(
                                    v2(),
                                    form(
                                            "grant_type",
                                            "client_credentials",
                                            "client_id",
                                            DISABLED_APP,
                                            "client_secret",
                                            "disabled-secret-value",
                                            "scope",
                                            SCOPE))
                            .status());
        } finally {
            sandbox.state().app(TENANT, DISABLED_APP).setEnabled(false);
        }
    }

    // ------------------------------------------------------------------ row 32: jti replay

    @Test
    void row32_replayAcceptedByDefault() {
        String assertion = valid(v2()).sign();
        assertEquals(200, postAssertion(v2(), assertion).status());
        assertEquals(200, postAssertion(v2(), assertion).status());
    }

    @Test
    void row32_replayRejectedWithProtection() throws Exception {
        try (Sandbox strict =
                Sandbox.start(SandboxTestSupport.config().with(SandboxConfig::jtiReplayProtection, true))) {
            TestHttp strictHttp = new TestHttp(strict);
            String endpoint = strict.tokenEndpoint(TENANT);
            String assertion = TestAssertions.assertion(
                            devKey, devCert, CLIENT, endpoint, strict.clock().now())
                    .sign();
            Map<String, String> body = form(
                    "grant_type",
                    "client_credentials",
                    "client_id",
                    CLIENT,
                    "client_assertion_type",
                    AssertionValidator.ASSERTION_TYPE,
                    "client_assertion",
                    assertion,
                    "scope",
                    SCOPE);
            assertEquals(200, strictHttp.postForm(endpoint, body).status());
            assertEntraError(
                    strictHttp.postForm(endpoint, body),
                    401,
                    "invalid_client",
                    50027,
                    "JWT token is invalid or malformed. [Sandbox: the client assertion's jti was already used",
                    false);
            // a fresh jti passes again
            String fresh = TestAssertions.assertion(
                            devKey, devCert, CLIENT, endpoint, strict.clock().now())
                    .sign();
            body.put("client_assertion", fresh);
            assertEquals(200, strictHttp.postForm(endpoint, body).status());
        }
    }

    // ------------------------------------------------------------------ row 33: resilience faults

    @Test
    void row33_500WithoutRetryAfter() {
        sandbox.faults()
                .add(FaultRule.status("/oauth2/v2\\.0/token$", 500)
                        .onMethod("POST")
                        .times(1));
        long before = sandbox.tokenRequestCount();
        TestHttp.Response r = postAssertion(v2(), valid(v2()).sign());
        assertEquals(500, r.status());
        assertNull(r.header("Retry-After"));
        assertEquals(200, postAssertion(v2(), valid(v2()).sign()).status(), "maxCount 1: the next request passes");
        assertEquals(before + 2, sandbox.tokenRequestCount());
    }

    @Test
    void row33_503WithRetryAfter() {
        sandbox.faults()
                .add(FaultRule.status("/oauth2/v2\\.0/token$", 503)
                        .withRetryAfter(12)
                        .withBody(TestHttp.JSON.createObjectNode().put("error", "temporarily_unavailable"))
                        .times(1));
        TestHttp.Response r = postAssertion(v2(), valid(v2()).sign());
        assertEquals(503, r.status());
        assertEquals("12", r.header("Retry-After"));
        assertEquals("temporarily_unavailable", r.json().get("error").asText());
    }

    @Test
    void row33_429() {
        sandbox.faults()
                .add(FaultRule.status("/oauth2/v2\\.0/token$", 429)
                        .withRetryAfter(3)
                        .times(1));
        TestHttp.Response r = postAssertion(v2(), valid(v2()).sign());
        assertEquals(429, r.status());
        assertEquals("3", r.header("Retry-After"));
    }

    // ------------------------------------------------------------------ row 34: correlation id

    @Test
    void row34_clientRequestIdEchoed() {
        String id = UUID.randomUUID().toString();
        Map<String, String> headers = Map.of("client-request-id", id, "return-client-request-id", "true");
        TestHttp.Response ok = http.postForm(
                v2(),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        CLIENT,
                        "client_assertion_type",
                        AssertionValidator.ASSERTION_TYPE,
                        "client_assertion",
                        valid(v2()).sign(),
                        "scope",
                        SCOPE),
                headers);
        assertEquals(200, ok.status());
        assertEquals(id, ok.header("client-request-id"));
        TestHttp.Response error = http.postForm(
                v2(), form("grant_type", "client_credentials", "client_id", CLIENT, "scope", SCOPE), headers);
        assertEquals(id, error.header("client-request-id"));
        JsonNode json = assertEntraError(error, 401, "invalid_client", 7000218, "The request body", false);
        assertEquals(id, json.get("correlation_id").asText());
        assertTrue(json.get("error_description").asText().contains("Correlation ID: " + id + "\r\n"));
        // without return-client-request-id the header is not echoed
        TestHttp.Response silent =
                http.postForm(v2(), form("grant_type", "client_credentials"), Map.of("client-request-id", id));
        assertNull(silent.header("client-request-id"));
    }

    // ------------------------------------------------------------------ secrets and other request rules

    @Test
    void clientSecretInBody() throws Exception {
        TestHttp.Response r = http.postForm(
                v2(),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        CLIENT,
                        "client_secret",
                        sandbox.devClientSecret(),
                        "scope",
                        SCOPE));
        assertEquals(200, r.status(), r.body());
        assertEquals("1", claims(r.json().get("access_token").asText()).getStringClaim("appidacr"));
    }

    @Test
    void clientSecretByHttpBasic() {
        String basic = Base64.getEncoder()
                .encodeToString(
                        (CLIENT + ":" + java.net.URLEncoder.encode(sandbox.devClientSecret(), StandardCharsets.UTF_8))
                                .getBytes(StandardCharsets.UTF_8));
        TestHttp.Response r = http.postForm(
                v2(),
                form("grant_type", "client_credentials", "scope", SCOPE),
                Map.of("Authorization", "Basic " + basic));
        assertEquals(200, r.status(), r.body());
    }

    @Test
    void wrongSecret() {
        TestHttp.Response r = http.postForm(
                v2(),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        CLIENT,
                        "client_secret",
                        "not-the-secret",
                        "scope",
                        SCOPE));
        assertEntraError(
                r,
                401,
                "invalid_client",
                7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"
                        + CLIENT + "'.",
                true);
    }

    @Test
    void expiredSecret() {
        TestHttp.Response r = http.postForm(
                v2(),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        EXPIRED_APP,
                        "client_secret",
                        "expired-secret-value",
                        "scope",
                        SCOPE));
        assertEntraError(
                r,
                401,
                "invalid_client",
                7000222,
                "The provided client secret keys for app '" + EXPIRED_APP + "' are expired.",
                false);
    }

    @Test
    void unsupportedGrantType() {
        TestHttp.Response r = http.postForm(v2(), form("grant_type", "password", "client_id", CLIENT, "scope", SCOPE));
        assertEntraError(
                r,
                400,
                "unsupported_grant_type",
                70003,
                "The app requested an unsupported grant type 'password'.",
                true);
    }

    @Test
    void v1WithoutResource() {
        TestHttp.Response r = http.postForm(
                v1(),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        CLIENT,
                        "client_secret",
                        sandbox.devClientSecret()));
        assertEntraError(
                r,
                400,
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'resource'.",
                true);
    }

    @Test
    void domainNameAsTenant() {
        String endpoint = sandbox.tokenEndpoint(Sandbox.DEV_TENANT_DOMAIN);
        assertEquals(200, postAssertion(endpoint, valid(endpoint).sign()).status());
        // strict: the GUID in aud does not name the domain-form endpoint
        assertEntraError(
                postAssertion(endpoint, valid(v2()).sign()), 401, "invalid_client", 700023, AUD_MISMATCH, true);
    }

    @Test
    void sovereignResourcesAreKnown() throws Exception {
        TestHttp.Response r = http.postForm(
                v2(),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        CLIENT,
                        "client_secret",
                        sandbox.devClientSecret(),
                        "scope",
                        "https://high.analysis.usgovcloudapi.net/powerbi/api/.default"));
        assertEquals(200, r.status(), r.body());
        assertEquals(
                List.of("https://high.analysis.usgovcloudapi.net/powerbi/api"),
                claims(r.json().get("access_token").asText()).getAudience());
    }

    @Test
    void tokenRequestsAreCounted() {
        long before = sandbox.tokenRequestCount();
        http.postForm(v2(), form("grant_type", "client_credentials"));
        http.postForm(v1(), form("grant_type", "client_credentials"));
        http.get(sandbox.baseUrl() + "/" + TENANT + "/v2.0/.well-known/openid-configuration");
        assertEquals(before + 2, sandbox.tokenRequestCount());
    }

    @Test
    void refreshInWhenConfigured() throws Exception {
        try (Sandbox withRefresh =
                Sandbox.start(SandboxTestSupport.config().with(SandboxConfig::refreshInSeconds, 1800))) {
            TestHttp h = new TestHttp(withRefresh);
            TestHttp.Response r = h.postForm(
                    withRefresh.tokenEndpoint(TENANT),
                    form(
                            "grant_type",
                            "client_credentials",
                            "client_id",
                            CLIENT,
                            "client_secret",
                            withRefresh.devClientSecret(),
                            "scope",
                            SCOPE));
            assertEquals(200, r.status());
            assertEquals(1800, r.json().get("refresh_in").asInt());
        }
    }
}
