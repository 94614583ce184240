package io.camelpowerbi.sandbox;

import java.time.Instant;
import java.util.List;

/** The authenticated caller of a Power BI request: a service principal of a tenant, from a validated bearer token. */
public record Caller(Tenant tenant, String appId, String objectId, List<String> roles, Instant tokenExpiresAt,
        String audience) {

    public Caller {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
