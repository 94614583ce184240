package io.camelpowerbi.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.app.SandboxCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading configuration, the example file, and the command's argument handling. */
class SandboxConfigTest {

    @Test
    void defaults() {
        SandboxConfig c = SandboxConfig.defaults();
        assertEquals("127.0.0.1", c.host());
        assertEquals(0, c.port());
        assertTrue(c.https());
        assertEquals(Path.of("data", "sandbox"), c.stateDir());
        assertEquals(300, c.clockSkewSeconds());
        assertFalse(c.jtiReplayProtection());
        assertEquals(3599, c.tokenLifetimeSeconds());
        assertNull(c.refreshInSeconds());
        assertFalse(c.lenientV1V2Path() || c.lenientHostAliases() || c.lenientTenantForms() || c.lenientIssuerForm());
        assertEquals(SandboxConfig.DEFAULT_KNOWN_RESOURCES, c.knownResources());
        // Power BI's of the five clouds, then the same app's other audiences: Fabric, storage (OneLake), SQL
        assertEquals(8, c.knownResources().size());
        assertTrue(c.knownResources()
                .containsAll(List.of(
                        "https://api.fabric.microsoft.com",
                        "https://storage.azure.com",
                        "https://database.windows.net")));
        assertEquals(1, c.effectiveTenants().size());
        SandboxConfig.TenantConfig dev = c.effectiveTenants().get(0);
        assertEquals(Sandbox.DEV_TENANT_ID, dev.id());
        assertEquals("sandbox.onmicrosoft.com", dev.domain());
        assertEquals(
                List.of("Sales Analytics", "Finance", "Executive Board"),
                dev.workspaces().stream()
                        .map(SandboxConfig.WorkspaceConfig::name)
                        .toList());
        assertFalse(c.with(SandboxConfig::devTenant, false).effectiveTenants().stream()
                .anyMatch(t -> t.id().equals(Sandbox.DEV_TENANT_ID)));
    }

    @Test
    void exampleFileEqualsDefaults() throws IOException {
        SandboxConfig example = SandboxConfig.load(Path.of("config", "sandbox.yaml"));
        SandboxConfig defaults = SandboxConfig.defaults();
        assertEquals(defaults.effectiveTenants(), example.effectiveTenants());
        assertEquals(
                defaults.withTenant(SandboxConfig.devTenantConfig()),
                example,
                "every other key of the example equals its default");
    }

    @Test
    void emptyFileIsDefaults(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("empty.yaml"), "");
        assertEquals(SandboxConfig.defaults(), SandboxConfig.load(file));
    }

    @Test
    void jsonAndYamlWithTenantsAppsAndFaults(@TempDir Path dir) throws Exception {
        var cert = SelfSignedCertificates.generate("CN=configured", 10, 2048, List.of());
        Path certFile = dir.resolve("configured.pem");
        Pem.writeCertificate(certFile, cert.certificate());
        String yaml = """
                port: 8443
                https: false
                stateDir: %s
                clockSkewSeconds: 30
                refreshInSeconds: 1800
                lenientV1V2Path: true
                tenants:
                  - id: 6c1d9e8f-7a2b-4c3d-8e4f-5a6b7c8d9e0f
                    domain: contoso.onmicrosoft.com
                    servicePrincipalsCanUseApis: false
                    apps:
                      - clientId: 8e9f0a1b-2c3d-4e5f-9a6b-7c8d9e0f1a2b
                        roles: [Tenant.Read.All]
                        secrets:
                          - value: s3cret
                            expiresAt: 2030-01-01
                        certificates:
                          - file: %s
                            notAfter: 2031-05-01T10:00:00Z
                    workspaces:
                      - id: 4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f70
                        name: Ops
                        members: [8e9f0a1b-2c3d-4e5f-9a6b-7c8d9e0f1a2b]
                faults:
                  - path: /token$
                    status: 503
                    retryAfter: 5
                """.formatted(dir.resolve("state"), certFile);
        SandboxConfig c = SandboxConfig.load(Files.writeString(dir.resolve("c.yaml"), yaml));
        assertEquals(8443, c.port());
        assertFalse(c.https());
        assertEquals(30, c.clockSkewSeconds());
        assertEquals(1800, c.refreshInSeconds());
        assertTrue(c.lenientV1V2Path());
        assertEquals(2, c.effectiveTenants().size());
        SandboxConfig.TenantConfig contoso = c.tenants().get(0);
        assertFalse(contoso.servicePrincipalsCanUseApis());
        assertEquals(
                Instant.parse("2030-01-01T00:00:00Z"),
                contoso.apps().get(0).secrets().get(0).expiresAt());
        assertEquals(
                Instant.parse("2031-05-01T10:00:00Z"),
                contoso.apps().get(0).certificates().get(0).notAfter());
        assertEquals(5, c.faults().get(0).retryAfterSeconds());
        assertFalse(contoso.apps().get(0).toString().contains("s3cret"));

        // the state built from it: the certificate file is read, dates overridden
        SandboxState state = SandboxState.from(c.effectiveTenants());
        App app = state.app("contoso.onmicrosoft.com", "8e9f0a1b-2c3d-4e5f-9a6b-7c8d9e0f1a2b");
        assertEquals(List.of("Tenant.Read.All"), app.roles());
        assertEquals(
                Instant.parse("2031-05-01T10:00:00Z"), app.certificates().get(0).notAfter());
        assertEquals(
                cert.certificate().getNotBefore().toInstant(),
                app.certificates().get(0).notBefore());
        assertTrue(app.secrets().get(0).matches("s3cret"));

        String json = TestHttp.JSON.writeValueAsString(TestHttp.JSON.readTree(
                new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                        .readTree(yaml)
                        .toString()));
        assertEquals(c, SandboxConfig.load(Files.writeString(dir.resolve("c.json"), json)));
    }

    @Test
    void clearErrors(@TempDir Path dir) throws IOException {
        IOException typo = assertThrows(
                IOException.class,
                () -> SandboxConfig.load(Files.writeString(dir.resolve("a.yaml"), "clockSkew: 5\n")));
        assertTrue(typo.getMessage().contains("clockSkew"), typo.getMessage());
        IOException guid = assertThrows(
                IOException.class,
                () -> SandboxConfig.load(Files.writeString(
                        dir.resolve("b.yaml"), "tenants:\n  - id: not-a-guid\n    domain: x.onmicrosoft.com\n")));
        assertTrue(guid.getMessage().contains("tenant id must be a GUID: not-a-guid"), guid.getMessage());
        IllegalArgumentException port = assertThrows(
                IllegalArgumentException.class, () -> SandboxConfig.defaults().with(SandboxConfig::port, 70000));
        assertTrue(port.getMessage().contains("port out of range: 70000"), port.getMessage());
        IOException nested = assertThrows(
                IOException.class,
                () -> SandboxConfig.load(Files.writeString(dir.resolve("c.yaml"), "limits:\n  rowsPerPost: many\n")));
        assertTrue(nested.getMessage().contains("limits.rowsPerPost"), nested.getMessage());
        IOException nestedTypo = assertThrows(
                IOException.class,
                () -> SandboxConfig.load(Files.writeString(dir.resolve("d.yaml"), "refreshes:\n  duration: 1\n")));
        assertTrue(nestedTypo.getMessage().contains("unknown key 'refreshes.duration'"), nestedTypo.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FaultRule.status("(", 500));
    }

    @Test
    void aFileChangesOnlyTheKeysItNamesDownToNestedOnes(@TempDir Path dir) throws IOException {
        SandboxConfig c = SandboxConfig.load(Files.writeString(dir.resolve("c.yaml"), """
                https: ~
                limits: { timeScale: 60 }
                refreshes: { conflictStatus: 409 }
                """));
        SandboxConfig expected = SandboxConfig.defaults()
                .with(SandboxConfig::limits, LimitsConfig.defaults().with(LimitsConfig::timeScale, 60.0))
                .with(SandboxConfig::refreshes, new ApiSettings.Refreshes(1.5, 1.0, 409, 8, 60));
        assertEquals(expected, c, "a null keeps the default; a nested object changes only its own keys");
        assertTrue(c.https());
    }

    @Test
    void withChangesOneSettingAndTakesOnlyAnAccessor() {
        SandboxConfig c = SandboxConfig.defaults().with(SandboxConfig::tokenLifetimeSeconds, 600);
        assertEquals(600, c.tokenLifetimeSeconds());
        assertEquals(SandboxConfig.defaults().clockSkewSeconds(), c.clockSkewSeconds());
        IllegalArgumentException low =
                assertThrows(IllegalArgumentException.class, () -> c.with(SandboxConfig::tokenLifetimeSeconds, 10));
        assertTrue(low.getMessage().contains("tokenLifetimeSeconds must be at least 60"), low.getMessage());
        IllegalArgumentException lambda =
                assertThrows(IllegalArgumentException.class, () -> c.with(x -> x.port(), 8443));
        assertTrue(lambda.getMessage().contains("SandboxConfig::"), lambda.getMessage());
        IllegalArgumentException nullPrimitive =
                assertThrows(IllegalArgumentException.class, () -> c.with(SandboxConfig::port, null));
        assertTrue(
                nullPrimitive.getMessage().contains("SandboxConfig.port cannot be null"), nullPrimitive.getMessage());
    }

    @Test
    void commandHelpAndBadArguments() {
        assertEquals(0, SandboxCommand.run(new String[] {"--help"}));
        assertEquals(2, SandboxCommand.run(new String[] {"--port"}));
        assertEquals(2, SandboxCommand.run(new String[] {"--port", "http"}));
        assertEquals(2, SandboxCommand.run(new String[] {"--bogus"}));
        assertEquals(2, SandboxCommand.run(new String[] {"--config", "does/not/exist.yaml"}));
    }
}
