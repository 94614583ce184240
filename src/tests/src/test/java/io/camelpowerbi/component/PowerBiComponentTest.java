package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component in real routes against the sandbox. */
class PowerBiComponentTest {

    @TempDir
    static Path state;

    static Sandbox sandbox;
    static LocalSandbox local;
    CamelContext context;

    @BeforeAll
    static void startSandbox() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, state));
        local = new LocalSandbox(sandbox);
    }

    @AfterAll
    static void stopSandbox() throws Exception {
        sandbox.close();
    }

    @AfterEach
    void stopContext() throws Exception {
        if (context != null) {
            context.close();
        }
        sandbox.clock().reset();
    }

    CamelContext context(PowerBiConfiguration configuration) {
        context = new DefaultCamelContext();
        PowerBiComponent component = new PowerBiComponent();
        component.setConfiguration(configuration);
        context.addComponent("powerbi", component);
        return context;
    }

    @Test
    @SuppressWarnings("unchecked")
    void listWorkspacesFromAYamlRoute() throws Exception {
        CamelContext ctx = context(local.configure(new PowerBiConfiguration()));
        PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.fromString("workspaces.camel.yaml", """
                - route:
                    id: workspaces
                    from:
                      uri: direct:workspaces
                      steps:
                        - to:
                            uri: powerbi:listWorkspaces
                """));
        ctx.start();
        Exchange out = ctx.createProducerTemplate().request("direct:workspaces", e -> {});
        assertNotNullNoException(out);
        List<Map<String, Object>> workspaces = out.getMessage().getBody(List.class);
        List<Object> names = workspaces.stream().map(w -> w.get("name")).toList();
        assertTrue(names.contains("Sales Analytics") && names.contains("Finance"), names.toString());
        assertEquals(workspaces.size(), out.getMessage().getHeader(PowerBiConstants.RESULT_COUNT));
        assertNotNull(out.getMessage().getHeader(PowerBiConstants.DURATION));
    }

    @Test
    @SuppressWarnings("unchecked")
    void filterAndTheGenericCall() throws Exception {
        CamelContext ctx = context(local.configure(new PowerBiConfiguration()));
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:finance").to("powerbi:listWorkspaces?filter=name eq 'Finance'");
                from("direct:call").to("powerbi:call");
            }
        });
        ctx.start();
        ProducerTemplate template = ctx.createProducerTemplate();
        List<Map<String, Object>> finance = template.requestBody("direct:finance", null, List.class);
        assertEquals(
                List.of("Finance"), finance.stream().map(w -> w.get("name")).toList());

        Exchange out = template.request("direct:call", e -> {
            e.getIn().setHeader(PowerBiConstants.PATH, "/groups");
            e.getIn().setHeader(PowerBiConstants.HTTP_METHOD, "GET");
        });
        assertNotNullNoException(out);
        Map<String, Object> body = out.getMessage().getBody(Map.class);
        assertTrue(((List<?>) body.get("value")).size() >= 2);
        assertEquals(200, out.getMessage().getHeader(PowerBiConstants.HTTP_STATUS));
    }

    @Test
    void expiredTokenAtPowerBiIsRefreshedAndReplayedOnce() throws Exception {
        PowerBiConfiguration config = local.configure(new PowerBiConfiguration());
        // A secret, so advancing the sandbox clock does not also age the client assertion.
        config.setCertificateFile(null);
        config.setPrivateKeyFile(null);
        config.setClientSecret(sandbox.devClientSecret());
        CamelContext ctx = context(config);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:list").to("powerbi:listWorkspaces");
            }
        });
        ctx.start();
        ProducerTemplate template = ctx.createProducerTemplate();
        template.requestBody("direct:list", null, List.class);
        long before = sandbox.tokenRequestCount();
        sandbox.clock().advance(Duration.ofHours(2)); // the sandbox now finds our cached token expired
        List<?> again = template.requestBody("direct:list", null, List.class);
        assertTrue(again.size() >= 2);
        assertEquals(1, sandbox.tokenRequestCount() - before, "one new token after TokenExpired");
    }

    @Test
    void aBadCredentialFailsTheRouteAtStartNamingTheOption() throws Exception {
        assertStartFailsWith(
                "keystoreFile=" + state.resolve("missing.pfx") + "&keystorePassword=x", "keystoreFile: file not found");
        assertStartFailsWith("clientSecret=abc&keystoreFile=x.pfx", "several credentials are set");
        assertStartFailsWith(
                "certificateFile=" + sandbox.devCertificateFile() + "&privateKeyFile=" + sandbox.tlsCertificateFile(),
                "privateKeyFile");
    }

    @Test
    void everyBrokenCertificateFailsAtStartNamingTheOption(@TempDir Path dir) throws Exception {
        io.camelpowerbi.sandbox.SelfSignedCertificates.CertificateAndKey good =
                io.camelpowerbi.sandbox.SelfSignedCertificates.generate("CN=start", 5, 2048, List.of());
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("app", good.privateKey(), "right".toCharArray(), new java.security.cert.Certificate[] {
            good.certificate()
        });
        Path pfx = dir.resolve("app.pfx");
        try (var out = java.nio.file.Files.newOutputStream(pfx)) {
            store.store(out, "right".toCharArray());
        }
        assertStartFailsWith("keystoreFile=" + pfx + "&keystorePassword=wrong", "keystorePassword: is wrong");

        io.camelpowerbi.sandbox.SelfSignedCertificates.CertificateAndKey other =
                io.camelpowerbi.sandbox.SelfSignedCertificates.generate("CN=other", 5, 2048, List.of());
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        io.camelpowerbi.sandbox.SelfSignedCertificates.writeCertificatePem(cert, good.certificate());
        io.camelpowerbi.sandbox.SelfSignedCertificates.writePrivateKeyPem(key, other.privateKey());
        assertStartFailsWith(
                "certificateFile=" + cert + "&privateKeyFile=" + key,
                "privateKeyFile: the private key does not belong");

        java.security.KeyPair pair = io.camelpowerbi.sandbox.SelfSignedCertificates.generateRsaKeyPair(2048);
        java.time.Instant past = java.time.Instant.now().minus(Duration.ofDays(10));
        io.camelpowerbi.sandbox.SelfSignedCertificates.writeCertificatePem(
                cert,
                io.camelpowerbi.sandbox.SelfSignedCertificates.createCertificate(
                        pair, "CN=old", past, past.plus(Duration.ofDays(1)), List.of()));
        io.camelpowerbi.sandbox.SelfSignedCertificates.writePrivateKeyPem(key, pair.getPrivate());
        assertStartFailsWith(
                "certificateFile=" + cert + "&privateKeyFile=" + key,
                "certificateFile: the certificate CN=old expired");

        java.security.KeyPairGenerator weak = java.security.KeyPairGenerator.getInstance("RSA");
        weak.initialize(1024);
        java.security.KeyPair small = weak.generateKeyPair();
        io.camelpowerbi.sandbox.SelfSignedCertificates.writeCertificatePem(
                cert,
                io.camelpowerbi.sandbox.SelfSignedCertificates.createCertificate(
                        small,
                        "CN=weak",
                        java.time.Instant.now().minusSeconds(60),
                        java.time.Instant.now().plusSeconds(86400),
                        List.of()));
        io.camelpowerbi.sandbox.SelfSignedCertificates.writePrivateKeyPem(key, small.getPrivate());
        assertStartFailsWith(
                "certificateFile=" + cert + "&privateKeyFile=" + key, "privateKeyFile: the RSA key has 1024 bits");

        assertStartFailsWith(
                "certificateFile=" + dir.resolve("absent.pem") + "&privateKeyFile=" + key,
                "certificateFile: file not found");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSecretResolvedFromTheEnvironment() throws Exception {
        sandbox.state().app(sandbox.devTenantId(), sandbox.devClientId()).addSecret("env-secret-for-tests-only", null);
        PowerBiConfiguration config = local.configure(new PowerBiConfiguration());
        config.setCertificateFile(null);
        config.setPrivateKeyFile(null);
        CamelContext ctx = context(config);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:env").to("powerbi:listWorkspaces?clientSecret={{env:POWERBI_TEST_CLIENT_SECRET}}");
            }
        });
        ctx.start();
        List<Map<String, Object>> workspaces = ctx.createProducerTemplate().requestBody("direct:env", null, List.class);
        assertTrue(workspaces.size() >= 2, workspaces.toString());
        // the endpoint URI Camel shows masks the secret
        assertTrue(
                ctx.getEndpoints().stream()
                        .map(e -> e.toString())
                        .noneMatch(s -> s.contains("env-secret-for-tests-only")),
                ctx.getEndpoints().toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aUserSuppliedTokenProviderBeanIsUsedInstead() throws Exception {
        io.camelpowerbi.auth.AccessToken issued;
        try (var http = io.camelpowerbi.client.HttpClientFactory.create(
                sandbox.sslContextTrustingSandbox(), null, Duration.ofSeconds(5), Duration.ofSeconds(5), 2)) {
            issued = new io.camelpowerbi.auth.EntraTokenClient(
                            http, io.camelpowerbi.auth.AssertionSigner.defaults(), java.time.Clock.systemUTC())
                    .requestToken(
                            new io.camelpowerbi.auth.TokenSource(
                                    sandbox.baseUrl(),
                                    sandbox.devTenantId(),
                                    sandbox.devClientId(),
                                    new io.camelpowerbi.auth.ClientSecret(sandbox.devClientSecret()),
                                    io.camelpowerbi.auth.TokenEndpointVersion.V2,
                                    "https://analysis.windows.net/powerbi/api"),
                            Duration.ofMinutes(5));
        }
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        io.camelpowerbi.auth.TokenProvider mine = () -> {
            calls.incrementAndGet();
            return issued;
        };
        PowerBiConfiguration config = local.configure(new PowerBiConfiguration());
        config.setCertificateFile(null);
        config.setPrivateKeyFile(null);
        CamelContext ctx = context(config);
        ctx.getRegistry().bind("myTokens", mine);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:mine").to("powerbi:listWorkspaces?tokenProvider=#myTokens");
            }
        });
        ctx.start();
        long before = sandbox.tokenRequestCount();
        List<Map<String, Object>> workspaces =
                ctx.createProducerTemplate().requestBody("direct:mine", null, List.class);
        assertTrue(workspaces.size() >= 2, workspaces.toString());
        assertTrue(calls.get() >= 1);
        assertEquals(before, sandbox.tokenRequestCount(), "no token of our own was requested");
    }

    @Test
    void unknownOperationIsNamed() {
        CamelContext ctx = context(local.configure(new PowerBiConfiguration()));
        Exception e = assertThrows(Exception.class, () -> ctx.getEndpoint("powerbi:pushEverything"));
        assertTrue(
                rootMessage(e)
                        .contains("operation: 'pushEverything' in powerbi://pushEverything is not an operation"
                                + " of powerbi:. Fix: use one of [pushRows,"),
                rootMessage(e));
    }

    void assertStartFailsWith(String options, String expected) throws Exception {
        PowerBiConfiguration base = local.configure(new PowerBiConfiguration());
        base.setCertificateFile(null);
        base.setPrivateKeyFile(null);
        CamelContext ctx = context(base);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:x").to("powerbi:listWorkspaces?" + options);
            }
        });
        Exception e = assertThrows(Exception.class, ctx::start);
        assertTrue(e instanceof FailedToStartRouteException || e.getCause() != null, e.toString());
        assertTrue(rootMessage(e).contains(expected), rootMessage(e));
        ctx.close();
        context = null;
    }

    static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    static void assertNotNullNoException(Exchange out) {
        if (out.getException() != null) {
            throw new AssertionError("exchange failed", out.getException());
        }
    }
}
