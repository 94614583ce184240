package io.camelpowerbi.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What README promises of the runner's configuration: the file, then environment variables, then --key=value. */
class RunnerConfigTest {

    @Test
    void environmentVariablesInCamelMainsFormOverrideTheFileAndTheCommandLineOverridesThem() {
        Map<String, String> env = Map.of(
                "POWERBI_SANDBOX_ENABLED", "false",
                "POWERBI_WORKSPACE", "Team Workspace",
                "CAMEL_COMPONENT_POWERBI_CLIENT_SECRET", "from-the-environment",
                "CAMEL_COMPONENT_POWERBI_AUTHORITY_HOST", "https://login.example.test",
                "CAMEL_COMPONENT_POWERBI_TENANT_ID", "tenant-from-env");
        RunnerConfig config = RunnerConfig.load(
                RunnerConfig.DEFAULT_FILE,
                Map.of("camel.component.powerbi.tenant-id", "tenant-from-command-line"),
                env);

        assertFalse(config.sandboxEnabled(), "POWERBI_SANDBOX_ENABLED=false turns the sandbox off");
        assertEquals("Team Workspace", config.value("powerbi.workspace", null));
        PowerBiConfiguration c = config.componentConfiguration();
        assertEquals("from-the-environment", c.getClientSecret(), "an option the file does not name");
        assertEquals("https://login.example.test", c.getAuthorityHost());
        assertEquals("tenant-from-command-line", c.getTenantId(), "the command line wins over the environment");
    }

    @Test
    void withoutSuchVariablesTheFileDecides() {
        RunnerConfig config = RunnerConfig.load(RunnerConfig.DEFAULT_FILE, Map.of(), Map.of("PATH", "/usr/bin"));
        assertTrue(config.sandboxEnabled());
        assertEquals("Sales Analytics", config.value("powerbi.workspace", null));
    }

    @TempDir
    Path dir;

    /** README's real-tenant setup with nothing but environment variables (a sandbox over HTTP stands in for the tenant). */
    @Test
    void runTakesTheCredentialAndEndpointsFromEnvironmentVariablesAlone() throws Exception {
        try (Sandbox tenant = Sandbox.start(SandboxConfig.defaults()
                .with(SandboxConfig::https, false)
                .with(SandboxConfig::stateDir, dir.resolve("tenant")))) {
            Path route = Files.writeString(dir.resolve("mine.camel.yaml"), """
                    - route:
                        id: my-workspaces
                        from:
                          uri: timer:once?repeatCount=1
                          steps:
                            - to: powerbi:listWorkspaces
                            - log: "${header.CamelPowerBiResultCount} workspaces"
                    """);
            // a tenant id is enough to leave the sandbox out (powerbi.sandbox.enabled is empty in the shipped file)
            Map<String, String> env = Map.of(
                    "CAMEL_COMPONENT_POWERBI_TENANT_ID", tenant.devTenantId(),
                    "CAMEL_COMPONENT_POWERBI_CLIENT_ID", tenant.devClientId(),
                    "CAMEL_COMPONENT_POWERBI_CLIENT_SECRET", tenant.devClientSecret(),
                    "CAMEL_COMPONENT_POWERBI_AUTHORITY_HOST", tenant.baseUrl(),
                    "CAMEL_COMPONENT_POWERBI_API_BASE_URL", tenant.apiBaseUrl());
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            Runner runner = new Runner(
                    RunnerConfig.DEFAULT_FILE,
                    Map.of("powerbi.data.dir", dir.resolve("data").toString()),
                    env,
                    List.of(route),
                    false,
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
            long before = tenant.tokenRequestCount();
            boolean ok = runner.run();
            String out = printed.toString(StandardCharsets.UTF_8);
            assertTrue(ok, out);
            assertNull(runner.sandbox(), "no sandbox started: a tenant is configured");
            assertEquals(
                    before + 1, tenant.tokenRequestCount(), "the token came from the tenant the environment named");
            assertFalse(out.contains(tenant.devClientSecret()), "the secret is not printed");
        }
    }
}
