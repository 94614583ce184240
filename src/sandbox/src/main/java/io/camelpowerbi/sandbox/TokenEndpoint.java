package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /{tenant}/oauth2/v2.0/token} and {@code POST /{tenant}/oauth2/token}: the client-credentials grant with
 * a client secret (body or HTTP Basic) or a certificate-signed client assertion.
 *
 * <p>Checks run in this order: parameters and grant type, tenant segment, scope/resource shape, app, credential,
 * resource principal. Every rejection is logged with its AADSTS code; secrets, assertions and tokens never are.
 */
final class TokenEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "email", "offline_access");

    private final SandboxConfig config;
    private final SandboxState state;
    private final AssertionValidator assertionValidator;
    private final AccessTokenIssuer issuer;

    TokenEndpoint(
            SandboxConfig config, SandboxState state, AssertionValidator assertionValidator, AccessTokenIssuer issuer) {
        this.config = config;
        this.state = state;
        this.assertionValidator = assertionValidator;
        this.issuer = issuer;
    }

    void register(Router router) {
        router.post("/{tenant}/oauth2/v2.0/token", ex -> handle(ex, true));
        router.post("/{tenant}/oauth2/token", ex -> handle(ex, false));
    }

    private void handle(SandboxExchange ex, boolean v2) throws IOException {
        EntraEndpoints.standardHeaders(ex);
        String segment = ex.pathParam("tenant");
        try {
            ObjectNode response = process(ex, v2, segment);
            ex.sendJson(200, response);
        } catch (EntraException e) {
            LOG.info("token request rejected on {}: {}", ex.path(), e.error().description());
            throw e;
        }
    }

    private ObjectNode process(SandboxExchange ex, boolean v2, String segment) throws IOException {
        Map<String, String> form = ex.form();
        // parameter names only: their values include secrets and assertions
        LOG.debug("token request {} {} (v{}), parameters {}", ex.method(), ex.path(), v2 ? "2" : "1", form.keySet());

        String grantType = blankToNull(form.get("grant_type"));
        if (grantType == null) {
            throw EntraError.missingParameter("grant_type").exception();
        }
        if (!"client_credentials".equals(grantType)) {
            throw EntraError.unsupportedGrantType(grantType).exception();
        }

        String lowerSegment = segment.toLowerCase(Locale.ROOT);
        if (lowerSegment.equals("common") || lowerSegment.equals("consumers") || lowerSegment.equals("organizations")) {
            throw EntraError.commonEndpoint().exception();
        }
        Tenant tenant = state.tenant(segment)
                .orElseThrow(() -> EntraError.tenantNotFound(segment).exception());

        BasicCredentials basic = BasicCredentials.parse(ex.header("Authorization"));
        String clientId = blankToNull(form.get("client_id"));
        if (clientId == null && basic != null) {
            clientId = basic.clientId();
        }
        if (clientId == null) {
            throw EntraError.missingParameter("client_id").exception();
        }

        String resource = v2 ? resourceFromScope(form) : resourceFromResourceParameter(form);

        String requestedClientId = clientId;
        App app = tenant.app(clientId)
                .orElseThrow(() -> EntraError.applicationNotFound(requestedClientId, tenant.displayName())
                        .exception());
        if (!app.enabled()) {
            throw EntraError.applicationDisabled().exception();
        }

        String assertion = blankToNull(form.get("client_assertion"));
        String secret = blankToNull(form.get("client_secret"));
        if (secret == null && basic != null) {
            secret = basic.secret();
        }
        boolean certificate;
        String credentialDescription;
        if (assertion != null) {
            // guess: when both an assertion and a secret are sent, the assertion is what counts
            String type = blankToNull(form.get("client_assertion_type"));
            if (type == null) {
                throw EntraError.missingParameter("client_assertion_type").exception();
            }
            if (!AssertionValidator.ASSERTION_TYPE.equals(type)) {
                throw EntraError.unexpectedAssertionType().exception();
            }
            AssertionValidator.Result result = assertionValidator.validate(
                    assertion,
                    new AssertionValidator.Context(
                            ex.scheme(),
                            ex.host(),
                            segment,
                            v2 ? AudienceMatcher.V2_PATH : AudienceMatcher.V1_PATH,
                            tenant,
                            app,
                            app.clientId(),
                            ex.now()));
            certificate = true;
            credentialDescription = "certificate " + result.key().thumbprints().sha1Hex() + " (" + result.algorithm()
                    + ", " + result.thumbprintHeader() + ")";
        } else if (secret != null) {
            checkSecret(app, secret, ex);
            certificate = false;
            credentialDescription = "client secret";
        } else {
            throw EntraError.missingCredential().exception();
        }

        String canonicalResource = knownResource(resource);
        if (canonicalResource == null) {
            throw EntraError.resourceNotFound(resource, tenant.displayName()).exception();
        }

        AccessTokenIssuer.IssuedToken token = issuer.issue(tenant, app, canonicalResource, certificate, ex.now());
        LOG.info(
                "token issued to app {} ({}) of tenant {} for resource {} with {} via the v{} endpoint",
                app.clientId(),
                app.displayName(),
                tenant.id(),
                canonicalResource,
                credentialDescription,
                v2 ? "2" : "1");
        return v2 ? v2Response(token) : v1Response(token, canonicalResource);
    }

    private void checkSecret(App app, String presented, SandboxExchange ex) {
        for (ClientSecret candidate : app.secrets()) {
            if (candidate.matches(presented)) {
                if (candidate.isExpired(ex.now())) {
                    throw EntraError.secretExpired(app.clientId()).exception();
                }
                return;
            }
        }
        throw EntraError.invalidSecret(app.clientId()).exception();
    }

    private static String resourceFromScope(Map<String, String> form) {
        if (form.containsKey("resource")) {
            throw EntraError.resourceNotSupported().exception();
        }
        String scope = blankToNull(form.get("scope"));
        if (scope == null) {
            throw EntraError.missingParameter("scope").exception();
        }
        Set<String> resources = new LinkedHashSet<>();
        List<String> oidc = new ArrayList<>();
        for (String s : scope.trim().split("\\s+")) {
            if (OIDC_SCOPES.contains(s.toLowerCase(Locale.ROOT))) {
                // guess: OIDC scopes beside a /.default scope are ignored for client credentials
                oidc.add(s);
            } else if (s.endsWith("/.default") && s.length() > "/.default".length()) {
                resources.add(s.substring(0, s.length() - "/.default".length()));
            } else {
                throw EntraError.scopeWithoutDefault(s).exception();
            }
        }
        if (resources.isEmpty()) {
            throw EntraError.scopeWithoutDefault(oidc.get(0)).exception();
        }
        if (resources.stream().map(TokenEndpoint::resourceKey).distinct().count() > 1) {
            throw EntraError.multipleResources().exception();
        }
        return resources.iterator().next();
    }

    private static String resourceFromResourceParameter(Map<String, String> form) {
        String resource = blankToNull(form.get("resource"));
        if (resource == null) {
            // guess: the v1 endpoint names the missing parameter like 900144 does on v2
            throw EntraError.missingParameter("resource").exception();
        }
        return resource.trim();
    }

    /** The configured spelling of a known resource, or null. guess: case and a trailing slash do not matter. */
    private String knownResource(String resource) {
        String key = resourceKey(resource);
        for (String known : config.knownResources()) {
            if (resourceKey(known).equals(key)) {
                return known;
            }
        }
        return null;
    }

    private static String resourceKey(String resource) {
        String r = resource.trim().toLowerCase(Locale.ROOT);
        return r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
    }

    private ObjectNode v2Response(AccessTokenIssuer.IssuedToken token) {
        ObjectNode body = Json.object();
        body.put("token_type", "Bearer");
        body.put("expires_in", config.tokenLifetimeSeconds());
        body.put("ext_expires_in", config.tokenLifetimeSeconds());
        if (config.refreshInSeconds() != null) {
            body.put("refresh_in", config.refreshInSeconds());
        }
        body.put("access_token", token.jwt());
        return body;
    }

    private ObjectNode v1Response(AccessTokenIssuer.IssuedToken token, String resource) {
        // v1 writes every number as a string
        ObjectNode body = Json.object();
        body.put("token_type", "Bearer");
        body.put("expires_in", String.valueOf(config.tokenLifetimeSeconds()));
        body.put("ext_expires_in", String.valueOf(config.tokenLifetimeSeconds()));
        body.put("expires_on", String.valueOf(token.expiresAt().getEpochSecond()));
        body.put("not_before", String.valueOf(token.notBefore().getEpochSecond()));
        body.put("resource", resource);
        body.put("access_token", token.jwt());
        return body;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** HTTP Basic client authentication (RFC 6749 §2.3.1: both parts form-urlencoded before base64). */
    record BasicCredentials(String clientId, String secret) {
        static BasicCredentials parse(String header) {
            if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return null;
            }
            try {
                String decoded = new String(
                        Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    return null;
                }
                return new BasicCredentials(
                        SandboxExchange.decode(decoded.substring(0, colon)),
                        SandboxExchange.decode(decoded.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return "BasicCredentials[clientId=" + clientId + ", secret=***]";
        }
    }
}
