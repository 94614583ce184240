package io.camelpowerbi.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Shared setup: one state directory for the test sandboxes, so key material is generated once per build. */
final class SandboxTestSupport {

    /** Reused by the test sandboxes (generation of three RSA keys happens once); KeyMaterialTest uses fresh ones. */
    static final Path SHARED_STATE = Path.of("target", "sandbox-test-state");

    static final String SCOPE = Sandbox.POWER_BI_RESOURCE + "/.default";
    static final String GROUPS = "/v1.0/myorg/groups";

    private static final Pattern SUFFIX = Pattern.compile(
            "\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [^\r\n]+\r\nTimestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$");

    private SandboxTestSupport() {}

    static SandboxConfig config() {
        return SandboxConfig.defaults().with(SandboxConfig::stateDir, SHARED_STATE);
    }

    /** A token for the dev app via its client secret (v2). */
    static String devToken(Sandbox sandbox, TestHttp http) {
        return devToken(sandbox, http, SCOPE);
    }

    /** A token of the dev app for {@code scope} (another service's audience: Fabric, storage). */
    static String devToken(Sandbox sandbox, TestHttp http, String scope) {
        TestHttp.Response r = http.postForm(
                sandbox.tokenEndpoint(Sandbox.DEV_TENANT_ID),
                TestHttp.form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        Sandbox.DEV_CLIENT_ID,
                        "client_secret",
                        sandbox.devClientSecret(),
                        "scope",
                        scope));
        assertEquals(200, r.status(), r.body());
        return r.json().get("access_token").asText();
    }

    /**
     * Asserts Entra's error shape (https://learn.microsoft.com/entra/identity-platform/reference-error-codes): status, error, error_codes, "AADSTS{code}: {message}" followed by the
     * Trace ID / Correlation ID / Timestamp suffix, and the separate fields. {@code message} is matched exactly when
     * {@code exact}, else as a prefix.
     */
    static JsonNode assertEntraError(
            TestHttp.Response r, int status, String error, int code, String message, boolean exact) {
        assertEquals(status, r.status(), r.body());
        JsonNode json = r.json();
        assertEquals(error, json.path("error").asText(), r.body());
        assertEquals(1, json.path("error_codes").size(), r.body());
        assertEquals(code, json.path("error_codes").get(0).asInt(), r.body());
        String description = json.path("error_description").asText();
        String head = "AADSTS" + code + ": " + message;
        if (exact) {
            String withoutSuffix = description.replaceFirst(SUFFIX.pattern(), "");
            assertEquals(head, withoutSuffix, "error_description");
        } else {
            assertTrue(description.startsWith(head), () -> "expected '" + head + "...' but was " + description);
        }
        assertTrue(SUFFIX.matcher(description).find(), () -> "no Trace/Correlation/Timestamp suffix: " + description);
        assertNotNull(json.get("timestamp"));
        assertTrue(json.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ"));
        assertTrue(json.path("trace_id").asText().matches("[0-9a-f-]{36}"));
        assertTrue(description.contains("Trace ID: " + json.path("trace_id").asText()));
        assertTrue(description.contains(
                "Correlation ID: " + json.path("correlation_id").asText()));
        assertEquals(
                "https://login.microsoftonline.com/error?code=" + code,
                json.path("error_uri").asText());
        return json;
    }
}
