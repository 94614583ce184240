package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.SandboxTestSupport.GROUPS;
import static io.camelpowerbi.sandbox.TestHttp.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code GET /v1.0/myorg/groups} and the bearer validation every Power BI endpoint shares. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupsApiTest {

    static final String OTHER_TENANT = "6c1d9e8f-7a2b-4c3d-8e4f-5a6b7c8d9e0f";
    static final String OTHER_APP = "8e9f0a1b-2c3d-4e5f-9a6b-7c8d9e0f1a2b";
    static final String OTHER_WORKSPACE = "4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f70";

    Sandbox sandbox;
    TestHttp http;
    String token;

    @BeforeAll
    void start() throws Exception {
        SandboxConfig.TenantConfig other = SandboxConfig.TenantConfig.of(OTHER_TENANT, "contoso.onmicrosoft.com")
                .withApp(SandboxConfig.AppConfig.of(OTHER_APP, "contoso etl")
                        .withSecret(SandboxConfig.SecretConfig.of("contoso-secret")))
                .withWorkspace(SandboxConfig.WorkspaceConfig.of(OTHER_WORKSPACE, "Contoso Ops", OTHER_APP))
                // a workspace of another tenant with a name also used in the dev tenant
                .withWorkspace(
                        SandboxConfig.WorkspaceConfig.of("5e6f7a8b-9c0d-4e1f-9a2b-3c4d5e6f7a81", "Finance", OTHER_APP));
        sandbox = Sandbox.start(SandboxTestSupport.config().withTenant(other));
        http = new TestHttp(sandbox);
        token = SandboxTestSupport.devToken(sandbox, http);
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @AfterEach
    void restore() {
        sandbox.clock().reset();
        sandbox.state().requireTenant(Sandbox.DEV_TENANT_ID).setServicePrincipalsCanUseApis(true);
    }

    TestHttp.Response groups(String query) {
        return http.getWithBearer(sandbox.apiBaseUrl() + GROUPS + query, token);
    }

    static List<String> names(TestHttp.Response r) {
        return StreamSupport.stream(r.json().get("value").spliterator(), false)
                .map(n -> n.get("name").asText())
                .toList();
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void listsOnlyWorkspacesTheAppIsMemberOf() {
        TestHttp.Response r = groups("");
        assertEquals(200, r.status(), r.body());
        JsonNode json = r.json();
        assertEquals(
                sandbox.baseUrl() + "/v1.0/myorg/$metadata#groups",
                json.get("@odata.context").asText());
        assertEquals(List.of("Sales Analytics", "Finance"), names(r));
        JsonNode sales = json.get("value").get(0);
        assertEquals(Sandbox.WORKSPACE_SALES_ANALYTICS, sales.get("id").asText());
        assertFalse(sales.get("isReadOnly").asBoolean());
        assertTrue(sales.get("isOnDedicatedCapacity").asBoolean());
        assertEquals(Sandbox.DEV_CAPACITY_ID, sales.get("capacityId").asText());
        assertFalse(json.get("value").get(1).get("isOnDedicatedCapacity").asBoolean());
        assertTrue(r.header("RequestId").matches("[0-9a-f-]{36}"));
        assertEquals(SandboxConfig.DEFAULT_HOME_CLUSTER_URI, r.header("home-cluster-uri"));
    }

    @Test
    void topAndSkip() {
        assertEquals(List.of("Sales Analytics"), names(groups("?$top=1")));
        assertEquals(List.of("Finance"), names(groups("?$skip=1")));
        assertEquals(List.of("Finance"), names(groups("?$top=1&$skip=1")));
        assertEquals(List.of(), names(groups("?$skip=5")));
        assertEquals(List.of(), names(groups("?$top=0")));
    }

    @Test
    void filters() {
        assertEquals(List.of("Finance"), names(groups("?$filter=" + q("name eq 'Finance'"))));
        assertEquals(List.of("Sales Analytics"), names(groups("?$filter=" + q("contains(name,'Sales')"))));
        assertEquals(List.of("Finance"), names(groups("?$filter=" + q("id eq '" + Sandbox.WORKSPACE_FINANCE + "'"))));
        assertEquals(List.of("Sales Analytics"), names(groups("?$filter=" + q("isOnDedicatedCapacity eq true"))));
        // the request of the docs' example
        assertEquals(List.of("Finance"), names(groups("?$filter=" + q("name eq 'Finance'") + "&$top=1&$skip=0")));
        // a member-only listing: Executive Board exists but is not visible
        assertEquals(List.of(), names(groups("?$filter=" + q("name eq 'Executive Board'"))));
    }

    @Test
    void invalidQueryParameters() {
        TestHttp.Response badFilter = groups("?$filter=" + q("name eq"));
        assertEquals(400, badFilter.status());
        assertEquals("InvalidRequest", badFilter.json().at("/error/code").asText());
        assertEquals(400, groups("?$filter=" + q("color eq 'red'")).status());
        assertEquals(400, groups("?$top=-1").status());
        assertEquals(400, groups("?$top=abc").status());
    }

    @Test
    void otherTenantSeesItsOwnWorkspacesOnly() {
        TestHttp.Response t = http.postForm(
                sandbox.tokenEndpoint("contoso.onmicrosoft.com"),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        OTHER_APP,
                        "client_secret",
                        "contoso-secret",
                        "scope",
                        SandboxTestSupport.SCOPE));
        assertEquals(200, t.status(), t.body());
        TestHttp.Response r = http.getWithBearer(
                sandbox.apiBaseUrl() + GROUPS, t.json().get("access_token").asText());
        assertEquals(List.of("Contoso Ops", "Finance"), names(r));
        assertEquals(
                "5e6f7a8b-9c0d-4e1f-9a2b-3c4d5e6f7a81",
                r.json().get("value").get(1).get("id").asText());
    }

    @Test
    void expiredTokenGives403TokenExpired() {
        assertEquals(200, groups("").status());
        sandbox.clock().advance(Duration.ofSeconds(sandbox.config().tokenLifetimeSeconds() + 1));
        TestHttp.Response r = groups("");
        assertEquals(403, r.status());
        assertEquals(
                "{\"error\":{\"code\":\"TokenExpired\",\"message\":\"Access token has expired, resubmit with a new access token\"}}",
                r.body());
        assertTrue(r.header("RequestId").matches("[0-9a-f-]{36}"));
    }

    @Test
    void tenantSwitchOffGives401NotAccessible() {
        sandbox.state().requireTenant(Sandbox.DEV_TENANT_ID).setServicePrincipalsCanUseApis(false);
        TestHttp.Response r = groups("");
        assertEquals(401, r.status());
        assertEquals("{\"Message\":\"API is not accessible for application\"}", r.body());
        assertEquals("ServicePrincipalIsNotAllowedByTenantAdminSwitch", r.header("x-powerbi-error-info"));
        sandbox.state().requireTenant(Sandbox.DEV_TENANT_ID).setServicePrincipalsCanUseApis(true);
        assertEquals(200, groups("").status());
    }

    @Test
    void wrongAudienceGives401() {
        TestHttp.Response t = http.postForm(
                sandbox.tokenEndpoint(Sandbox.DEV_TENANT_ID),
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        Sandbox.DEV_CLIENT_ID,
                        "client_secret",
                        sandbox.devClientSecret(),
                        "scope",
                        "https://analysis.usgovcloudapi.net/powerbi/api/.default"));
        assertEquals(200, t.status());
        TestHttp.Response r = http.getWithBearer(
                sandbox.apiBaseUrl() + GROUPS, t.json().get("access_token").asText());
        assertNotAuthorized(r);
    }

    @Test
    void missingOrGarbledTokenGives401() {
        assertNotAuthorized(http.get(sandbox.apiBaseUrl() + GROUPS));
        assertNotAuthorized(http.getWithBearer(sandbox.apiBaseUrl() + GROUPS, "not-a-jwt"));
        assertNotAuthorized(http.get(sandbox.apiBaseUrl() + GROUPS, Map.of("Authorization", "Basic abc")));
    }

    @Test
    void forgedSignatureGives401() throws Exception {
        SignedJWT real = SignedJWT.parse(token);
        SignedJWT forged = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(real.getHeader().getKeyID())
                        .build(),
                real.getJWTClaimsSet());
        forged.sign(
                new RSASSASigner(SelfSignedCertificates.generateRsaKeyPair(2048).getPrivate()));
        assertNotAuthorized(http.getWithBearer(sandbox.apiBaseUrl() + GROUPS, forged.serialize()));
    }

    @Test
    void unknownIssuerTenantGives401() throws Exception {
        // correctly signed by the sandbox's key, but for a tenant it does not know: only the sandbox can sign, so
        // build it through the issuer with a made-up tenant
        JWTClaimsSet claims = new JWTClaimsSet.Builder(SignedJWT.parse(token).getJWTClaimsSet())
                .issuer("https://sts.windows.net/00000000-0000-0000-0000-000000000000/")
                .claim("tid", "00000000-0000-0000-0000-000000000000")
                .expirationTime(new Date(System.currentTimeMillis() + 600_000))
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(SignedJWT.parse(token).getHeader().getKeyID())
                        .build(),
                claims);
        jwt.sign(new RSASSASigner(java.security.KeyFactory.getInstance("RSA")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(
                        Pem.readPrivateKey(sandbox.stateDir().resolve(SandboxKeyMaterial.SIGNING_KEY))
                                .getEncoded()))));
        assertNotAuthorized(http.getWithBearer(sandbox.apiBaseUrl() + GROUPS, jwt.serialize()));
    }

    @Test
    void unknownPowerBiPathAuthenticatesThen404() {
        TestHttp.Response anonymous = http.get(sandbox.apiBaseUrl() + "/v1.0/myorg/nothing-here");
        assertEquals(401, anonymous.status());
        TestHttp.Response r = http.getWithBearer(sandbox.apiBaseUrl() + "/v1.0/myorg/nothing-here", token);
        assertEquals(404, r.status());
        assertTrue(r.header("RequestId").matches("[0-9a-f-]{36}"));
    }

    @Test
    void workspaceAccessHelper() {
        Tenant dev = sandbox.state().requireTenant(Sandbox.DEV_TENANT_ID);
        Caller caller = new Caller(dev, Sandbox.DEV_CLIENT_ID, Sandbox.DEV_APP_OBJECT_ID, List.of(), null, null);
        assertEquals(
                "Finance",
                WorkspaceAccess.requireMember(caller, Sandbox.WORKSPACE_FINANCE).name());
        PowerBiException notMember = assertThrows(
                PowerBiException.class, () -> WorkspaceAccess.requireMember(caller, Sandbox.WORKSPACE_EXECUTIVE_BOARD));
        assertEquals(401, notMember.status());
        assertEquals(
                "PowerBINotAuthorizedException",
                notMember.error().body().at("/error/code").asText());
        PowerBiException unknown = assertThrows(
                PowerBiException.class,
                () -> WorkspaceAccess.requireMember(caller, "00000000-0000-0000-0000-000000000001"));
        assertEquals(404, unknown.status());
        assertEquals(
                "PowerBIEntityNotFound",
                unknown.error().body().at("/error/code").asText());
        // a workspace of another tenant is unknown to this caller
        assertEquals(
                404,
                assertThrows(PowerBiException.class, () -> WorkspaceAccess.requireMember(caller, OTHER_WORKSPACE))
                        .status());
    }

    @Test
    void membershipChangesAtRunTime() {
        Workspace board = sandbox.state()
                .requireTenant(Sandbox.DEV_TENANT_ID)
                .workspace(Sandbox.WORKSPACE_EXECUTIVE_BOARD)
                .orElseThrow();
        board.addMember(Sandbox.DEV_CLIENT_ID);
        try {
            assertEquals(List.of("Sales Analytics", "Finance", "Executive Board"), names(groups("")));
        } finally {
            board.removeMember(Sandbox.DEV_CLIENT_ID);
        }
        assertEquals(2, names(groups("")).size());
    }

    static void assertNotAuthorized(TestHttp.Response r) {
        assertEquals(401, r.status(), r.body());
        assertEquals(
                "{\"error\":{\"code\":\"PowerBINotAuthorizedException\",\"pbi.error\":{\"code\":\"PowerBINotAuthorizedException\",\"parameters\":{},\"details\":[],\"exceptionCulprit\":1}}}",
                r.body());
        assertNull(r.header("x-powerbi-error-info"));
        assertTrue(r.header("RequestId").matches("[0-9a-f-]{36}"));
    }
}
