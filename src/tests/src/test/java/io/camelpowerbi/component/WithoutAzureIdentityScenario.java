package io.camelpowerbi.component;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Run by {@link WithoutAzureIdentityTest} in a class loader without azure-identity, azure-core, MSAL4J and Reactor: a
 * YAML route with the app's certificate lists workspaces; a YAML route asking for credentialType=AZURE_IDENTITY does not
 * start, and says what to add.
 */
public final class WithoutAzureIdentityScenario implements Callable<String> {

    private final Path dir;

    public WithoutAzureIdentityScenario(Path dir) {
        this.dir = dir;
    }

    @Override
    public String call() throws Exception {
        try (Sandbox sandbox =
                Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")))) {
            String listed;
            try (CamelContext context = context(sandbox, "{}", false)) {
                Exchange e = context.createProducerTemplate().request("direct:list", x -> {});
                if (e.getException() != null) {
                    throw e.getException();
                }
                listed = "workspaces listed: " + ((List<?>) e.getMessage().getBody()).size();
            }
            try (CamelContext context = context(sandbox, "{ credentialType: AZURE_IDENTITY }", true)) {
                return listed + "; AZURE_IDENTITY started";
            } catch (Exception e) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof InvalidOptionException invalid) {
                        return listed + "; " + invalid.option() + ": " + invalid.problem() + " / " + invalid.fix();
                    }
                }
                throw e;
            }
        }
    }

    private static CamelContext context(Sandbox sandbox, String parameters, boolean noAppCredential) throws Exception {
        CamelContext context = new DefaultCamelContext();
        PowerBiComponent component = new PowerBiComponent();
        component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
        if (noAppCredential) {
            LocalSandbox.withoutAppCredential(
                    component.getConfiguration(), sandbox.devTenantId(), sandbox.devClientId());
        }
        context.addComponent("powerbi", component);
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.fromString("list.camel.yaml", """
                - route:
                    from:
                      uri: direct:list
                      steps:
                        - to:
                            uri: powerbi:listWorkspaces
                            parameters: %s
                """.formatted(parameters)));
        try {
            context.start();
        } catch (Exception e) {
            context.close();
            throw e;
        }
        return context;
    }
}
