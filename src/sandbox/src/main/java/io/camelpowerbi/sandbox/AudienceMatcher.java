package io.camelpowerbi.sandbox;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a client assertion's {@code aud} names the "Realm issuer": the token endpoint the request was POSTed
 * to, as the client addressed it (scheme, Host header, tenant segment, path). Strict by default, like ESTS
 * (https://learn.microsoft.com/entra/identity-platform/certificate-credentials): {@code localhost} and {@code 127.0.0.1} are different realms, as
 * {@code login.windows.net} and {@code login.microsoftonline.com} are.
 *
 * <p>Each lenient option accepts one unverified variant and logs when it was needed.
 */
final class AudienceMatcher {

    private static final Logger LOG = LoggerFactory.getLogger(AudienceMatcher.class);
    private static final Set<String> LOCAL_ALIASES = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
    static final String V2_PATH = "/oauth2/v2.0/token";
    static final String V1_PATH = "/oauth2/token";

    private final boolean lenientV1V2Path;
    private final boolean lenientHostAliases;
    private final boolean lenientTenantForms;
    private final boolean lenientIssuerForm;

    AudienceMatcher(SandboxConfig config) {
        this.lenientV1V2Path = config.lenientV1V2Path();
        this.lenientHostAliases = config.lenientHostAliases();
        this.lenientTenantForms = config.lenientTenantForms();
        this.lenientIssuerForm = config.lenientIssuerForm();
    }

    /**
     * @param scheme        scheme of the request
     * @param hostHeader    the Host the client addressed ({@code 127.0.0.1:8443})
     * @param tenantSegment the tenant segment of the request path, as sent
     * @param endpointPath  the path after the tenant segment ({@link #V2_PATH} or {@link #V1_PATH})
     * @param tenant        the tenant the segment resolved to
     * @return true if {@code aud} names this endpoint
     */
    boolean matches(
            String aud, String scheme, String hostHeader, String tenantSegment, String endpointPath, Tenant tenant) {
        URI audUri;
        URI requestUri;
        try {
            audUri = new URI(aud.trim());
            requestUri = new URI(scheme + "://" + hostHeader + "/");
        } catch (URISyntaxException e) {
            return false;
        }
        if (audUri.getScheme() == null
                || audUri.getHost() == null
                || audUri.getRawQuery() != null
                || audUri.getRawFragment() != null
                || audUri.getRawUserInfo() != null) {
            return false;
        }
        if (!audUri.getScheme().equalsIgnoreCase(scheme)) {
            return false;
        }
        if (port(audUri) != port(requestUri)) {
            return false;
        }
        String audHost = audUri.getHost().toLowerCase(Locale.ROOT);
        String requestHost = requestUri.getHost().toLowerCase(Locale.ROOT);
        boolean hostAlias = false;
        if (!audHost.equals(requestHost)) {
            if (lenientHostAliases && LOCAL_ALIASES.contains(audHost) && LOCAL_ALIASES.contains(requestHost)) {
                hostAlias = true;
            } else {
                return false;
            }
        }
        String path = audUri.getRawPath();
        if (path == null || !path.startsWith("/")) {
            return false;
        }
        int slash = path.indexOf('/', 1);
        String audTenant = slash < 0 ? path.substring(1) : path.substring(1, slash);
        String audRest = slash < 0 ? "" : path.substring(slash);
        // guess: tenant ids and domains compare case-insensitively (both are case-insensitive names in Entra)
        boolean tenantForm = false;
        if (!audTenant.equalsIgnoreCase(tenantSegment)) {
            if (lenientTenantForms && tenant.isNamedBy(audTenant)) {
                tenantForm = true;
            } else {
                return false;
            }
        }
        String leniency = null;
        if (!audRest.equalsIgnoreCase(endpointPath)) {
            String sibling = endpointPath.equals(V2_PATH) ? V1_PATH : V2_PATH;
            if (lenientV1V2Path && audRest.equalsIgnoreCase(sibling)) {
                leniency = "v1/v2 sibling path " + audRest;
            } else if (lenientIssuerForm && (audRest.equalsIgnoreCase("/v2.0") || audRest.equalsIgnoreCase("/v2.0/"))) {
                leniency = "issuer form /{tenant}/v2.0";
            } else {
                return false;
            }
        }
        if (hostAlias) {
            LOG.info(
                    "lenient audience match (lenientHostAliases): aud host {} accepted on {}; Entra would answer AADSTS700023",
                    audHost,
                    requestHost);
        }
        if (tenantForm) {
            LOG.info(
                    "lenient audience match (lenientTenantForms): aud tenant {} accepted for {}; Entra may answer AADSTS700023",
                    audTenant,
                    tenantSegment);
        }
        if (leniency != null) {
            LOG.info(
                    "lenient audience match ({}): {} accepted for {}; Entra may answer AADSTS700023",
                    leniency.startsWith("issuer") ? "lenientIssuerForm" : "lenientV1V2Path",
                    leniency,
                    endpointPath);
        }
        return true;
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }
}
