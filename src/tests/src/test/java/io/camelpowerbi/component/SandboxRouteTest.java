package io.camelpowerbi.component;

import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * For tests of operations from YAML routes: one sandbox per test class, reset to its configuration before each test,
 * and a Camel context with the {@code powerbi} component pointed at it (polling every 100 ms) and the test's routes.
 */
abstract class SandboxRouteTest {

    @TempDir
    static Path dir;

    static Sandbox sandbox;
    CamelContext context;

    @BeforeAll
    static void startSandbox() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")));
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void resetSandbox() {
        sandbox.reset();
    }

    @AfterEach
    void stopContext() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    /** Starts a context with these YAML routes; {@code {{mi}}} is the sandbox host's managed identity's object id. */
    void routes(String yaml) throws Exception {
        context = new DefaultCamelContext();
        PowerBiComponent component = new PowerBiComponent();
        component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
        component.getConfiguration().setPollInterval(java.time.Duration.ofMillis(100));
        context.addComponent("powerbi", component);
        context.getPropertiesComponent().addInitialProperty("mi", Sandbox.DEV_MANAGED_IDENTITY_OBJECT_ID);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.camel.yaml", yaml));
        context.start();
    }

    Exchange send(String endpoint, Object body) {
        return context.createProducerTemplate().request(endpoint, x -> x.getIn().setBody(body));
    }

    /** The exchange, or an assertion error carrying its exception. */
    static Exchange ok(Exchange e) {
        if (e.getException() != null) {
            throw new AssertionError("the exchange failed", e.getException());
        }
        return e;
    }
}
