package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The managed identity endpoint of an Azure host, in its two forms, on a listener of its own (plain HTTP on loopback,
 * as both are on Azure: {@code http://169.254.169.254} and {@code http://127.0.0.1:PORT/msi/token}):
 * <ul>
 * <li><b>App Service</b> ({@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER}):
 * {@code GET /msi/token?api-version=2019-08-01&resource=...} with header {@code X-IDENTITY-HEADER}; answers
 * {@code {"access_token","expires_on","resource","token_type","client_id"}}, {@code expires_on} in epoch seconds as a
 * string (https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference).</li>
 * <li><b>IMDS</b> (a VM; azure-identity's {@code AZURE_POD_IDENTITY_AUTHORITY_HOST} points there):
 * {@code GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=...} with header {@code Metadata: true};
 * without it 400 {@code bad_request_102} "Required metadata header not specified", an unknown resource 400
 * {@code invalid_resource} AADSTS50001, errors as {@code {"error","error_description"}}
 * (https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token).</li>
 * </ul>
 * The identity is the host's system-assigned one ({@link Sandbox#DEV_MANAGED_IDENTITY_CLIENT_ID}), or a user-assigned
 * one named by {@code client_id}, {@code object_id} ({@code principal_id}) or {@code mi_res_id} ({@code msi_res_id}; its
 * last segment is the identity's display name) among those {@link #assign assigned} to the host. Its tokens are app-only
 * tokens of that service principal, like the token endpoint's, so Power BI takes them as a service principal's.
 */
final class ManagedIdentityEndpoint {

    static final String APP_SERVICE_PATH = "/msi/token";
    static final String IMDS_PATH = "/metadata/identity/oauth2/token";
    private static final Logger LOG = LoggerFactory.getLogger(ManagedIdentityEndpoint.class);

    private final SandboxConfig config;
    private final SandboxState state;
    private final AccessTokenIssuer issuer;
    private final String identityHeader;
    private final Set<String> assigned = ConcurrentHashMap.newKeySet();

    ManagedIdentityEndpoint(SandboxConfig config, SandboxState state, AccessTokenIssuer issuer) {
        this.config = config;
        this.state = state;
        this.issuer = issuer;
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        // a secret of this run, as App Service hands its process one: a caller elsewhere cannot ask for tokens
        this.identityHeader = HexFormat.of().formatHex(random);
    }

    void register(Router router) {
        router.get(APP_SERVICE_PATH, this::appService);
        router.get(IMDS_PATH, this::imds);
    }

    /** The value of {@code IDENTITY_HEADER}. Never log it. */
    String identityHeader() {
        return identityHeader;
    }

    /** Assigns a user-assigned identity (an app of the tenant, by client id) to the host. */
    void assign(String clientId) {
        assigned.add(clientId.toLowerCase(Locale.ROOT));
    }

    private void appService(SandboxExchange ex) throws IOException {
        String presented = ex.header("X-IDENTITY-HEADER");
        if (presented == null
                || !MessageDigest.isEqual(
                        presented.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        identityHeader.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            // guess: App Service documents the header, not its refusal; 400 with the OAuth error shape MSAL reads
            throw error(
                    400,
                    "invalid_request",
                    "The X-IDENTITY-HEADER header is missing or is not this host's" + " IDENTITY_HEADER.");
        }
        if (!"2019-08-01".equals(ex.query("api-version"))) {
            // guess: Learn says "Use 2019-08-01"; the refusal of another version is not documented
            throw error(400, "invalid_request", "api-version must be 2019-08-01.");
        }
        Token token = issue(
                ex,
                ex.query("object_id") != null ? ex.query("object_id") : ex.query("principal_id"),
                ex.query("mi_res_id"));
        ObjectNode body = Json.object();
        body.put("access_token", token.issued().jwt());
        body.put("expires_on", String.valueOf(token.issued().expiresAt().getEpochSecond()));
        body.put("resource", token.resource());
        body.put("token_type", "Bearer");
        body.put("client_id", token.app().clientId());
        ex.sendJson(200, body);
    }

    private void imds(SandboxExchange ex) throws IOException {
        if (!"true".equals(ex.header("Metadata"))) {
            throw error(400, "bad_request_102", "Required metadata header not specified");
        }
        String version = ex.query("api-version");
        if (version == null || version.compareTo("2018-02-01") < 0) {
            // guess: "Use API version 2018-02-01 or greater"; the refusal's shape is not documented
            throw error(400, "invalid_request", "api-version must be 2018-02-01 or later.");
        }
        Token token = issue(ex, ex.query("object_id"), ex.query("msi_res_id"));
        long lifetime = token.issued().expiresAt().getEpochSecond() - ex.now().getEpochSecond();
        ObjectNode body = Json.object();
        body.put("access_token", token.issued().jwt());
        body.put("client_id", token.app().clientId());
        body.put("expires_in", String.valueOf(lifetime));
        body.put("expires_on", String.valueOf(token.issued().expiresAt().getEpochSecond()));
        body.put("ext_expires_in", String.valueOf(lifetime));
        body.put("not_before", String.valueOf(token.issued().notBefore().getEpochSecond()));
        body.put("resource", token.resource());
        body.put("token_type", "Bearer");
        ex.sendJson(200, body);
    }

    private record Token(AccessTokenIssuer.IssuedToken issued, App app, String resource) {}

    private Token issue(SandboxExchange ex, String objectId, String resourceId) {
        String resource = ex.query("resource");
        if (resource == null || resource.isBlank()) {
            throw error(400, "invalid_request", "The request is missing the resource parameter.");
        }
        Tenant tenant = state.tenant(Sandbox.DEV_TENANT_ID)
                .orElseGet(() -> state.tenants().get(0));
        App app = identity(tenant, ex.query("client_id"), objectId, resourceId)
                .orElseThrow(() -> error(400, "invalid_request", "Identity not found"));
        String known = config.knownResources().stream()
                .filter(r -> key(r).equals(key(resource)))
                .findFirst()
                .orElseThrow(() -> error(
                        400,
                        "invalid_resource",
                        "AADSTS50001: The application named " + resource + " was not found in the tenant named "
                                + tenant.id() + "."));
        Instant now = ex.now();
        // appidacr 2: a managed identity proves itself to Entra with a certificate the platform holds
        AccessTokenIssuer.IssuedToken issued = issuer.issue(tenant, app, known, true, now);
        LOG.info(
                "managed identity token issued to {} ({}) for {} via {}",
                app.clientId(),
                app.displayName(),
                known,
                ex.path());
        return new Token(issued, app, known);
    }

    /** The system-assigned identity, or the user-assigned one named, if it is assigned to this host. */
    private Optional<App> identity(Tenant tenant, String clientId, String objectId, String resourceId) {
        if (clientId == null && objectId == null && resourceId == null) {
            return tenant.app(Sandbox.DEV_MANAGED_IDENTITY_CLIENT_ID);
        }
        return tenant.apps().stream()
                .filter(a ->
                        a.clientId().equals(Sandbox.DEV_MANAGED_IDENTITY_CLIENT_ID) || assigned.contains(a.clientId()))
                .filter(a -> clientId != null
                        ? a.clientId().equalsIgnoreCase(clientId)
                        : objectId != null
                                ? a.objectId().equalsIgnoreCase(objectId)
                                : resourceId
                                        .substring(resourceId.lastIndexOf('/') + 1)
                                        .equalsIgnoreCase(a.displayName()))
                .filter(App::enabled)
                .findFirst();
    }

    private static String key(String resource) {
        String r = resource.trim().toLowerCase(Locale.ROOT);
        return r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
    }

    /** {@code {"error": code, "error_description": text}}, the shape of both endpoints' refusals. */
    private static SandboxHttpException error(int status, String code, String description) {
        return new SandboxHttpException(description) {
            @Override
            public int status() {
                return status;
            }

            @Override
            public void writeTo(SandboxExchange exchange) throws IOException {
                LOG.info("managed identity request {} refused: {} {}", exchange.path(), status, code);
                exchange.sendJson(status, Json.object().put("error", code).put("error_description", description));
            }
        };
    }
}
