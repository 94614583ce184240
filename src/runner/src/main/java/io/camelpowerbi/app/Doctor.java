package io.camelpowerbi.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.camelpowerbi.auth.AccessToken;
import io.camelpowerbi.auth.AssertionSigner;
import io.camelpowerbi.auth.Audience;
import io.camelpowerbi.auth.CertificateLoader;
import io.camelpowerbi.auth.ClientCertificate;
import io.camelpowerbi.auth.CredentialException;
import io.camelpowerbi.auth.EntraException;
import io.camelpowerbi.auth.EntraTokenClient;
import io.camelpowerbi.auth.EntraUnreachableException;
import io.camelpowerbi.auth.Thumbprints;
import io.camelpowerbi.auth.TokenSource;
import io.camelpowerbi.client.CallListener;
import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.client.PowerBiResponse;
import io.camelpowerbi.client.RetryPolicy;
import io.camelpowerbi.client.Service;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * {@code doctor}: walks the path a route takes to Power BI, one step at a time (configuration, credential, assertion,
 * token, API), and says for every failure what went wrong and what to change. Uses the same configuration as
 * {@code run}; with the sandbox enabled (the default) it starts the sandbox in-process.
 */
final class Doctor {

    /** One checked step: what was found, or what failed and how to fix it. */
    record Step(String name, boolean ok, Map<String, Object> details, String problem, String fix) {}

    private final Clock clock = Clock.systemUTC();
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, Object> report = new LinkedHashMap<>();
    private String assertion;

    static int run(String[] args, PrintStream out) {
        Path configFile = RunnerConfig.DEFAULT_FILE;
        boolean json = false;
        boolean printAssertion = false;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--json" -> json = true;
                case "--print-assertion" -> printAssertion = true;
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        out.println("--config needs a file");
                        return 2;
                    }
                    configFile = Path.of(args[++i]);
                }
                case "--help", "-h" -> {
                    out.println("usage: doctor [--config FILE] [--print-assertion] [--json] [--key=value ...]");
                    return 0;
                }
                default -> {
                    if (a.startsWith("--") && a.contains("=")) {
                        overrides.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
                    } else {
                        out.println("doctor: unknown argument " + a + " (try --help)");
                        return 2;
                    }
                }
            }
        }
        Doctor doctor = new Doctor();
        doctor.examine(configFile, overrides, printAssertion);
        if (json) {
            doctor.printJson(out);
        } else {
            doctor.printText(out, printAssertion);
        }
        return doctor.passed() ? 0 : 1;
    }

    boolean passed() {
        return !steps.isEmpty() && steps.stream().allMatch(Step::ok);
    }

    List<Step> steps() {
        return steps;
    }

    void examine(Path configFile, Map<String, String> overrides, boolean keepAssertion) {
        RunnerConfig config;
        try {
            config = RunnerConfig.load(configFile, overrides);
        } catch (RuntimeException e) {
            fail("configuration", Map.of("file", configFile.toString()), e.getMessage(), "fix the configuration file");
            return;
        }
        LocalSandbox sandbox = null;
        try {
            PowerBiConfiguration options;
            String connectionFile = config.value(SandboxConnection.PROPERTY, "");
            if (!connectionFile.isBlank()) {
                // the sandbox of another process, as run uses it
                SandboxConnection connection;
                try {
                    connection = SandboxConnection.read(Path.of(connectionFile));
                } catch (IllegalArgumentException e) {
                    fail(
                            "configuration",
                            Map.of(SandboxConnection.PROPERTY, connectionFile),
                            e.getMessage(),
                            "start the sandbox (java -jar camel-powerbi.jar sandbox) and give the connection file it"
                                    + " prints, or leave " + SandboxConnection.PROPERTY + " empty");
                    return;
                }
                options = connection.configure(new PowerBiConfiguration());
            } else if (config.sandboxEnabled()) {
                sandbox = LocalSandbox.start(config.sandboxConfig());
                options = sandbox.configure(new PowerBiConfiguration());
            } else {
                options = config.componentConfiguration();
                if (options.getSslContextParameters() == null && config.useGlobalSsl()) {
                    options.setSslContextParameters(config.globalSsl());
                }
                if (!missingSettings(config, options)) {
                    return;
                }
            }
            check(config, options, sandbox != null || !connectionFile.isBlank(), keepAssertion);
        } catch (RuntimeException e) {
            fail("configuration", Map.of("file", configFile.toString()), e.getMessage(), "fix " + configFile);
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    /**
     * A real tenant needs a tenant id, a client id and one credential: every one missing is listed with its fix at
     * once (a step that named only the first would send the user round again). True when none is missing.
     */
    private boolean missingSettings(RunnerConfig config, PowerBiConfiguration o) {
        Map<String, String> missing = new LinkedHashMap<>();
        if (blank(o.getTenantId())) {
            missing.put(
                    "camel.component.powerbi.tenant-id",
                    "the Directory (tenant) ID from the app registration's"
                            + " overview (or export POWERBI_TENANT_ID)");
        }
        if (blank(o.getClientId())) {
            missing.put(
                    "camel.component.powerbi.client-id",
                    "the Application (client) ID from the app registration's"
                            + " overview (or export POWERBI_CLIENT_ID)");
        }
        if (blank(o.getCertificateFile())
                && blank(o.getPrivateKeyFile())
                && blank(o.getKeystoreFile())
                && blank(o.getFederatedTokenFile())
                && blank(o.getClientSecret())
                && o.getTokenProvider() == null) {
            missing.put(
                    "a credential",
                    "camel.component.powerbi.certificate-file and private-key-file (recommended;"
                            + " or export POWERBI_CERTIFICATE_FILE and POWERBI_PRIVATE_KEY_FILE; `certificate create` makes a"
                            + " pair), or keystore-file, federated-token-file or client-secret");
        }
        if (missing.isEmpty()) {
            return true;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", config.file().toString());
        details.put("sandbox", false);
        details.put("missing", List.copyOf(missing.keySet()));
        fail(
                "configuration",
                details,
                "not set: " + String.join(", ", missing.keySet()) + " (the sandbox is off: "
                        + "powerbi.sandbox.enabled=false or a tenant is partly configured)",
                missing.entrySet().stream()
                        .map(e -> "set " + e.getKey() + ": " + e.getValue())
                        .collect(java.util.stream.Collectors.joining("\n")));
        return false;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private void check(RunnerConfig config, PowerBiConfiguration options, boolean sandbox, boolean keepAssertion) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("file", config.file().toString());
        cfg.put("sandbox", sandbox);
        cfg.put("cloud", options.getCloud().name());
        cfg.put("apiBaseUrl", options.effectiveApiBaseUrl());

        TokenSource source;
        try {
            source = options.tokenSource(clock);
        } catch (CredentialException e) {
            steps.add(new Step("configuration", true, cfg, null, null));
            fail("credential", Map.of("option", e.option()), e.getMessage(), e.fix());
            return;
        }
        cfg.put("tokenUrl", source.tokenUrl());
        cfg.put("tenantId", source.tenantId());
        cfg.put("clientId", source.clientId());
        cfg.put("resource", source.resource());
        cfg.put("credential", source.credential().kind());
        steps.add(new Step("configuration", true, cfg, null, null));

        if (source.credential() instanceof ClientCertificate certificate) {
            checkCertificate(options, certificate);
        } else {
            steps.add(new Step(
                    "credential", true, Map.of("kind", source.credential().kind()), null, null));
        }

        AssertionSigner signer = new AssertionSigner(
                options.getAssertionAlgorithm(),
                options.isSendX5c(),
                options.isSendX5tSha1(),
                AssertionSigner.MAX_LIFETIME,
                clock);
        if (source.credential() instanceof ClientCertificate certificate) {
            SignedJWT jwt = signer.sign(certificate, source.clientId(), source.tokenUrl());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("header", jwt.getHeader().toJSONObject());
            try {
                details.put("claims", jwt.getJWTClaimsSet().toJSONObject());
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
            details.put("audienceEqualsTokenUrl", source.tokenUrl());
            steps.add(new Step("assertion", true, details, null, null));
            if (keepAssertion) {
                assertion = jwt.serialize();
            }
        }

        SSLContext ssl;
        try {
            ssl = options.getSslContextParameters() == null
                    ? SSLContext.getDefault()
                    : options.getSslContextParameters().createSSLContext(new DefaultCamelContext());
        } catch (Exception e) {
            fail("token", Map.of(), "cannot build the TLS context: " + e.getMessage(), "check sslContextParameters");
            return;
        }
        try (CloseableHttpClient http =
                HttpClientFactory.create(ssl, null, Duration.ofSeconds(10), Duration.ofSeconds(60), 2)) {
            AccessToken token;
            try {
                token = new EntraTokenClient(http, signer, clock).requestToken(source, Duration.ofMinutes(5));
            } catch (EntraUnreachableException e) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("tokenUrl", source.tokenUrl());
                details.put("answer", "none: Entra was not reached");
                fail("token", details, e.description(), e.hint());
                return;
            } catch (EntraException e) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("httpStatus", e.httpStatus());
                details.put("error", e.error());
                details.put("aadsts", e.code());
                details.put("traceId", e.traceId());
                details.put("correlationId", e.correlationId());
                details.put("timestamp", e.timestamp());
                fail(
                        "token",
                        details,
                        e.code() > 0 ? "AADSTS" + e.code() + ": " + e.description() : e.description(),
                        e.hint() != null
                                ? e.hint()
                                : e.code() > 0
                                        ? "look the code up: https://login.microsoftonline.com/error?code=" + e.code()
                                        : "check authorityHost and tenantId, and what Entra answered above");
                return;
            }
            steps.add(new Step("token", true, accessTokenClaims(token), null, null));

            PowerBiClient client = new PowerBiClient(
                    http,
                    options.effectiveApiBaseUrl(),
                    () -> token,
                    new RetryPolicy(
                            2,
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(2),
                            Duration.ofSeconds(10),
                            Duration.ofSeconds(5)));
            try {
                PowerBiResponse response = client.send(
                        io.camelpowerbi.client.PowerBiRequest.get("/groups", Map.of("$top", "1"), "workspaces"));
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("request", "GET " + options.effectiveApiBaseUrl() + "/v1.0/myorg/groups?$top=1");
                details.put("httpStatus", response.status());
                details.put("requestId", response.requestId());
                details.put("workspacesReturned", response.json().path("value").size());
                if (response.json().path("value").size() > 0) {
                    details.put(
                            "firstWorkspace",
                            response.json().path("value").get(0).path("name").asText());
                }
                steps.add(new Step("api", true, details, null, null));
            } catch (PowerBiException e) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("httpStatus", e.httpStatus());
                details.put("errorCode", e.errorCode());
                details.put("requestId", e.requestId());
                fail(
                        "api",
                        details,
                        e.getMessage().lines().findFirst().orElse(""),
                        e.hint() != null
                                ? e.hint()
                                : "check the app's access to Power BI (README: Connecting a real tenant, steps 3 and 4)");
            }
            // the Lakehouse operations' two other audiences: a token for each and a harmless call to each host
            String workspaceId = checkFabric(http, signer, source, options);
            checkOneLake(http, signer, source, options, workspaceId);
        } catch (java.io.IOException e) {
            // closing the pool
        }
    }

    /** The tenant setting a refusal of the Fabric API points to (Microsoft Learn, "Developer tenant settings"). */
    static final String FABRIC_SETTING = "Service principals can call Fabric public APIs";
    /** The tenant setting a refusal of OneLake points to (Microsoft Learn, "OneLake tenant settings"). */
    static final String ONELAKE_SETTING = "Users can access data stored in OneLake with apps external to Fabric";

    /**
     * A token for the Fabric API and {@code GET /v1/workspaces}; the first workspace's id for OneLake's check, or null.
     */
    private String checkFabric(
            CloseableHttpClient http, AssertionSigner signer, TokenSource source, PowerBiConfiguration options) {
        String base = options.effectiveFabricApiBaseUrl();
        AccessToken token = audienceToken("fabric", http, signer, source, Audience.FABRIC.resource(options.getCloud()));
        if (token == null) {
            return null;
        }
        PowerBiClient fabric =
                new PowerBiClient(Service.FABRIC, http, base, List.of(), () -> token, probeRetry(), CallListener.NONE);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("audience", Audience.FABRIC.resource(options.getCloud()));
        details.put("request", "GET " + base + "/v1/workspaces");
        try {
            PowerBiResponse response = fabric.send(
                    io.camelpowerbi.client.PowerBiRequest.get("/workspaces", Map.of(), "Fabric workspaces"));
            details.put("httpStatus", response.status());
            details.put("workspacesReturned", response.json().path("value").size());
            steps.add(new Step("fabric", true, details, null, null));
            JsonNode first = response.json().path("value").path(0);
            return first.isMissingNode() ? null : first.path("id").asText(null);
        } catch (PowerBiException e) {
            details.put("httpStatus", e.httpStatus());
            details.put("errorCode", e.errorCode());
            fail(
                    "fabric",
                    details,
                    e.getMessage().lines().findFirst().orElse(""),
                    refused(e)
                            ? "a Fabric admin turns on the tenant setting '" + FABRIC_SETTING
                                    + "' for this app's security group"
                                    + " (Admin portal, Tenant settings, Developer settings); the app also needs a role in the workspace"
                            : e.hint() != null ? e.hint() : "check fabricApiBaseUrl and the network path to it");
            return null;
        }
    }

    /** A token for storage and {@code HEAD} of a workspace in OneLake (the only call OneLake allows at that level). */
    private void checkOneLake(
            CloseableHttpClient http,
            AssertionSigner signer,
            TokenSource source,
            PowerBiConfiguration options,
            String workspaceId) {
        String base = options.effectiveOneLakeBaseUrl();
        AccessToken token =
                audienceToken("onelake", http, signer, source, Audience.STORAGE.resource(options.getCloud()));
        if (token == null) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("audience", Audience.STORAGE.resource(options.getCloud()));
        if (workspaceId == null) {
            details.put("request", "none: Fabric listed no workspace to look at");
            steps.add(new Step("onelake", true, details, null, null));
            return;
        }
        PowerBiClient oneLake =
                new PowerBiClient(Service.ONELAKE, http, base, List.of(), () -> token, probeRetry(), CallListener.NONE);
        details.put("request", "HEAD " + base + "/" + workspaceId + "?resource=filesystem");
        try {
            PowerBiResponse response = oneLake.send(new io.camelpowerbi.client.PowerBiRequest(
                    "HEAD",
                    "/" + io.camelpowerbi.client.PathSegment.encode(workspaceId),
                    Map.of("resource", "filesystem"),
                    null,
                    "OneLake workspace",
                    null,
                    io.camelpowerbi.client.Idempotency.IDEMPOTENT));
            details.put("httpStatus", response.status());
            steps.add(new Step("onelake", true, details, null, null));
        } catch (PowerBiException e) {
            details.put("httpStatus", e.httpStatus());
            details.put("errorCode", e.errorCode());
            fail(
                    "onelake",
                    details,
                    e.getMessage().lines().findFirst().orElse(""),
                    refused(e)
                            ? "a Fabric admin turns on the tenant setting '" + ONELAKE_SETTING
                                    + "' (Admin portal, Tenant "
                                    + "settings, OneLake settings); the app also needs a role in the workspace"
                            : e.hint() != null ? e.hint() : "check oneLakeBaseUrl and the network path to it");
        }
    }

    private static boolean refused(PowerBiException e) {
        return e.httpStatus() == 401 || e.httpStatus() == 403;
    }

    private static RetryPolicy probeRetry() {
        return new RetryPolicy(
                2, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    /** A token of the same app for {@code resource}, or null after recording the step {@code step} as failed. */
    private AccessToken audienceToken(
            String step, CloseableHttpClient http, AssertionSigner signer, TokenSource source, String resource) {
        try {
            return new EntraTokenClient(http, signer, clock)
                    .requestToken(source.withResource(resource), Duration.ofMinutes(5));
        } catch (EntraUnreachableException e) {
            fail(step, Map.of("audience", resource), e.description(), e.hint());
        } catch (EntraException e) {
            fail(
                    step,
                    Map.of("audience", resource),
                    e.code() > 0 ? "AADSTS" + e.code() + ": " + e.description() : e.description(),
                    e.hint() != null ? e.hint() : "check that the app may get tokens for " + resource);
        }
        return null;
    }

    private void checkCertificate(PowerBiConfiguration options, ClientCertificate certificate) {
        X509Certificate cert = certificate.certificate();
        Map<String, Object> d = new LinkedHashMap<>();
        if (options.getCertificateFile() != null) {
            d.put(
                    "certificateFile",
                    Path.of(options.getCertificateFile()).toAbsolutePath().toString());
            report.put("certificateFile", d.get("certificateFile"));
        } else {
            d.put("keystoreFile", options.getKeystoreFile());
            report.put("certificatePem", pem(cert));
        }
        d.put("subject", cert.getSubjectX500Principal().getName());
        d.put("issuer", cert.getIssuerX500Principal().getName());
        d.put("notBefore", cert.getNotBefore().toInstant().toString());
        d.put("notAfter", cert.getNotAfter().toInstant().toString());
        long daysLeft = Duration.between(clock.instant(), cert.getNotAfter().toInstant())
                .toDays();
        d.put("daysLeft", daysLeft);
        d.put("rsaKeyBits", ((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength());
        d.put("keyMatchesCertificate", true); // CertificateLoader refuses a key that does not
        d.put("sha1Hex", Thumbprints.hex(Thumbprints.sha1(cert)));
        d.put("sha1Base64Url (x5t)", Thumbprints.base64Url(Thumbprints.sha1(cert)));
        d.put("sha256Hex", Thumbprints.hex(Thumbprints.sha256(cert)));
        d.put("sha256Base64Url (x5t#S256)", Thumbprints.base64Url(Thumbprints.sha256(cert)));
        d.put("chainLength", certificate.chain().size());
        d.put("minimumRsaBits", CertificateLoader.MIN_RSA_BITS);
        if (daysLeft < 30) {
            d.put("warning", "the certificate expires in " + daysLeft + " days: create and upload a new one soon");
        }
        steps.add(new Step("credential", true, d, null, null));
    }

    private static Map<String, Object> accessTokenClaims(AccessToken token) {
        Map<String, Object> d = new LinkedHashMap<>();
        try {
            JWTClaimsSet claims = SignedJWT.parse(token.value()).getJWTClaimsSet();
            for (String c : List.of("aud", "iss", "tid", "appid", "azp", "roles")) {
                Object v = claims.getClaim(c);
                if (v != null) {
                    d.put(c, v);
                }
            }
            d.putIfAbsent("roles", "(none: the app has no application roles in this tenant)");
            if (claims.getExpirationTime() != null) {
                d.put("exp", claims.getExpirationTime().toInstant().toString());
            }
        } catch (ParseException e) {
            d.put("note", "the access token is not a JWT, so its claims cannot be shown");
        }
        d.put("expiresAt", token.expiresAt().toString());
        d.put("refreshAt", token.refreshAt().toString());
        return d;
    }

    private void fail(String step, Map<String, Object> details, String problem, String fix) {
        steps.add(new Step(step, false, details, problem, fix));
    }

    private static String pem(X509Certificate cert) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            return null;
        }
    }

    void printText(PrintStream out, boolean printAssertion) {
        for (Step s : steps) {
            out.println((s.ok() ? "[ OK ] " : "[FAIL] ") + s.name());
            s.details().forEach((k, v) -> out.println("         " + k + ": " + v));
            if (!s.ok()) {
                out.println("         problem: " + s.problem());
                if (s.fix() != null) {
                    List<String> lines = s.fix().lines().toList();
                    for (int i = 0; i < lines.size(); i++) {
                        out.println((i == 0 ? "         fix: " : "              ") + lines.get(i));
                    }
                }
            }
        }
        if (printAssertion && assertion != null) {
            out.println(
                    "assertion (valid for " + AssertionSigner.MAX_LIFETIME.toMinutes() + " minutes, keep it private):");
            out.println(assertion);
        }
        out.println(passed() ? "All checks passed." : "Some checks failed: see the fix lines above.");
    }

    void printJson(PrintStream out) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ok", passed());
        doc.put("checkedAt", Instant.now(clock).toString());
        doc.putAll(report);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Step s : steps) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("ok", s.ok());
            m.put("details", s.details());
            if (!s.ok()) {
                m.put("problem", s.problem());
                m.put("fix", s.fix());
            }
            list.add(m);
        }
        doc.put("steps", list);
        if (assertion != null) {
            doc.put("assertion", assertion);
        }
        try {
            out.println(new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(doc));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
