package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.sandbox.ApiSettings;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power BI's cluster redirect ({@code preferClientRouting}) leads to another host: the bearer token follows it to a
 * Power BI host (here the sandbox's home cluster, which {@link LocalSandbox} lists in {@code tokenHosts}) and to no
 * other host (the sandbox's storage, where an export file redirects).
 */
class ClusterRedirectTest {

    @TempDir
    static Path dir;

    static Sandbox sandbox;
    CamelContext context;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void wrongCluster() {
        sandbox.reset();
        sandbox.setSettings(sandbox.settings()
                .with(ApiSettings::wrongCluster, true)
                .merge(Map.of("exports", Map.of("redirectFileDownload", true, "durationSeconds", 0.1))));
    }

    @AfterEach
    void stopContext() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    void routes(Consumer<PowerBiConfiguration> adjust) throws Exception {
        context = new DefaultCamelContext();
        PowerBiComponent component = new PowerBiComponent();
        PowerBiConfiguration configuration = new LocalSandbox(sandbox).configure(new PowerBiConfiguration());
        configuration.setPollInterval(Duration.ofMillis(100));
        adjust.accept(configuration);
        component.setConfiguration(configuration);
        context.addComponent("powerbi", component);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.camel.yaml", """
                - route:
                    from:
                      uri: direct:groups
                      steps:
                        - to:
                            uri: powerbi:call
                            parameters: { method: GET, path: "/groups?preferClientRouting=true" }
                - route:
                    from:
                      uri: direct:export
                      steps:
                        - to:
                            uri: powerbi:exportReport
                            parameters: { workspace: "Sales Analytics", report: "Sales Report", exportFormat: PDF }
                        - convertBodyTo: { type: "byte[]" }
                """));
        context.start();
    }

    @Test
    void theTokenFollowsTheRedirectToTheSandboxsHomeCluster() throws Exception {
        assertNotEquals(
                URI.create(sandbox.apiBaseUrl()).getHost(),
                URI.create(sandbox.clusterBaseUrl()).getHost());
        routes(c -> {});
        Exchange e = context.createProducerTemplate().request("direct:groups", x -> {});
        assertNull(e.getException());
        @SuppressWarnings("unchecked")
        List<Object> workspaces =
                (List<Object>) e.getMessage().getBody(Map.class).get("value");
        assertEquals(2, workspaces.size(), "the dev app's two workspaces, read on the home cluster");
    }

    @Test
    void withoutTheClusterAmongTheTokenHostsTheRedirectedCallIs401AndTheErrorNamesTheOption() throws Exception {
        routes(c -> c.setTokenHosts(""));
        Exchange e = context.createProducerTemplate().request("direct:groups", x -> {});
        PowerBiException failure = assertInstanceOf(PowerBiException.class, e.getException());
        assertEquals(401, failure.httpStatus());
        assertTrue(
                failure.getMessage().contains("tokenHosts")
                        && failure.getMessage()
                                .contains(URI.create(sandbox.clusterBaseUrl()).getHost()),
                failure.getMessage());
    }

    @Test
    void anExportFileRedirectedToStorageIsFetchedWithoutTheToken() throws Exception {
        // the sandbox's storage refuses any request that carries Authorization (400): the file arriving proves none did
        routes(c -> {});
        Exchange e = context.createProducerTemplate().request("direct:export", x -> {});
        assertNull(e.getException());
        byte[] pdf = e.getMessage().getBody(byte[].class);
        assertEquals("%PDF-", new String(pdf, 0, 5));
        assertNotEquals(
                URI.create(sandbox.clusterBaseUrl()).getPort(),
                URI.create(sandbox.storageBaseUrl()).getPort());
    }
}
