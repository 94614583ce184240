package io.camelpowerbi.auth;

/**
 * Identifies one cached token by everything that changes the token request: authority (cloud), tenant, app,
 * credential fingerprint (never the raw secret), endpoint version, scope or resource, and for a certificate the shape
 * of its assertions (algorithm, {@code x5c}, {@code x5t}). Two endpoints with the same key share one token.
 *
 * @param assertion {@link AssertionSigner#shape()} for a certificate credential; empty for credentials that send no
 *                  assertion of ours (secret, federated assertion file)
 */
public record TokenKey(
        String authorityHost,
        String tenantId,
        String clientId,
        String credentialFingerprint,
        TokenEndpointVersion version,
        String target,
        String assertion) {}
