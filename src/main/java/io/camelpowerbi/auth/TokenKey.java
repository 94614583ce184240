package io.camelpowerbi.auth;

/**
 * Identifies one cached token: authority (cloud), tenant, app, credential fingerprint (never the raw secret) and
 * scope or resource. Two endpoints with the same key share one token.
 */
public record TokenKey(String authorityHost, String tenantId, String clientId, String credentialFingerprint, String target) {
}
