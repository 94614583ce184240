package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.microsoft.aad.msal4j.MsalEnvironment;
import com.nimbusds.jwt.SignedJWT;
import io.camelpowerbi.auth.AzureIdentityException;
import io.camelpowerbi.auth.CredentialException;
import io.camelpowerbi.auth.CredentialType;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import io.camelpowerbi.sandbox.testing.PowerBiSandbox;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

/**
 * Managed identity through azure-identity's own classes against the sandbox's managed identity endpoint (MSAL4J reads
 * IDENTITY_ENDPOINT, IDENTITY_HEADER and AZURE_POD_IDENTITY_AUTHORITY_HOST through {@link MsalEnvironment}), from YAML
 * routes: a {@code tokenCredential} bean and {@code credentialType=AZURE_IDENTITY}, through the component's token cache.
 * MSAL keeps managed identity tokens in a JVM-wide cache keyed by the identity's client id, so each test uses a
 * user-assigned identity of its own (a sandbox started by another test class would have signed a cached token with
 * other keys).
 */
class ManagedIdentityRouteTest {

    static final String SCOPE = "https://analysis.windows.net/powerbi/api/.default";

    @RegisterExtension
    static PowerBiSandbox powerBi = PowerBiSandbox.create();

    static Sandbox sandbox;
    CamelContext context;

    @BeforeAll
    static void start() {
        sandbox = powerBi.sandbox();
    }

    @AfterEach
    void after() throws Exception {
        MsalEnvironment.clear();
        if (context != null) {
            context.close();
        }
    }

    /** A user-assigned identity of the emulated host, member of Sales Analytics only. */
    static String identity() throws Exception {
        String clientId = UUID.randomUUID().toString();
        sandbox.registerApp(
                Sandbox.DEV_TENANT_ID, SandboxConfig.AppConfig.of(clientId, "etl-" + clientId.substring(0, 8)));
        sandbox.assignManagedIdentity(clientId);
        sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS).addMember(clientId);
        return clientId;
    }

    static void appServiceEnvironment() {
        MsalEnvironment.set(
                Map.of("IDENTITY_ENDPOINT", sandbox.identityEndpoint(), "IDENTITY_HEADER", sandbox.identityHeader()));
    }

    CamelContext routes(PowerBiConfiguration configuration, Map<String, Object> beans) throws Exception {
        return routes(configuration, beans, "{}");
    }

    CamelContext routes(PowerBiConfiguration configuration, Map<String, Object> beans, String parameters)
            throws Exception {
        context = new DefaultCamelContext();
        beans.forEach(context.getRegistry()::bind);
        PowerBiComponent component = new PowerBiComponent();
        component.setConfiguration(new LocalSandbox(sandbox).configure(configuration));
        context.addComponent("powerbi", component);
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.fromString("routes.camel.yaml", """
                - route:
                    id: workspaces
                    from:
                      uri: direct:workspaces
                      steps:
                        - to:
                            uri: powerbi:listWorkspaces
                            parameters: %s
                """.formatted(parameters)));
        context.start();
        return context;
    }

    @SuppressWarnings("unchecked")
    List<String> workspaces() {
        Exchange e = context.createProducerTemplate().request("direct:workspaces", x -> {});
        if (e.getException() != null) {
            throw new AssertionError("the exchange failed", e.getException());
        }
        assertTrue(
                e.getMessage().getHeaders().values().stream()
                        .noneMatch(v -> String.valueOf(v).startsWith("eyJ")),
                "no token in a header: " + e.getMessage().getHeaders());
        return ((List<Map<String, Object>>) e.getMessage().getBody())
                .stream().map(w -> (String) w.get("name")).toList();
    }

    @Test
    void managedIdentityCredentialGetsAPowerBiTokenFromTheSandboxAndGetGroupsTakesIt() throws Exception {
        String clientId = identity();
        appServiceEnvironment();
        AccessToken token = new ManagedIdentityCredentialBuilder()
                .clientId(clientId)
                .build()
                .getTokenSync(new TokenRequestContext().addScopes(SCOPE));
        assertEquals(
                clientId,
                SignedJWT.parse(token.getToken()).getJWTClaimsSet().getStringClaim("appid"),
                "the token is the identity's, from the sandbox's App Service endpoint");

        AtomicInteger fetches = new AtomicInteger();
        TokenCredential credential =
                new ManagedIdentityCredentialBuilder().clientId(clientId).build();
        TokenCredential counted = request -> {
            fetches.incrementAndGet();
            return credential.getToken(request);
        };
        // the bean named in the endpoint, as a YAML route names it
        PowerBiConfiguration configuration = new PowerBiConfiguration();
        configuration.setCredentialType(CredentialType.AZURE_IDENTITY);
        routes(configuration, Map.of("identity", counted), "{ tokenCredential: \"#identity\" }");
        assertEquals(List.of("Sales Analytics"), workspaces(), "GET groups as the identity: its one workspace");
        assertEquals(List.of("Sales Analytics"), workspaces());
        assertEquals(List.of("Sales Analytics"), workspaces());
        assertEquals(
                1, fetches.get(), "one token for three calls: the component's cache holds it until its refresh time");
    }

    @Test
    void credentialTypeAzureIdentityBuildsADefaultAzureCredentialForAUserAssignedIdentity() throws Exception {
        String clientId = identity();
        appServiceEnvironment();
        PowerBiConfiguration configuration = new PowerBiConfiguration();
        configuration.setCredentialType(CredentialType.AZURE_IDENTITY);
        configuration.setClientId(clientId);
        routes(configuration, Map.of());
        assertEquals(List.of("Sales Analytics"), workspaces());
    }

    @Test
    void theImdsFormWorksThroughManagedIdentityCredential() throws Exception {
        String clientId = identity();
        MsalEnvironment.set(Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", sandbox.imdsEndpoint()));
        PowerBiConfiguration configuration = new PowerBiConfiguration();
        configuration.setTokenCredential(
                new ManagedIdentityCredentialBuilder().clientId(clientId).build());
        routes(configuration, Map.of());
        assertEquals(List.of("Sales Analytics"), workspaces());
    }

    @Test
    void anIdentityTheHostDoesNotHaveFailsWithAzureIdentitysReasonAndTheFix() throws Exception {
        String unassigned = UUID.randomUUID().toString();
        appServiceEnvironment();
        PowerBiConfiguration configuration = new PowerBiConfiguration();
        configuration.setCredentialType(CredentialType.AZURE_IDENTITY);
        configuration.setClientId(unassigned);
        routes(configuration, Map.of());
        Exchange e = context.createProducerTemplate().request("direct:workspaces", x -> {});
        AzureIdentityException failure = assertInstanceOf(AzureIdentityException.class, e.getException());
        assertTrue(failure.getMessage().contains("Identity not found"), failure.getMessage());
        assertTrue(
                failure.getMessage().contains("Fix: the host has no managed identity with client id " + unassigned),
                failure.getMessage());
    }

    @Test
    void aClientCredentialBesideAzureIdentityFailsTheRouteAtStartNamingIt() {
        PowerBiConfiguration configuration = new PowerBiConfiguration();
        configuration.setTokenCredential((com.azure.core.credential.TokenCredential) request -> Mono.empty());
        LocalSandbox local = new LocalSandbox(sandbox);
        FailedToStartRouteException failed = assertThrows(FailedToStartRouteException.class, () -> {
            context = new DefaultCamelContext();
            PowerBiComponent component = new PowerBiComponent();
            component.setConfiguration(local.configure(configuration));
            configuration.setClientSecret("a-secret");
            context.addComponent("powerbi", component);
            PluginHelper.getRoutesLoader(context)
                    .loadRoutes(ResourceHelper.fromString(
                            "r.camel.yaml", "- from: { uri: direct:x, steps: [ { to: powerbi:listWorkspaces } ] }"));
            context.start();
        });
        CredentialException cause = assertInstanceOf(CredentialException.class, rootCause(failed));
        assertEquals("clientSecret", cause.option());
        assertTrue(
                cause.getMessage().contains("azure-identity gives the tokens (tokenCredential)"), cause.getMessage());
        assertTrue(!cause.getMessage().contains("a-secret"), cause.getMessage());
    }

    static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && !(t instanceof CredentialException)) {
            t = t.getCause();
        }
        return t;
    }
}
