package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.SandboxTestSupport.assertEntraError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** OpenID configuration, JWKS and instance discovery. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscoveryTest {

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

    @Test
    void v2OpenIdConfiguration() {
        for (String tenant : List.of(Sandbox.DEV_TENANT_ID, Sandbox.DEV_TENANT_DOMAIN)) {
            TestHttp.Response r = http.get(sandbox.baseUrl() + "/" + tenant + "/v2.0/.well-known/openid-configuration");
            assertEquals(200, r.status(), r.body());
            JsonNode doc = r.json();
            assertEquals(
                    sandbox.baseUrl() + "/" + Sandbox.DEV_TENANT_ID + "/v2.0",
                    doc.get("issuer").asText());
            assertEquals(
                    sandbox.tokenEndpoint(Sandbox.DEV_TENANT_ID),
                    doc.get("token_endpoint").asText());
            assertEquals(
                    sandbox.baseUrl() + "/" + Sandbox.DEV_TENANT_ID + "/discovery/v2.0/keys",
                    doc.get("jwks_uri").asText());
            assertTrue(
                    doc.get("token_endpoint_auth_methods_supported").toString().contains("private_key_jwt"));
        }
        // built from the Host the request came to
        TestHttp.Response viaLocalhost = http.get("https://localhost:" + sandbox.port() + "/" + Sandbox.DEV_TENANT_ID
                + "/v2.0/.well-known/openid-configuration");
        assertEquals(
                "https://localhost:" + sandbox.port() + "/" + Sandbox.DEV_TENANT_ID + "/oauth2/v2.0/token",
                viaLocalhost.json().get("token_endpoint").asText());
    }

    @Test
    void v1OpenIdConfigurationAndCommon() {
        JsonNode v1 = http.get(sandbox.baseUrl() + "/" + Sandbox.DEV_TENANT_ID + "/.well-known/openid-configuration")
                .json();
        assertEquals(
                "https://sts.windows.net/" + Sandbox.DEV_TENANT_ID + "/",
                v1.get("issuer").asText());
        assertEquals(
                sandbox.tokenEndpointV1(Sandbox.DEV_TENANT_ID),
                v1.get("token_endpoint").asText());
        JsonNode common = http.get(sandbox.baseUrl() + "/common/v2.0/.well-known/openid-configuration")
                .json();
        assertEquals(
                sandbox.baseUrl() + "/{tenantid}/v2.0", common.get("issuer").asText());
    }

    @Test
    void unknownTenantDiscovery() {
        TestHttp.Response r =
                http.get(sandbox.baseUrl() + "/nope.onmicrosoft.com/v2.0/.well-known/openid-configuration");
        assertEntraError(r, 400, "invalid_tenant", 90002, "Tenant 'nope.onmicrosoft.com' not found.", false);
    }

    @Test
    void jwksVerifiesIssuedTokens() throws Exception {
        String token = SandboxTestSupport.devToken(sandbox, http);
        String jwksUri = http.get(
                        sandbox.baseUrl() + "/" + Sandbox.DEV_TENANT_ID + "/v2.0/.well-known/openid-configuration")
                .json()
                .get("jwks_uri")
                .asText();
        JWKSet keys = JWKSet.parse(http.get(jwksUri).body());
        SignedJWT jwt = SignedJWT.parse(token);
        RSAKey key = (RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertTrue(jwt.verify(new RSASSAVerifier(key)));
        assertEquals(Thumbprints.of(sandbox.tokenSigningCertificate()).sha1Base64Url(), key.getKeyID());
        assertEquals(200, http.get(sandbox.baseUrl() + "/common/discovery/keys").status());
    }

    @Test
    void instanceDiscovery() {
        String authorize = sandbox.authority(Sandbox.DEV_TENANT_ID) + "oauth2/v2.0/authorize";
        TestHttp.Response r =
                http.get(sandbox.baseUrl() + "/common/discovery/instance?api-version=1.1&authorization_endpoint="
                        + URLEncoder.encode(authorize, StandardCharsets.UTF_8));
        assertEquals(200, r.status(), r.body());
        JsonNode doc = r.json();
        assertEquals(
                sandbox.baseUrl() + "/" + Sandbox.DEV_TENANT_ID + "/v2.0/.well-known/openid-configuration",
                doc.get("tenant_discovery_endpoint").asText());
        JsonNode entry = doc.get("metadata").get(0);
        assertEquals("127.0.0.1", entry.get("preferred_network").asText());
        assertEquals("127.0.0.1", entry.get("preferred_cache").asText());
        List<String> aliases = new ArrayList<>();
        entry.get("aliases").forEach(a -> aliases.add(a.asText()));
        int port = sandbox.port();
        assertTrue(
                aliases.containsAll(List.of("127.0.0.1", "127.0.0.1:" + port, "localhost", "localhost:" + port)),
                aliases.toString());
    }

    @Test
    void instanceDiscoveryRefusesUnknownHosts() {
        String authorize = "https://login.example.org/" + Sandbox.DEV_TENANT_ID + "/oauth2/v2.0/authorize";
        TestHttp.Response r =
                http.get(sandbox.baseUrl() + "/common/discovery/instance?api-version=1.1&authorization_endpoint="
                        + URLEncoder.encode(authorize, StandardCharsets.UTF_8));
        assertEntraError(r, 400, "invalid_instance", 50049, "Unknown or invalid instance.", true);
    }

    @Test
    void indexAndUnknownPaths() {
        TestHttp.Response index = http.get(sandbox.baseUrl() + "/");
        assertEquals(200, index.status());
        assertEquals(Sandbox.DEV_CLIENT_ID, index.json().get("devClientId").asText());
        assertTrue(!index.body().contains(sandbox.devClientSecret()));
        assertEquals(404, http.get(sandbox.baseUrl() + "/nothing/here").status());
        assertEquals(405, http.get(sandbox.tokenEndpoint(Sandbox.DEV_TENANT_ID)).status());
    }
}
