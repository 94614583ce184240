package io.camelpowerbi.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import io.camelpowerbi.sandbox.SandboxConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code doctor} against the in-process sandbox, as README's run command uses it. */
class DoctorTest {

    @TempDir
    Path dir;

    Path config(String... extraLines) throws Exception {
        Path sandboxYaml =
                Files.writeString(dir.resolve("sandbox.yaml"), "port: 0\nstateDir: " + dir.resolve("state") + "\n");
        List<String> lines =
                new ArrayList<>(List.of("powerbi.sandbox.enabled=true", "powerbi.sandbox.config=" + sandboxYaml));
        lines.addAll(List.of(extraLines));
        return Files.write(dir.resolve("application.properties"), lines);
    }

    String run(int expectedStatus, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = Cli.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(expectedStatus, status, out);
        return out;
    }

    @Test
    void everyStepPassesAgainstTheSandboxAndTheJsonNamesThemAll() throws Exception {
        JsonNode doc = new ObjectMapper()
                .readTree(run(0, "doctor", "--config", config().toString(), "--json", "--print-assertion"));
        assertTrue(doc.path("ok").asBoolean());
        List<String> steps = new ArrayList<>();
        doc.path("steps").forEach(s -> {
            steps.add(s.path("name").asText());
            assertTrue(s.path("ok").asBoolean(), s.toString());
        });
        assertEquals(List.of("configuration", "credential", "assertion", "token", "api", "fabric", "onelake"), steps);
        JsonNode credential = doc.path("steps").get(1).path("details");
        assertEquals(2048, credential.path("rsaKeyBits").asInt());
        assertEquals(40, credential.path("sha1Hex").asText().length());
        assertTrue(Files.exists(Path.of(doc.path("certificateFile").asText())));

        JsonNode claims = doc.path("steps").get(2).path("details").path("claims");
        String tokenUrl =
                doc.path("steps").get(0).path("details").path("tokenUrl").asText();
        assertEquals(
                tokenUrl,
                claims.path("aud").isArray()
                        ? claims.path("aud").get(0).asText()
                        : claims.path("aud").asText());
        SignedJWT assertion = SignedJWT.parse(doc.path("assertion").asText());
        assertEquals(List.of(tokenUrl), assertion.getJWTClaimsSet().getAudience());

        JsonNode token = doc.path("steps").get(3).path("details");
        JsonNode aud = token.path("aud");
        assertEquals(
                "https://analysis.windows.net/powerbi/api",
                aud.isArray() ? aud.get(0).asText() : aud.asText());
        assertTrue(token.has("tid") && token.has("appid") && token.has("exp"), token.toString());
        assertTrue(doc.path("steps")
                        .get(4)
                        .path("details")
                        .path("workspacesReturned")
                        .asInt()
                == 1);
    }

    @Test
    void checksTheSandboxOfAnotherProcessNamedByItsConnectionFile() throws Exception {
        try (io.camelpowerbi.sandbox.Sandbox other = io.camelpowerbi.sandbox.Sandbox.start(
                SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("other")))) {
            Path props = Files.write(
                    dir.resolve("node.properties"),
                    List.of(
                            "powerbi.sandbox.enabled=true",
                            "powerbi.sandbox.connection-file=" + other.writeConnectionFile()));
            long before = other.tokenRequestCount();
            JsonNode doc = new ObjectMapper().readTree(run(0, "doctor", "--config", props.toString(), "--json"));
            assertTrue(doc.path("ok").asBoolean(), doc.toString());
            assertEquals(
                    other.tokenEndpoint(other.devTenantId()),
                    doc.path("steps").get(0).path("details").path("tokenUrl").asText(),
                    "the sandbox of the file, not a new one");
            assertEquals(before + 3, other.tokenRequestCount(), "a token each for Power BI, Fabric and storage");
        }
    }

    @Test
    void aOneLakeRefusalNamesTheTenantSetting() throws Exception {
        try (io.camelpowerbi.sandbox.Sandbox other =
                io.camelpowerbi.sandbox.Sandbox.start(io.camelpowerbi.sandbox.SandboxConfig.defaults()
                        .with(io.camelpowerbi.sandbox.SandboxConfig::stateDir, dir.resolve("closed")))) {
            other.state()
                    .requireTenant(io.camelpowerbi.sandbox.Sandbox.DEV_TENANT_ID)
                    .setOneLakeExternalApps(false);
            Path props = Files.write(
                    dir.resolve("closed.properties"),
                    List.of(
                            "powerbi.sandbox.enabled=true",
                            "powerbi.sandbox.connection-file=" + other.writeConnectionFile()));
            JsonNode doc = new ObjectMapper().readTree(run(1, "doctor", "--config", props.toString(), "--json"));
            JsonNode steps = doc.path("steps");
            JsonNode fabric = steps.get(steps.size() - 2);
            JsonNode oneLake = steps.get(steps.size() - 1);
            assertEquals("fabric", fabric.path("name").asText());
            assertTrue(fabric.path("ok").asBoolean(), fabric.toString());
            assertEquals("onelake", oneLake.path("name").asText());
            assertFalse(oneLake.path("ok").asBoolean(), oneLake.toString());
            assertEquals(403, oneLake.path("details").path("httpStatus").asInt(), oneLake.toString());
            assertTrue(oneLake.path("fix").asText().contains(Doctor.ONELAKE_SETTING), oneLake.toString());
        }
    }

    @Test
    void textOutputHasNoAssertionUnlessAsked() throws Exception {
        String out = run(0, "doctor", "--config", config().toString());
        assertTrue(out.contains("All checks passed."), out);
        assertFalse(out.matches("(?s).*eyJ[A-Za-z0-9_-]{8,}\\.eyJ.*"), out);
    }

    @Test
    void aFailingStepPrintsTheCauseAndTheFixAndExitsNonZero() throws Exception {
        Path props = Files.write(
                dir.resolve("real.properties"),
                List.of(
                        "powerbi.sandbox.enabled=false",
                        "camel.component.powerbi.tenant-id=contoso.onmicrosoft.com",
                        "camel.component.powerbi.client-id=0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
                        "camel.component.powerbi.certificate-file=" + dir.resolve("nope.pem")));
        String out = run(1, "doctor", "--config", props.toString());
        assertTrue(out.contains("[FAIL] credential"), out);
        assertTrue(out.contains("certificateFile: file not found"), out);
        assertTrue(out.contains("Some checks failed"), out);
    }

    @Test
    void certificateCreateWritesAUsableCertificate() throws Exception {
        Path out = dir.resolve("cert");
        String printed = run(
                0,
                "certificate",
                "create",
                "--subject",
                "CN=camel-powerbi-test",
                "--out",
                out.toString(),
                "--days",
                "30");
        assertTrue(printed.contains("Thumbprint shown by the Azure portal (SHA-1 hex)"), printed);
        var loaded = io.camelpowerbi.auth.CertificateLoader.fromPem(
                out.resolve("certificate.pem"), out.resolve("private-key.pem"), null, java.time.Clock.systemUTC());
        assertEquals(
                "CN=camel-powerbi-test",
                loaded.certificate().getSubjectX500Principal().getName());
        assertTrue(printed.contains(
                io.camelpowerbi.auth.Thumbprints.hex(io.camelpowerbi.auth.Thumbprints.sha1(loaded.certificate()))));
        // never overwrites an existing key
        run(2, "certificate", "create", "--subject", "CN=again", "--out", out.toString());
    }

    @Test
    void withoutTheSandboxEveryMissingSettingIsListedWithItsFixInTextAndJsonAlike() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.properties"), "powerbi.sandbox.enabled=false\n");
        String text = run(1, "doctor", "--config", empty.toString());
        for (String key :
                List.of("camel.component.powerbi.tenant-id", "camel.component.powerbi.client-id", "a credential")) {
            assertTrue(text.contains("set " + key + ": "), key + " in\n" + text);
        }
        assertTrue(text.contains("POWERBI_TENANT_ID") && text.contains("certificate-file"), text);

        JsonNode step = new ObjectMapper()
                .readTree(run(1, "doctor", "--config", empty.toString(), "--json"))
                .path("steps")
                .get(0);
        assertEquals("configuration", step.path("name").asText());
        assertEquals(
                List.of("camel.component.powerbi.tenant-id", "camel.component.powerbi.client-id", "a credential"),
                new ObjectMapper().convertValue(step.path("details").path("missing"), List.class));
        assertTrue(
                step.path("fix").isTextual()
                        && step.path("fix").asText().lines().count() == 3,
                step.toString());
    }

    @Test
    void aCredentialProblemHasItsFixInJsonToo() throws Exception {
        Path props = Files.write(
                dir.resolve("two.properties"),
                List.of(
                        "powerbi.sandbox.enabled=false",
                        "camel.component.powerbi.tenant-id=contoso.onmicrosoft.com",
                        "camel.component.powerbi.client-id=0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
                        "camel.component.powerbi.client-secret=not-a-real-secret",
                        "camel.component.powerbi.certificate-file=" + dir.resolve("nope.pem")));
        JsonNode steps = new ObjectMapper()
                .readTree(run(1, "doctor", "--config", props.toString(), "--json"))
                .path("steps");
        JsonNode credential = steps.get(steps.size() - 1);
        assertEquals("credential", credential.path("name").asText());
        assertEquals("keep exactly one of them", credential.path("fix").asText(), credential.toString());
    }

    @Test
    void certificateCreateExplainsASubjectThatIsNotAnX500NameAndListsEveryOption() throws Exception {
        String printed = run(
                2,
                "certificate",
                "create",
                "--subject",
                "camel-powerbi",
                "--out",
                dir.resolve("c").toString());
        assertTrue(
                printed.contains("--subject 'camel-powerbi' is not an X.500 name")
                        && printed.contains("did you mean CN=camel-powerbi?"),
                printed);
        assertFalse(Files.exists(dir.resolve("c")), "nothing written");
        printed = run(
                2,
                "certificate",
                "create",
                "--subject",
                "O=Contoso",
                "--out",
                dir.resolve("c").toString());
        assertTrue(printed.contains("has no common name (CN=...)"), printed);

        String help = run(0, "certificate", "create", "--help");
        for (String option : List.of("--subject", "--out", "--days", "--key-bits")) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
        assertTrue(run(0, "--help").contains("--key-bits"));

        run(
                0,
                "certificate",
                "create",
                "--subject",
                "CN=big",
                "--out",
                dir.resolve("big").toString(),
                "--key-bits",
                "3072");
        var loaded = io.camelpowerbi.auth.CertificateLoader.fromPem(
                dir.resolve("big/certificate.pem"),
                dir.resolve("big/private-key.pem"),
                null,
                java.time.Clock.systemUTC());
        assertEquals(
                3072,
                ((java.security.interfaces.RSAPublicKey) loaded.certificate().getPublicKey())
                        .getModulus()
                        .bitLength());
    }

    @Test
    void certificateCreateNamesTheOptionOfABadValidity() throws Exception {
        String printed = run(
                2,
                "certificate",
                "create",
                "--subject",
                "CN=x",
                "--out",
                dir.resolve("c").toString(),
                "--days",
                "-5");
        assertTrue(printed.contains("--days -5 is not a validity") && printed.contains("at least 1"), printed);
        assertTrue(!printed.contains("validityDays"), "no internal name: " + printed);
        assertTrue(!java.nio.file.Files.exists(dir.resolve("c")), "nothing written");
    }
}
