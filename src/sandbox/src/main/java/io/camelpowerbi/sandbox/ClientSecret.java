package io.camelpowerbi.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * A client secret registered on an app, with its optional expiry. Only a SHA-256 digest of the value is kept, so
 * neither {@code toString()}, a heap dump of the state, nor the state endpoint can show it.
 */
public record ClientSecret(String id, byte[] digest, Instant expiresAt) {

    public static ClientSecret of(String id, String value, Instant expiresAt) {
        return new ClientSecret(id, hash(value), expiresAt);
    }

    /** Constant-time comparison with a presented secret. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, hash(presented));
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    private static byte[] hash(String value) {
        return Thumbprints.digest("SHA-256", value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ClientSecret[id=" + id + ", expiresAt=" + expiresAt + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientSecret other && id.equals(other.id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
