package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.SandboxTestSupport.GROUPS;
import static io.camelpowerbi.sandbox.SandboxTestSupport.SCOPE;
import static io.camelpowerbi.sandbox.TestHttp.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * With the sandbox logging at TRACE, a session of successful and failing token requests, API calls, fault rules and
 * key generation leaves no secret, private key, client assertion or access token in any log line.
 */
class LoggingHygieneTest {

    /** Keeps every event's formatted message and stack trace. */
    static final class Capture extends AbstractAppender {
        final List<String> lines = new CopyOnWriteArrayList<>();

        Capture() {
            super("sandbox-hygiene-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " "
                    + event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                StringWriter trace = new StringWriter();
                event.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(' ').append(trace);
            }
            lines.add(line.toString());
        }
    }

    @Test
    void noSecretsInLogs(@TempDir Path stateDir) throws Exception {
        assertTrue(
                LoggerFactory.getILoggerFactory()
                        .getClass()
                        .getName()
                        .toLowerCase(java.util.Locale.ROOT)
                        .contains("log4j"),
                "SLF4J must be bound to log4j2 for this test to see anything");
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Level previous = context.getConfiguration()
                .getLoggerConfig("io.camelpowerbi.sandbox")
                .getLevel();
        Capture capture = new Capture();
        capture.start();
        LoggerConfig root = context.getConfiguration().getRootLogger();
        root.addAppender(capture, Level.ALL, null);
        Configurator.setLevel("io.camelpowerbi.sandbox", Level.TRACE);
        context.updateLoggers();

        List<String> forbidden = new ArrayList<>();
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.defaults()
                .with(SandboxConfig::stateDir, stateDir)
                .with(SandboxConfig::jtiReplayProtection, true))) {
            TestHttp http = new TestHttp(sandbox);
            String v2 = sandbox.tokenEndpoint(Sandbox.DEV_TENANT_ID);
            forbidden.add(sandbox.devClientSecret());

            // secret in the body and by HTTP Basic; a wrong secret
            TestHttp.Response bySecret = http.postForm(
                    v2,
                    form(
                            "grant_type",
                            "client_credentials",
                            "client_id",
                            Sandbox.DEV_CLIENT_ID,
                            "client_secret",
                            sandbox.devClientSecret(),
                            "scope",
                            SCOPE));
            assertEquals(200, bySecret.status());
            String token = bySecret.json().get("access_token").asText();
            forbidden.add(token);
            String basic = Base64.getEncoder()
                    .encodeToString(
                            (Sandbox.DEV_CLIENT_ID + ":" + sandbox.devClientSecret()).getBytes(StandardCharsets.UTF_8));
            forbidden.add(basic);
            TestHttp.Response byBasic = http.postForm(
                    v2,
                    form("grant_type", "client_credentials", "scope", SCOPE),
                    Map.of("Authorization", "Basic " + basic));
            assertEquals(200, byBasic.status());
            forbidden.add(byBasic.json().get("access_token").asText());
            String wrongSecret = "wrong-" + UUID.randomUUID();
            forbidden.add(wrongSecret);
            http.postForm(
                    v2,
                    form(
                            "grant_type",
                            "client_credentials",
                            "client_id",
                            Sandbox.DEV_CLIENT_ID,
                            "client_secret",
                            wrongSecret,
                            "scope",
                            SCOPE));

            // assertions: accepted, replayed, wrong audience, bad signature, malformed
            String assertion = TestAssertions.assertion(
                            sandbox.devPrivateKey(),
                            sandbox.devCertificate(),
                            Sandbox.DEV_CLIENT_ID,
                            v2,
                            sandbox.clock().now())
                    .sign();
            String wrongAud = TestAssertions.assertion(
                            sandbox.devPrivateKey(),
                            sandbox.devCertificate(),
                            Sandbox.DEV_CLIENT_ID,
                            sandbox.baseUrl(),
                            sandbox.clock().now())
                    .sign();
            String otherKey = TestAssertions.assertion(
                            sandbox.devPrivateKey(),
                            sandbox.devCertificate(),
                            Sandbox.DEV_CLIENT_ID,
                            v2,
                            sandbox.clock().now())
                    .signedBy(SelfSignedCertificates.generateRsaKeyPair(2048).getPrivate())
                    .sign();
            String malformed = "eyJhbGciOiJQUzI1NiJ9.bm90IGpzb24." + UUID.randomUUID();
            for (String a : List.of(assertion, assertion, wrongAud, otherKey, malformed)) {
                forbidden.add(a);
                http.postForm(
                        v2,
                        form(
                                "grant_type",
                                "client_credentials",
                                "client_id",
                                Sandbox.DEV_CLIENT_ID,
                                "client_assertion_type",
                                AssertionValidator.ASSERTION_TYPE,
                                "client_assertion",
                                a,
                                "scope",
                                SCOPE));
            }
            for (String a : List.of(assertion, wrongAud, otherKey)) {
                forbidden.add(a.substring(a.lastIndexOf('.') + 1)); // the signature alone
                forbidden.add(a.substring(0, a.lastIndexOf('.'))); // header.payload alone
            }

            // the API with good, garbled and expired tokens
            assertEquals(
                    200,
                    http.getWithBearer(sandbox.apiBaseUrl() + GROUPS, token).status());
            http.getWithBearer(sandbox.apiBaseUrl() + GROUPS, token.substring(0, token.length() - 5) + "AAAAA");
            sandbox.clock().advance(Duration.ofHours(2));
            assertEquals(
                    403,
                    http.getWithBearer(sandbox.apiBaseUrl() + GROUPS, token).status());
            sandbox.clock().reset();
            forbidden.add(token.substring(token.lastIndexOf('.') + 1));

            // faults, state, connection file
            http.postJson(
                    sandbox.baseUrl() + "/_sandbox/faults", "{\"path\":\"/token$\",\"status\":503,\"maxCount\":1}");
            http.postForm(
                    v2,
                    form(
                            "grant_type",
                            "client_credentials",
                            "client_id",
                            Sandbox.DEV_CLIENT_ID,
                            "client_secret",
                            sandbox.devClientSecret(),
                            "scope",
                            SCOPE));
            http.get(sandbox.baseUrl() + "/_sandbox/state");
            sandbox.writeConnectionFile();
        } finally {
            root.removeAppender(capture.getName());
            Configurator.setLevel("io.camelpowerbi.sandbox", previous);
            context.updateLoggers();
            capture.stop();
        }

        List<String> lines = capture.lines;
        assertTrue(
                lines.stream().anyMatch(l -> l.startsWith("DEBUG") && l.contains("token request POST")),
                "DEBUG lines were captured");
        assertTrue(lines.stream().anyMatch(l -> l.contains("token issued to app " + Sandbox.DEV_CLIENT_ID)));
        assertTrue(lines.stream().anyMatch(l -> l.contains("AADSTS700023")), "rejections are logged with their code");
        assertTrue(lines.stream().anyMatch(l -> l.contains("generated dev-app-cert.pem")), "key generation is logged");
        for (String line : lines) {
            assertFalse(line.contains("-----BEGIN"), () -> "PEM marker in: " + line);
            assertFalse(line.contains("PRIVATE KEY-----"), () -> "PEM marker in: " + line);
            for (String secret : forbidden) {
                assertFalse(line.contains(secret), () -> "secret material in: " + line);
            }
        }
    }
}
