package io.camelpowerbi.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import io.camelpowerbi.sandbox.testing.PowerBiSandbox;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sandbox's managed identity endpoint, raw: the App Service form (IDENTITY_ENDPOINT + X-IDENTITY-HEADER) and the
 * IMDS form (Metadata: true), their answers as Microsoft Learn shows them, their documented refusals, and tokens the
 * Power BI API takes as the identity's.
 */
class ManagedIdentityEndpointTest {

    static final String RESOURCE = "https://analysis.windows.net/powerbi/api";

    @RegisterExtension
    static PowerBiSandbox powerBi = PowerBiSandbox.create();

    static Sandbox sandbox;
    static TestHttp http;

    @BeforeAll
    static void start() {
        sandbox = powerBi.sandbox();
        http = new TestHttp(sandbox);
    }

    static String query(String base, String... keyValues) {
        return base + "?" + TestHttp.encode(TestHttp.form(keyValues));
    }

    @Test
    void appServiceFormIssuesTheHostIdentitysTokenThatPowerBiAccepts() throws Exception {
        assertTrue(sandbox.identityEndpoint().startsWith("http://127.0.0.1:"), sandbox.identityEndpoint());
        TestHttp.Response r = http.get(
                query(sandbox.identityEndpoint(), "api-version", "2019-08-01", "resource", RESOURCE),
                Map.of("X-IDENTITY-HEADER", sandbox.identityHeader()));
        assertEquals(200, r.status(), r.body());
        JsonNode body = r.json();
        assertEquals(RESOURCE, body.path("resource").asText());
        assertEquals("Bearer", body.path("token_type").asText());
        assertEquals(
                Sandbox.DEV_MANAGED_IDENTITY_CLIENT_ID, body.path("client_id").asText());
        assertTrue(body.path("expires_on").isTextual(), "expires_on is epoch seconds as a string: " + body);
        SignedJWT jwt = SignedJWT.parse(body.path("access_token").asText());
        assertEquals(
                Sandbox.DEV_MANAGED_IDENTITY_CLIENT_ID, jwt.getJWTClaimsSet().getStringClaim("appid"));
        assertEquals(
                Sandbox.DEV_MANAGED_IDENTITY_OBJECT_ID, jwt.getJWTClaimsSet().getStringClaim("oid"));
        assertEquals(
                Long.parseLong(body.path("expires_on").asText()),
                jwt.getJWTClaimsSet().getExpirationTime().getTime() / 1000);

        TestHttp.Response groups = http.getWithBearer(
                sandbox.apiBaseUrl() + "/v1.0/myorg/groups",
                body.path("access_token").asText());
        assertEquals(200, groups.status(), groups.body());
        assertEquals(
                2,
                groups.json().path("value").size(),
                "the identity is a member of Sales Analytics and Finance: " + groups);
    }

    @Test
    void appServiceFormRefusesAMissingOrWrongIdentityHeader() {
        String url = query(sandbox.identityEndpoint(), "api-version", "2019-08-01", "resource", RESOURCE);
        for (Map<String, String> headers :
                java.util.List.of(Map.<String, String>of(), Map.of("X-IDENTITY-HEADER", "guessed"))) {
            TestHttp.Response r = http.get(url, headers);
            assertEquals(400, r.status(), r.body());
            assertEquals("invalid_request", r.json().path("error").asText());
        }
    }

    @Test
    void imdsFormWantsTheMetadataHeaderAndAnswersAllInStrings() {
        String url = query(
                sandbox.imdsEndpoint() + "/metadata/identity/oauth2/token",
                "api-version",
                "2018-02-01",
                "resource",
                RESOURCE);
        TestHttp.Response refused = http.get(url);
        assertEquals(400, refused.status());
        assertEquals("bad_request_102", refused.json().path("error").asText());
        assertEquals(
                "Required metadata header not specified",
                refused.json().path("error_description").asText());

        TestHttp.Response r = http.get(url, Map.of("Metadata", "true"));
        assertEquals(200, r.status(), r.body());
        JsonNode body = r.json();
        for (String field : java.util.List.of(
                "access_token",
                "client_id",
                "expires_in",
                "expires_on",
                "ext_expires_in",
                "not_before",
                "resource",
                "token_type")) {
            assertTrue(body.path(field).isTextual(), field + " is a string: " + body);
        }
        assertEquals(
                Sandbox.DEV_MANAGED_IDENTITY_CLIENT_ID, body.path("client_id").asText());
    }

    @Test
    void imdsFormServesTheDoubleSlashPathOfOlderMsal() throws Exception {
        // MSAL4J 1.23.1 (azure-identity 1.18.4's own pick) asks for //metadata/identity/oauth2/token
        int port = java.net.URI.create(sandbox.imdsEndpoint()).getPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream()
                    .write(("GET //metadata/identity/oauth2/token?api-version=2018-02-01&resource="
                                    + java.net.URLEncoder.encode(RESOURCE, StandardCharsets.UTF_8)
                                    + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                    + "\r\nMetadata: true\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.contains("\"access_token\""), answer);
        }
    }

    @Test
    void unknownResourceAndUnassignedIdentityAreRefusedAsLearnDocumentsThem() throws Exception {
        String token = sandbox.imdsEndpoint() + "/metadata/identity/oauth2/token";
        TestHttp.Response resource = http.get(
                query(token, "api-version", "2018-02-01", "resource", "https://vault.azure.net"),
                Map.of("Metadata", "true"));
        assertEquals(400, resource.status());
        assertEquals("invalid_resource", resource.json().path("error").asText());
        assertTrue(resource.json().path("error_description").asText().startsWith("AADSTS50001"), resource.body());

        // an app of the tenant is no identity of the host until assigned to it
        String clientId = java.util.UUID.randomUUID().toString();
        sandbox.registerApp(Sandbox.DEV_TENANT_ID, SandboxConfig.AppConfig.of(clientId, "etl-identity"));
        String url = query(token, "api-version", "2018-02-01", "resource", RESOURCE, "client_id", clientId);
        TestHttp.Response unassigned = http.get(url, Map.of("Metadata", "true"));
        assertEquals(400, unassigned.status());
        assertEquals(
                "Identity not found",
                unassigned.json().path("error_description").asText());

        sandbox.assignManagedIdentity(clientId);
        TestHttp.Response assigned = http.get(url, Map.of("Metadata", "true"));
        assertEquals(200, assigned.status(), assigned.body());
        assertEquals(clientId, assigned.json().path("client_id").asText());
        TestHttp.Response byName = http.get(
                query(
                        token,
                        "api-version",
                        "2018-02-01",
                        "resource",
                        RESOURCE,
                        "msi_res_id",
                        "/subscriptions/0/resourcegroups/etl/providers/Microsoft.ManagedIdentity/userAssignedIdentities/etl-identity"),
                Map.of("Metadata", "true"));
        assertEquals(clientId, byName.json().path("client_id").asText(), byName.body());
    }

    @Test
    void theConnectionFileNamesTheIdentityEndpoint() throws Exception {
        Path file = sandbox.writeConnectionFile();
        JsonNode json = TestHttp.JSON.readTree(file.toFile());
        assertEquals(sandbox.identityEndpoint(), json.path("identityEndpoint").asText());
        assertEquals(sandbox.identityHeader(), json.path("identityHeader").asText());
        assertEquals(sandbox.imdsEndpoint(), json.path("imdsEndpoint").asText());
    }
}
