package io.camelpowerbi.component;

import io.camelpowerbi.auth.AssertionSigner;
import io.camelpowerbi.auth.TokenCache;
import io.camelpowerbi.auth.TokenProvider;
import io.camelpowerbi.auth.TokenProviders;
import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.push.RateLimiters;
import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.HttpHost;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code powerbi:} component. It owns the token cache, so all its endpoints with the same tenant, app,
 * credential and scope share one token and one refresh.
 */
@Component("powerbi")
public class PowerBiComponent extends HealthCheckComponent implements SSLContextParametersAware {

    @Metadata(description = "Component-wide defaults for every endpoint's options.")
    private PowerBiConfiguration configuration = new PowerBiConfiguration();

    @Metadata(label = "security", defaultValue = "false", description = "Use Camel's global TLS settings (the camel.ssl options,"
            + " e.g. a trust store with the sandbox's or a proxy's certificate) where sslContextParameters is not set.")
    private boolean useGlobalSslContextParameters;

    private TokenCache tokenCache;
    private TokenProviders ownTokens;
    // One limiter per dataset for the whole component: Power BI counts per dataset, whichever endpoint sends.
    private final RateLimiters rateLimiters = new RateLimiters();
    // Observability: metrics (a no-op without Micrometer), the last call's outcome and the started endpoints, for the
    // health checks registered while the component runs.
    private volatile PowerBiMetrics metrics;
    private final ApiStatus apiStatus = new ApiStatus(Clock.systemUTC());
    // in start order: the API check probes through the first, the same one every time
    private final Set<PowerBiEndpoint> startedEndpoints = new LinkedHashSet<>();
    private final List<HealthCheck> healthChecks = new ArrayList<>();
    // One repository per state file, shared by every consumer naming that file: each rewrites the whole file, so two
    // instances on one file would erase each other's keys. Dropped when its last user stops, so a consumer started later
    // (a master: takeover) reads what another process wrote meanwhile.
    private final Map<Path, StateFile> stateFiles = new HashMap<>();

    private static final class StateFile {
        final AtomicFileStateRepository repository;
        int users;

        StateFile(AtomicFileStateRepository repository) {
            this.repository = repository;
        }
    }

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

    /** The started repository of {@code file}, shared with the other consumers using it; give it back at stop. */
    synchronized AtomicFileStateRepository openStateFile(Path file) {
        StateFile shared = stateFiles.computeIfAbsent(file.toAbsolutePath().normalize(),
                f -> new StateFile(new AtomicFileStateRepository(f)));
        if (shared.users == 0) {
            ServiceHelper.startService(shared.repository);
        }
        shared.users++;
        return shared.repository;
    }

    synchronized void releaseStateFile(AtomicFileStateRepository repository) {
        StateFile shared = stateFiles.get(repository.file());
        if (shared != null && shared.repository == repository && --shared.users == 0) {
            stateFiles.remove(repository.file());
            ServiceHelper.stopService(repository);
        }
    }

    /** The component's token cache, created on first use. */
    synchronized TokenCache tokenCache() {
        if (tokenCache == null) {
            tokenCache = new TokenCache(Clock.systemUTC(), metrics());
        }
        return tokenCache;
    }

    /**
     * The tokens of {@code config}'s credential for every audience (Power BI, Fabric, storage, SQL), each cached and
     * refreshed in the component's cache. Everything about the credential is checked here: a bad option fails, named.
     */
    TokenProviders tokenProviders(PowerBiConfiguration config, Supplier<CloseableHttpClient> http) {
        // the consumers' clock signs assertions too, so a sandbox started at a fixed instant accepts them
        Clock clock = config.getClock() != null ? config.getClock() : Clock.systemUTC();
        AssertionSigner signer = new AssertionSigner(config.getAssertionAlgorithm(), config.isSendX5c(), config.isSendX5tSha1(),
                AssertionSigner.MAX_LIFETIME, clock);
        return tokenCache().providers(config.tokenSource(clock), Duration.ofSeconds(config.getTokenRefreshMarginSeconds()),
                signer, http);
    }

    /**
     * The tokens of the component's own credential for any audience, for beans outside routes (mssql-jdbc's token
     * callback, {@link PowerBiSqlTokenCallback}): the {@code tokenProvider} bean when it serves every audience, else the
     * configured credential through the component's cache. Kept until the component stops.
     */
    public synchronized TokenProviders tokenProviders() {
        if (ownTokens == null) {
            TokenProvider bean = configuration.getTokenProvider();
            if (bean != null) {
                if (!(bean instanceof TokenProviders all)) {
                    throw LakehouseRoute.powerBiTokensOnly();
                }
                ownTokens = all;
            } else {
                ownTokens = tokenProviders(configuration, () -> newHttpClient(configuration));
            }
        }
        return ownTokens;
    }

    /** The HTTP client of {@code config}: its TLS (or Camel's global TLS settings), proxy and timeouts. */
    CloseableHttpClient newHttpClient(PowerBiConfiguration config) {
        try {
            SSLContextParameters tls = config.getSslContextParameters();
            if (tls == null && isUseGlobalSslContextParameters()) {
                tls = retrieveGlobalSslContextParameters();
            }
            SSLContext ssl = tls == null ? null : tls.createSSLContext(getCamelContext());
            HttpHost proxy = config.getProxyHost() == null ? null
                    : new HttpHost(config.getProxyHost(), config.getProxyPort() == null ? 8080 : config.getProxyPort());
            return HttpClientFactory.create(ssl, proxy, Duration.ofMillis(config.getConnectTimeout()),
                    Duration.ofMillis(config.getResponseTimeout()), 20);
        } catch (Exception e) {
            throw new IllegalArgumentException("sslContextParameters: cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    RateLimiters rateLimiters() {
        return rateLimiters;
    }

    /**
     * Where the component reports for metrics: Micrometer when it is on the classpath and a {@code MeterRegistry} is in
     * the Camel registry (camel-main binds one with {@code camel.metrics.enabled=true}), else nothing. Looked up when
     * the first endpoint starts, after camel-main has set up its services.
     */
    PowerBiMetrics metrics() {
        PowerBiMetrics m = metrics;
        if (m == null) {
            synchronized (this) {
                if (metrics == null) {
                    metrics = PowerBiMetrics.lookup(getCamelContext());
                }
                m = metrics;
            }
        }
        return m;
    }

    ApiStatus apiStatus() {
        return apiStatus;
    }

    synchronized void endpointStarted(PowerBiEndpoint endpoint) {
        startedEndpoints.add(endpoint);
    }

    synchronized void endpointStopped(PowerBiEndpoint endpoint) {
        startedEndpoints.remove(endpoint);
    }

    /** The endpoints now started, in the order they started. */
    synchronized List<PowerBiEndpoint> startedEndpoints() {
        return List.copyOf(startedEndpoints);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // readiness checks "token engine ready" and "Power BI reachable", when camel-health is present
        HealthCheckRegistry registry = HealthCheckRegistry.get(getCamelContext());
        if (registry != null) {
            String scheme = scheme();
            boolean enabled = isHealthCheckConsumerEnabled() || isHealthCheckProducerEnabled();
            for (PowerBiHealthCheck.Aspect aspect : PowerBiHealthCheck.Aspect.values()) {
                PowerBiHealthCheck check = new PowerBiHealthCheck(this, scheme, aspect, Clock.systemUTC());
                check.setEnabled(enabled);
                if (registry.register(check)) {
                    healthChecks.add(check);
                }
            }
        }
    }

    /** The name this component is registered under ({@code powerbi} unless added under another). */
    private String scheme() {
        for (String name : getCamelContext().getComponentNames()) {
            if (getCamelContext().hasComponent(name) == this) {
                return name;
            }
        }
        return "powerbi";
    }

    @Override
    protected synchronized void doStop() throws Exception {
        HealthCheckRegistry registry = HealthCheckRegistry.get(getCamelContext());
        if (registry != null) {
            healthChecks.forEach(registry::unregister);
        }
        healthChecks.clear();
        metrics = null;
        if (tokenCache != null) {
            tokenCache.close();
            tokenCache = null;
        }
        ownTokens = null;
        rateLimiters.clear();
        super.doStop();
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }

    public PowerBiConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(PowerBiConfiguration configuration) {
        this.configuration = configuration;
    }
}
