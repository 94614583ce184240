package io.camelpowerbi.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A bearer token with the instants that govern its use. Immutable, so a cache can publish it through one volatile
 * field. {@link #toString()} never shows the token itself.
 *
 * @param value     the bearer token; put it on an HTTP request to the Power BI host and nowhere else
 * @param expiresAt when the token stops being accepted
 * @param refreshAt when a new token should be fetched ahead of expiry
 */
public record AccessToken(String value, Instant expiresAt, Instant refreshAt) {

    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(refreshAt, "refreshAt");
    }

    public boolean isValidAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "AccessToken[expiresAt=" + expiresAt + ", refreshAt=" + refreshAt + ", value=***]";
    }
}
