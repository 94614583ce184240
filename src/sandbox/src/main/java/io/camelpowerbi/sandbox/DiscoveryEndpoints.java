package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenID discovery documents, JWKS and instance discovery, built from the Host each request came to so that clients
 * (MSAL's AAD or OIDC authority, azure-identity, curl) find endpoints that answer on the same address.
 */
final class DiscoveryEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryEndpoints.class);
    private static final Set<String> MULTI_TENANT = Set.of("common", "organizations", "consumers");
    private static final List<String> LOCAL_HOSTS = List.of("127.0.0.1", "localhost", "[::1]");

    private final SandboxState state;
    private final SigningKey signingKey;

    DiscoveryEndpoints(SandboxState state, SigningKey signingKey) {
        this.state = state;
        this.signingKey = signingKey;
    }

    void register(Router router) {
        router.get("/{tenant}/v2.0/.well-known/openid-configuration", ex -> openidConfiguration(ex, true));
        router.get("/{tenant}/.well-known/openid-configuration", ex -> openidConfiguration(ex, false));
        router.get("/{tenant}/discovery/v2.0/keys", this::keys);
        router.get("/{tenant}/discovery/keys", this::keys);
        router.get("/discovery/keys", this::keys);
        router.get("/common/discovery/instance", this::instanceDiscovery);
        router.get("/common/discovery/v2.0/instance", this::instanceDiscovery);
    }

    private void openidConfiguration(SandboxExchange ex, boolean v2) throws IOException {
        EntraEndpoints.standardHeaders(ex);
        String segment = ex.pathParam("tenant");
        String tid;
        if (MULTI_TENANT.contains(segment.toLowerCase(Locale.ROOT))) {
            // Entra's multi-tenant documents carry a template in place of the tenant id
            tid = "{tenantid}";
        } else {
            Tenant tenant = state.tenant(segment).orElse(null);
            if (tenant == null) {
                EntraError e = EntraError.tenantNotFound(segment);
                // the live discovery endpoint says invalid_tenant (azure-cli #22145)
                ex.sendJson(
                        400,
                        new EntraError(400, "invalid_tenant", e.code(), e.message())
                                .toJson(ex.requestId(), ex.correlationId(), ex.now()));
                return;
            }
            tid = tenant.id();
        }
        String origin = ex.origin();
        String pathTenant = tid.startsWith("{") ? segment.toLowerCase(Locale.ROOT) : tid;
        ObjectNode doc = Json.object();
        if (v2) {
            doc.put("token_endpoint", origin + "/" + pathTenant + "/oauth2/v2.0/token");
            doc.putArray("token_endpoint_auth_methods_supported")
                    .add("client_secret_post")
                    .add("private_key_jwt")
                    .add("client_secret_basic");
            doc.put("jwks_uri", origin + "/" + pathTenant + "/discovery/v2.0/keys");
            doc.putArray("response_modes_supported")
                    .add("query")
                    .add("fragment")
                    .add("form_post");
            doc.putArray("subject_types_supported").add("pairwise");
            doc.putArray("id_token_signing_alg_values_supported").add("RS256");
            doc.putArray("response_types_supported")
                    .add("code")
                    .add("id_token")
                    .add("code id_token")
                    .add("id_token token");
            doc.putArray("scopes_supported")
                    .add("openid")
                    .add("profile")
                    .add("email")
                    .add("offline_access");
            doc.put("issuer", origin + "/" + tid + "/v2.0");
            doc.put("request_uri_parameter_supported", false);
            doc.put("authorization_endpoint", origin + "/" + pathTenant + "/oauth2/v2.0/authorize");
            doc.put("device_authorization_endpoint", origin + "/" + pathTenant + "/oauth2/v2.0/devicecode");
            doc.put("end_session_endpoint", origin + "/" + pathTenant + "/oauth2/v2.0/logout");
        } else {
            doc.put("token_endpoint", origin + "/" + pathTenant + "/oauth2/token");
            doc.putArray("token_endpoint_auth_methods_supported")
                    .add("client_secret_post")
                    .add("private_key_jwt")
                    .add("client_secret_basic");
            doc.put("jwks_uri", origin + "/common/discovery/keys");
            doc.putArray("response_modes_supported")
                    .add("query")
                    .add("fragment")
                    .add("form_post");
            doc.putArray("subject_types_supported").add("pairwise");
            doc.putArray("id_token_signing_alg_values_supported").add("RS256");
            doc.putArray("response_types_supported")
                    .add("code")
                    .add("id_token")
                    .add("code id_token")
                    .add("token id_token")
                    .add("token");
            doc.putArray("scopes_supported").add("openid");
            // v1 tokens (and Power BI's access tokens) are issued by sts.windows.net
            doc.put("issuer", AccessTokenIssuer.issuer(tid));
            doc.put("authorization_endpoint", origin + "/" + pathTenant + "/oauth2/authorize");
        }
        doc.put("http_logout_supported", true);
        doc.put("frontchannel_logout_supported", true);
        doc.putArray("claims_supported")
                .add("sub")
                .add("iss")
                .add("aud")
                .add("exp")
                .add("iat")
                .add("tid")
                .add("oid")
                .add("appid")
                .add("roles");
        doc.put("tenant_region_scope", "EU");
        doc.put("cloud_instance_name", "sandbox");
        doc.put("cloud_graph_host_name", "graph.windows.net");
        doc.put("msgraph_host", "graph.microsoft.com");
        ex.sendJson(200, doc);
    }

    private void keys(SandboxExchange ex) throws IOException {
        EntraEndpoints.standardHeaders(ex);
        ObjectNode doc = Json.object();
        doc.putArray("keys").add(signingKey.jwk(null));
        ex.sendJson(200, doc);
    }

    /**
     * {@code GET /common/discovery/instance?api-version=1.1&authorization_endpoint=...}. The aliases let MSAL find a
     * cached token for an authority with a port (https://github.com/AzureAD/microsoft-authentication-library-for-java/issues/529): MSAL keeps {@code preferred_network}
     * as the host and re-adds the port itself, so it is given without one.
     */
    private void instanceDiscovery(SandboxExchange ex) throws IOException {
        EntraEndpoints.standardHeaders(ex);
        String authorizationEndpoint = ex.query("authorization_endpoint");
        if (authorizationEndpoint == null || authorizationEndpoint.isBlank()) {
            throw EntraError.missingParameter("authorization_endpoint").exception();
        }
        URI uri;
        try {
            uri = new URI(authorizationEndpoint.trim());
        } catch (URISyntaxException e) {
            throw EntraError.unknownInstance().exception();
        }
        URI self;
        try {
            self = new URI(ex.origin() + "/");
        } catch (URISyntaxException e) {
            throw EntraError.unknownInstance().exception();
        }
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        boolean known = host != null && (LOCAL_HOSTS.contains(host) || host.equalsIgnoreCase(self.getHost()));
        if (!known) {
            LOG.info("instance discovery refused for unknown host {}", host);
            throw EntraError.unknownInstance().exception();
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : self.getPort();
        String authority = host + (port >= 0 ? ":" + port : "");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String tenant = path.length() > 1 ? path.substring(1).split("/")[0] : "common";
        ObjectNode doc = Json.object();
        doc.put(
                "tenant_discovery_endpoint",
                uri.getScheme() + "://" + authority + "/" + tenant + "/v2.0/.well-known/openid-configuration");
        doc.put("api-version", "1.1");
        ArrayNode metadata = doc.putArray("metadata");
        ObjectNode entry = metadata.addObject();
        entry.put("preferred_network", host);
        entry.put("preferred_cache", host);
        Set<String> aliases = new LinkedHashSet<>();
        aliases.add(host);
        if (port >= 0) {
            aliases.add(host + ":" + port);
        }
        for (String local : LOCAL_HOSTS) {
            aliases.add(local);
            if (port >= 0) {
                aliases.add(local + ":" + port);
            }
        }
        ArrayNode aliasArray = entry.putArray("aliases");
        aliases.forEach(aliasArray::add);
        ex.sendJson(200, doc);
    }
}
