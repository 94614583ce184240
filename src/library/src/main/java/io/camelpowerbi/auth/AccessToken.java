package io.camelpowerbi.auth;

import java.time.Duration;
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

    /**
     * A token issued at {@code issued}, refreshed {@code margin} before it expires; a token living less than twice the
     * margin at half-life instead, so it is not fetched again on every call; and at {@code issuerRefreshAt} when the
     * issuer asked for a refresh sooner ({@code refresh_in}; null when it did not).
     */
    public static AccessToken issued(
            String value, Instant issued, Instant expiresAt, Duration margin, Instant issuerRefreshAt) {
        Duration lifetime = Duration.between(issued, expiresAt);
        Instant refreshAt = lifetime.compareTo(margin.multipliedBy(2)) > 0
                ? expiresAt.minus(margin)
                : issued.plus(lifetime.dividedBy(2));
        if (issuerRefreshAt != null && issuerRefreshAt.isBefore(refreshAt)) {
            refreshAt = issuerRefreshAt;
        }
        return new AccessToken(value, expiresAt, refreshAt);
    }

    public boolean isValidAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "AccessToken[expiresAt=" + expiresAt + ", refreshAt=" + refreshAt + ", value=***]";
    }
}
