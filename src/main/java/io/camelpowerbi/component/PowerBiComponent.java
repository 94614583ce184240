package io.camelpowerbi.component;

import io.camelpowerbi.auth.TokenCache;
import io.camelpowerbi.push.RateLimiters;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

import java.time.Clock;
import java.util.Map;

/**
 * The {@code powerbi:} component. It owns the token cache, so all its endpoints with the same tenant, app,
 * credential and scope share one token and one refresh.
 */
@Component("powerbi")
public class PowerBiComponent extends HealthCheckComponent {

    @Metadata(description = "Component-wide defaults for every endpoint's options.")
    private PowerBiConfiguration configuration = new PowerBiConfiguration();

    private TokenCache tokenCache;
    // One limiter per dataset for the whole component: Power BI counts per dataset, whichever endpoint sends.
    private final RateLimiters rateLimiters = new RateLimiters();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        PowerBiOperation operation;
        try {
            operation = PowerBiOperation.valueOf(remaining);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown Power BI operation '" + remaining + "' in " + uri + ". Use one of "
                    + java.util.Arrays.toString(PowerBiOperation.values()), e);
        }
        PowerBiEndpoint endpoint = new PowerBiEndpoint(uri, this, operation, configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The component's token cache, created on first use. */
    synchronized TokenCache tokenCache() {
        if (tokenCache == null) {
            tokenCache = new TokenCache(Clock.systemUTC());
        }
        return tokenCache;
    }

    RateLimiters rateLimiters() {
        return rateLimiters;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (tokenCache != null) {
            tokenCache.close();
            tokenCache = null;
        }
        rateLimiters.clear();
        super.doStop();
    }

    public PowerBiConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(PowerBiConfiguration configuration) {
        this.configuration = configuration;
    }
}
