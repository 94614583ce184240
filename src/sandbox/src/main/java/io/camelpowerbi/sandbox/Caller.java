package io.camelpowerbi.sandbox;

import java.time.Instant;
import java.util.List;

/**
 * The authenticated caller of a request: a service principal of a tenant, from a validated bearer token.
 *
 * @param isApp an app-only token ({@code idtyp: app}): the tenant's service-principal switches apply
 */
public record Caller(
        Tenant tenant,
        String appId,
        String objectId,
        List<String> roles,
        Instant tokenExpiresAt,
        String audience,
        boolean isApp) {

    public Caller {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    /** An app-only caller. */
    public Caller(
            Tenant tenant, String appId, String objectId, List<String> roles, Instant tokenExpiresAt, String audience) {
        this(tenant, appId, objectId, roles, tokenExpiresAt, audience, true);
    }
}
