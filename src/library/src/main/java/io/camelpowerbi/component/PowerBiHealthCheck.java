package io.camelpowerbi.component;

import io.camelpowerbi.auth.TokenProvider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The component's readiness checks, over its started endpoints: {@link Aspect#TOKEN_ENGINE} (every token provider in
 * use holds a valid token or can get one) and {@link Aspect#API} (Power BI answered the last call, or a light call).
 * Registered by {@link PowerBiComponent} when camel-health is present. Readiness only: a tenant that refuses tokens
 * is no reason to restart the application.
 */
final class PowerBiHealthCheck implements HealthCheck {

    enum Aspect {
        TOKEN_ENGINE("token-engine"),
        API("api-reachable");

        final String suffix;

        Aspect(String suffix) {
            this.suffix = suffix;
        }
    }

    private final PowerBiComponent component;
    private final Aspect aspect;
    private final String id;
    private final Clock clock;
    private volatile boolean enabled = true;

    PowerBiHealthCheck(PowerBiComponent component, String scheme, Aspect aspect, Clock clock) {
        this.component = component;
        this.aspect = aspect;
        this.id = scheme + "-" + aspect.suffix;
        this.clock = clock;
    }

    @Override
    public String getGroup() {
        return "powerbi";
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this);
        builder.detail(CHECK_KIND, Kind.READINESS);
        if (!enabled) {
            return builder.detail(CHECK_ENABLED, false)
                    .message("Disabled")
                    .unknown()
                    .build();
        }
        List<PowerBiEndpoint> endpoints = component.startedEndpoints();
        builder.detail("powerbi.endpoints", endpoints.size());
        if (endpoints.isEmpty()) {
            return builder.message("no powerbi endpoint is started").up().build();
        }
        List<String> problems = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        if (aspect == Aspect.TOKEN_ENGINE) {
            Set<TokenProvider> providers = Collections.newSetFromMap(new IdentityHashMap<>());
            endpoints.forEach(e -> providers.add(e.tokenProvider()));
            details.put("powerbi.token.providers", providers.size());
            List<String> warnings = new ArrayList<>();
            for (TokenProvider tokens : providers) {
                String problem = PowerBiReadiness.tokenProblem(tokens, clock);
                if (problem != null) {
                    problems.add(problem);
                } else if (PowerBiReadiness.refreshProblem(tokens) != null) {
                    warnings.add(PowerBiReadiness.refreshProblem(tokens));
                }
            }
            if (problems.isEmpty() && !warnings.isEmpty()) {
                builder.message(String.join("\n", warnings));
            }
        } else {
            String problem = PowerBiReadiness.apiProblem(
                    component.apiStatus(), endpoints.get(0).probeClient(), clock);
            if (problem != null) {
                problems.add(problem);
            }
            details.put("powerbi.api.url", endpoints.get(0).getConfiguration().effectiveApiBaseUrl());
            PowerBiReadiness.lastCallDetails(component.apiStatus(), details);
        }
        builder.details(details);
        if (problems.isEmpty()) {
            return builder.up().build();
        }
        return builder.message(String.join("\n", problems)).down().build();
    }
}
