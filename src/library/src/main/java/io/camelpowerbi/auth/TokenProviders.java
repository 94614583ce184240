package io.camelpowerbi.auth;

/**
 * The tokens of one credential for any audience: one {@link TokenProvider} per resource, each cached and refreshed on
 * its own (the cache key holds the scope). The component's own implementation is {@link TokenCache#providers}; a
 * {@code tokenProvider} bean that also implements this interface serves every audience (Power BI, Fabric, OneLake
 * storage, SQL), one that does not serves Power BI only.
 */
@FunctionalInterface
public interface TokenProviders {

    /** Tokens for {@code resource}, e.g. {@code https://storage.azure.com} (a scope is taken too). */
    TokenProvider forResource(String resource);

    /** Tokens for {@code audience} in {@code cloud}. */
    default TokenProvider forAudience(Audience audience, Cloud cloud) {
        return forResource(audience.resource(cloud));
    }
}
