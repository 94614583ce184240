package io.camelpowerbi.component;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.auth.AssertionSigner;
import io.camelpowerbi.auth.TokenCache;
import io.camelpowerbi.auth.TokenProvider;
import io.camelpowerbi.auth.TokenProviders;
import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.push.RateLimiters;
import io.camelpowerbi.push.RowStream;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.URISupport;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.HttpHost;

/**
 * The {@code powerbi:} component. It owns the token cache, so all its endpoints with the same tenant, app,
 * credential and scope share one token and one refresh.
 */
@Component("powerbi")
public class PowerBiComponent extends HealthCheckComponent implements SSLContextParametersAware {

    @Metadata(description = "Component-wide defaults for every endpoint's options.")
    private PowerBiConfiguration configuration = new PowerBiConfiguration();

    @Metadata(
            label = "security",
            defaultValue = "false",
            description =
                    "Use Camel's global TLS settings (the camel.ssl options,"
                            + " e.g. a trust store with the sandbox's or a proxy's certificate) where sslContextParameters is not set.")
    private boolean useGlobalSslContextParameters;

    @Metadata(
            label = "producer,advanced",
            defaultValue = "500000",
            description = "pushRows with streaming: the most rows"
                    + " the component's row streams hold at once (buffered, in batches waiting for the rate limits, or in"
                    + " flight); a message beyond waits until rows are accepted. A dataset holds at most maxPendingRequests"
                    + " batches in flight and two more.")
    private long streamBufferRows = 500_000;

    @Metadata(
            label = "producer,advanced",
            defaultValue = "8",
            description = "pushRows with streaming: the threads"
                    + " sending batches, shared by every table and dataset (one more thread schedules them), and as many"
                    + " completing the messages whose rows were accepted (their routing goes on there).")
    private int streamSenderThreads = 8;

    @Metadata(
            label = "producer,advanced",
            defaultValue = "1",
            description = "The push rate limits' windows last"
                    + " 1/rateLimitTimeScale of a minute and of an hour: set it to a time-scaled sandbox's limits.timeScale"
                    + " (tests, benchmarks), never for Power BI.")
    private double rateLimitTimeScale = 1;

    private TokenCache tokenCache;
    // The row streams of every streaming pushRows endpoint: one scheduler and one pool of senders for the component.
    private RowStream rowStream;
    // where streamed messages complete: routing goes on there, never on a sender
    private ExecutorService streamCompletions;
    private int rowStreamUsers;
    // Camel waits for the messages in flight before it stops a route, and a streamed message waits for its batch: once
    // the context is stopping, batches go without waiting for their linger time
    private final LifecycleStrategySupport flushOnStopping = new LifecycleStrategySupport() {
        @Override
        public void onContextStopping(CamelContext context) {
            RowStream stream;
            synchronized (PowerBiComponent.this) {
                stream = rowStream;
            }
            if (stream != null) {
                stream.flush();
            }
        }
    };
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
    // instances on one file would erase each other's keys. Dropped when its last user stops, so a consumer started
    // later
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
        PowerBiOperation operation = null;
        for (PowerBiOperation o : PowerBiOperation.values()) {
            if (o.name().equals(remaining)) {
                operation = o;
            }
        }
        if (operation == null) {
            throw new InvalidOptionException(
                    "operation",
                    "'" + remaining + "' in " + URISupport.sanitizeUri(uri) + " is not an operation of powerbi:",
                    "use one of " + Arrays.toString(PowerBiOperation.values()));
        }
        PowerBiEndpoint endpoint = new PowerBiEndpoint(uri, this, operation, configuration.copy());
        parameters.forEach((name, value) -> {
            if (value instanceof String text && PowerBiConfiguration.optionType(name) == Duration.class) {
                PowerBiConfiguration.duration(name, text); // Camel would read a word as zero
            }
        });
        try {
            setProperties(endpoint, parameters);
        } catch (PropertyBindingException e) {
            throw invalidValue(e);
        }
        return endpoint;
    }

    /**
     * A value Camel could not convert to the type of one of our options (an unknown enum constant, a duration it cannot
     * read, a word for a number), as an error that says what the option takes.
     */
    static RuntimeException invalidValue(PropertyBindingException e) {
        Class<?> type = PowerBiConfiguration.optionType(e.getPropertyName());
        String takes;
        if (type == null) {
            return e; // not ours (the scheduler's, the consumer framework's): Camel's message names it
        } else if (type == Duration.class) {
            takes = PowerBiConfiguration.DURATION_FORMS;
        } else if (type.isEnum()) {
            takes = "use one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(c -> ((Enum<?>) c).name())
                            .collect(Collectors.joining(", "));
        } else if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            takes = "give a whole number";
        } else if (type == boolean.class || type == Boolean.class) {
            takes = "give true or false";
        } else {
            return e;
        }
        return new InvalidOptionException(
                e.getPropertyName(), "'" + e.getValue() + "' is not a value it takes", takes, e);
    }

    /** The started repository of {@code file}, shared with the other consumers using it; give it back at stop. */
    synchronized AtomicFileStateRepository openStateFile(Path file) {
        StateFile shared = stateFiles.computeIfAbsent(
                file.toAbsolutePath().normalize(), f -> new StateFile(new AtomicFileStateRepository(f)));
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
        AssertionSigner signer = new AssertionSigner(
                config.getAssertionAlgorithm(),
                config.isSendX5c(),
                config.isSendX5tSha1(),
                AssertionSigner.MAX_LIFETIME,
                clock);
        return tokenCache().providers(config.tokenSource(clock), config.getTokenRefreshMargin(), signer, http);
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
            HttpHost proxy = config.getProxyHost() == null
                    ? null
                    : new HttpHost(config.getProxyHost(), config.getProxyPort() == null ? 8080 : config.getProxyPort());
            return HttpClientFactory.create(ssl, proxy, config.getConnectTimeout(), config.getResponseTimeout(), 20);
        } catch (Exception e) {
            throw new InvalidOptionException(
                    "sslContextParameters",
                    "cannot build the TLS context: " + e.getMessage(),
                    "check its key store and trust store (file, password, type)",
                    e);
        }
    }

    RateLimiters rateLimiters() {
        return rateLimiters;
    }

    /** The component's row stream, started with its first user; give it back at stop. */
    synchronized RowStream openRowStream() {
        if (rowStream == null) {
            ExecutorServiceManager threads = getCamelContext().getExecutorServiceManager();
            // unbounded queues: what waits in them is bounded by streamBufferRows already, and a refused task would
            // leave a batch or a message unanswered (Camel's default pools refuse beyond 1,000 queued tasks; the
            // scheduler holds a timer per dataset with rows lingering, so 1,000 datasets would stall it)
            rowStream = new RowStream(
                    streamBufferRows,
                    threads.newScheduledThreadPool(
                            this,
                            "PowerBiStreamScheduler",
                            new ThreadPoolProfileBuilder("PowerBiStreamScheduler")
                                    .poolSize(1)
                                    .maxQueueSize(-1)
                                    .build()),
                    threads.newThreadPool(this, "PowerBiStreamSender", fixedPool("PowerBiStreamSender")),
                    metrics(),
                    Clock.systemUTC());
            streamCompletions =
                    threads.newThreadPool(this, "PowerBiStreamCompletion", fixedPool("PowerBiStreamCompletion"));
        }
        rowStreamUsers++;
        return rowStream;
    }

    private ThreadPoolProfile fixedPool(String name) {
        return new ThreadPoolProfileBuilder(name)
                .poolSize(streamSenderThreads)
                .maxPoolSize(streamSenderThreads)
                .maxQueueSize(-1)
                .build();
    }

    /** The last user gone, the stream sends what it holds (for a while) and stops. */
    synchronized void releaseRowStream(RowStream stream) {
        if (stream == rowStream && --rowStreamUsers == 0) {
            rowStream.close();
            rowStream = null;
            getCamelContext().getExecutorServiceManager().shutdownGraceful(streamCompletions);
            streamCompletions = null;
        }
    }

    /** Where streamed messages complete (null while no row stream is open). */
    synchronized ExecutorService streamCompletions() {
        return streamCompletions;
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
        checkDurationProperties();
        if (streamBufferRows < 1) {
            throw new InvalidOptionException(
                    "streamBufferRows",
                    "must be at least 1, got " + streamBufferRows,
                    "set a number of rows, e.g. 500000");
        }
        if (streamSenderThreads < 1) {
            throw new InvalidOptionException(
                    "streamSenderThreads",
                    "must be at least 1, got " + streamSenderThreads,
                    "set a number of threads, e.g. 8");
        }
        if (!(rateLimitTimeScale > 0) || Double.isInfinite(rateLimitTimeScale)) {
            throw new InvalidOptionException(
                    "rateLimitTimeScale",
                    "must be a positive number, got " + rateLimitTimeScale,
                    "leave it at 1 for Power BI, or set the sandbox's limits.timeScale");
        }
        rateLimiters.timeScale(rateLimitTimeScale);
        if (!getCamelContext().getLifecycleStrategies().contains(flushOnStopping)) {
            getCamelContext().addLifecycleStrategy(flushOnStopping);
        }
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

    /**
     * The duration options among the {@code camel.component.powerbi.*} properties camel-main bound to the configuration:
     * Camel reads a word ({@code later}, {@code soon}) as zero, so each text is read again here and a mistake
     * fails the start, naming the option, rather than leaving it at 0.
     *
     * @throws InvalidOptionException for a text that is not a duration
     */
    private void checkDurationProperties() {
        String prefix = "camel.component." + scheme() + ".";
        // Camel's ordered Properties keep their entries apart from Hashtable's: forEach would see none of them
        Properties properties =
                getCamelContext().getPropertiesComponent().loadProperties(key -> key.startsWith(prefix));
        for (String key : properties.stringPropertyNames()) {
            Field option = PowerBiConfiguration.option(key.substring(prefix.length()));
            String value = properties.getProperty(key);
            if (option != null && option.getType() == Duration.class && value != null) {
                String text = getCamelContext().resolvePropertyPlaceholders(value.trim());
                if (!text.isEmpty()) {
                    PowerBiConfiguration.duration(option.getName(), text);
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

    public long getStreamBufferRows() {
        return streamBufferRows;
    }

    public void setStreamBufferRows(long streamBufferRows) {
        this.streamBufferRows = streamBufferRows;
    }

    public int getStreamSenderThreads() {
        return streamSenderThreads;
    }

    public void setStreamSenderThreads(int streamSenderThreads) {
        this.streamSenderThreads = streamSenderThreads;
    }

    public double getRateLimitTimeScale() {
        return rateLimitTimeScale;
    }

    public void setRateLimitTimeScale(double rateLimitTimeScale) {
        this.rateLimitTimeScale = rateLimitTimeScale;
    }

    public void setConfiguration(PowerBiConfiguration configuration) {
        this.configuration = configuration;
    }
}
