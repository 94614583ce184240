package io.camelpowerbi.auth;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Where and as whom to get tokens: authority host, tenant, app, credential, endpoint version and audience (Power BI's
 * by default; {@link #withResource(String)} for another service's).
 * The token URL is derived here and only here, and the same string becomes the assertion's {@code aud}.
 *
 * @param authorityHost e.g. {@code https://login.microsoftonline.com}; a sandbox or proxy URL is fine
 * @param resource      the token audience, e.g. {@code https://analysis.windows.net/powerbi/api}
 */
public record TokenSource(
        String authorityHost,
        String tenantId,
        String clientId,
        ClientCredential credential,
        TokenEndpointVersion version,
        String resource) {

    private static final Set<String> MULTI_TENANT = Set.of("common", "consumers", "organizations");

    public TokenSource {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(version, "version");
        authorityHost = trimSlash(
                require(authorityHost, "authorityHost", "e.g. https://login.microsoftonline.com, or choose a cloud"));
        tenantId = require(
                tenantId, "tenantId", "use the directory (tenant) id GUID from the app registration's overview");
        clientId = require(
                clientId, "clientId", "use the application (client) id GUID from the app registration's overview");
        resource = trimSlash(require(resource, "resource", "e.g. https://analysis.windows.net/powerbi/api"));
        if (MULTI_TENANT.contains(tenantId.toLowerCase(Locale.ROOT))) {
            // Entra answers AADSTS9001023; saying so before the request is kinder.
            throw new CredentialException(
                    "tenantId",
                    "'" + tenantId + "' cannot issue app-only tokens",
                    "use your tenant id GUID or domain (e.g. contoso.onmicrosoft.com)");
        }
    }

    /** The same app and credential asking for another audience ({@link Audience#resourceOf(String)} of {@code other}). */
    public TokenSource withResource(String other) {
        return new TokenSource(authorityHost, tenantId, clientId, credential, version, Audience.resourceOf(other));
    }

    /** The exact URL token requests are posted to, and the {@code aud} of every assertion sent there. */
    public String tokenUrl() {
        return authorityHost + "/" + tenantId + version.path();
    }

    /** The v2 scope for app-only tokens. */
    public String scope() {
        return resource + "/.default";
    }

    /** The cache key of tokens from this source, requested with assertions {@code signer} makes. */
    public TokenKey key(AssertionSigner signer) {
        return new TokenKey(
                authorityHost,
                tenantId,
                clientId,
                credential.fingerprint(),
                version,
                version == TokenEndpointVersion.V2 ? scope() : resource,
                credential instanceof ClientCertificate ? signer.shape() : "");
    }

    private static String require(String value, String option, String fix) {
        if (value == null || value.isBlank()) {
            throw new CredentialException(option, "is not set", fix);
        }
        return value.trim();
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
