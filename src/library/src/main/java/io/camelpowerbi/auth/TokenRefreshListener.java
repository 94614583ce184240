package io.camelpowerbi.auth;

/**
 * Hears how token requests to Entra end, for metrics; never sees a token, secret or assertion. Called on the refresh
 * thread: implementations must be quick and must not throw.
 */
public interface TokenRefreshListener {

    TokenRefreshListener NONE = new TokenRefreshListener() {};

    /** Entra issued a token (the first one, or a refresh). */
    default void refreshed() {}

    /** A token request failed; {@code failure}'s message says what to fix and holds no secret. */
    default void refreshFailed(RuntimeException failure) {}
}
