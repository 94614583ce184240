package io.camelpowerbi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.auth.AssertionSigner;
import io.camelpowerbi.auth.CertificateLoader;
import io.camelpowerbi.auth.ClientCertificate;
import io.camelpowerbi.component.PowerBiComponent;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With DEBUG logging on, drive successful and failing calls through real routes, then look for secrets everywhere a
 * user could see them: log lines, exception messages and stack traces, exchange headers, {@code toString()}.
 */
class SecretHygieneTest {

    /** Any JWT: an assertion or an access token. */
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}");

    @TempDir
    Path state;

    @Test
    void noSecretAssertionOrTokenIsEverShown() throws Exception {
        List<String> seen = new ArrayList<>();
        String secret;
        String keyBody;
        try (LogCapture logs = LogCapture.open();
                Sandbox sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, state))) {
            LocalSandbox local = new LocalSandbox(sandbox);
            secret = sandbox.devClientSecret();
            keyBody = Files.readAllLines(sandbox.devPrivateKeyFile()).get(1);
            Path federated = Files.writeString(state.resolve("federated-token"), "pending");

            PowerBiConfiguration config = local.configure(new PowerBiConfiguration());
            try (CamelContext ctx = new DefaultCamelContext()) {
                PowerBiComponent component = new PowerBiComponent();
                component.setConfiguration(config);
                ctx.addComponent("powerbi", component);
                ctx.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:certificate").to("powerbi:listWorkspaces");
                        from("direct:secret")
                                .to("powerbi:listWorkspaces?certificateFile=&privateKeyFile=&clientSecret=RAW(" + secret
                                        + ")");
                        from("direct:wrongSecret")
                                .to(
                                        "powerbi:listWorkspaces?lazyStartProducer=true&certificateFile=&privateKeyFile=&clientSecret=wrong-"
                                                + secret);
                        from("direct:federated")
                                .to(
                                        "powerbi:listWorkspaces?lazyStartProducer=true&certificateFile=&privateKeyFile=&federatedTokenFile="
                                                + federated);
                    }
                });
                ctx.start();
                ProducerTemplate template = ctx.createProducerTemplate();
                for (String route : List.of("direct:certificate", "direct:secret")) {
                    Exchange ok = template.request(route, e -> e.getIn().setHeader("Authorization", "kept-as-is"));
                    assertTrue(ok.getException() == null, () -> String.valueOf(ok.getException()));
                    seen.add(ok.getMessage().getHeaders().toString());
                }
                Exchange wrong = template.request("direct:wrongSecret", e -> {});
                assertNotNull(wrong.getException());
                seen.add(stackTrace(wrong.getException()));
                // a federated token with the wrong audience: the error shows the audience, never the assertion
                ClientCertificate dev = CertificateLoader.fromPem(
                        sandbox.devCertificateFile(), sandbox.devPrivateKeyFile(), null, Clock.systemUTC());
                Files.writeString(
                        federated,
                        AssertionSigner.defaults()
                                .sign(dev, sandbox.devClientId(), sandbox.baseUrl())
                                .serialize());
                Exchange aud = template.request("direct:federated", e -> {});
                assertNotNull(aud.getException());
                assertTrue(
                        aud.getException().getMessage().contains("AADSTS700023"),
                        aud.getException().getMessage());
                seen.add(stackTrace(aud.getException()));
                seen.add(config.toString());
                seen.add(dev.toString());
                seen.add(component.getConfiguration().toString());
            }
            seen.addAll(logs.lines());
            assertTrue(logs.lines().stream().anyMatch(l -> l.contains("io.camelpowerbi")), "DEBUG logs were captured");
        }
        for (String text : seen) {
            assertFalse(text.contains(secret), () -> "client secret shown: " + text);
            assertFalse(text.contains(keyBody), () -> "private key shown: " + text);
            assertFalse(text.contains("PRIVATE KEY-----"), () -> "private key shown: " + text);
            assertFalse(JWT.matcher(text).find(), () -> "a JWT (assertion or token) shown: " + text);
        }
    }

    static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
