package io.camelpowerbi.auth;

/**
 * Where the Power BI client gets its bearer tokens. The component's own implementation is {@link RefreshingToken};
 * users may bind their own bean (for instance one backed by azure-identity) with the {@code tokenProvider} option.
 */
public interface TokenProvider {

    /** A token valid now; blocks only when no valid token is at hand. */
    AccessToken getToken();

    /**
     * Power BI refused {@code rejected} as expired or invalid: forget it so the next {@link #getToken()} fetches a new
     * one. Implementations ignore a token that was already replaced, so concurrent callers cause one fetch.
     */
    default void invalidate(AccessToken rejected) {}
}
