package io.camelpowerbi.component;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.auth.AssertionSigner;
import io.camelpowerbi.auth.CredentialException;
import io.camelpowerbi.auth.TokenProvider;
import io.camelpowerbi.client.CallListener;
import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.RetryPolicy;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.ScheduledPollEndpoint;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.HttpHost;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.operations.DatasetDefinition;
import io.camelpowerbi.operations.PowerBiOperations;
import io.camelpowerbi.push.PushCheckpoints;
import io.camelpowerbi.push.TableSchema;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Power BI REST API: push rows, refresh semantic models, run DAX, export reports and more. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "powerbi", title = "Power BI", syntax = "powerbi:operation",
        category = { Category.CLOUD, Category.API }, headersClass = PowerBiConstants.class, remote = true)
public class PowerBiEndpoint extends ScheduledPollEndpoint implements EndpointServiceLocation {

    private static final ObjectMapper JSON = new ObjectMapper();

    @UriPath(description = "The operation to perform")
    @Metadata(required = true)
    private PowerBiOperation operation;

    @UriParam
    private PowerBiConfiguration configuration;

    private CloseableHttpClient http;
    private TokenProvider tokenProvider;
    private PowerBiClient client;
    private PowerBiClient probeClient;
    private PowerBiOperations operations;
    private PushCheckpoints checkpoints;
    private final Map<String, TableSchema> schemas = new ConcurrentHashMap<>();

    public PowerBiEndpoint(String uri, PowerBiComponent component, PowerBiOperation operation, PowerBiConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
        if (operation == PowerBiOperation.activityEvents || operation == PowerBiOperation.scan) {
            // hourly request limits: a minute between polls once caught up; the delay option overrides it
            setDelay(60_000);
        } else if (operation == PowerBiOperation.refreshes) {
            // refreshes take minutes: 30 s between polls tells of an outcome soon enough at 1 + n calls a poll
            setDelay(30_000);
        }
    }

    @Override
    public PowerBiComponent getComponent() {
        return (PowerBiComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new PowerBiProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        ScheduledPollConsumer consumer = switch (operation) {
            case activityEvents -> new ActivityEventsConsumer(this, processor);
            case refreshes -> new RefreshesConsumer(this, processor);
            case scan -> new ScanConsumer(this, processor);
            default -> throw new UnsupportedOperationException("powerbi:" + operation + " has no consumer; the consumers"
                    + " are powerbi:activityEvents, powerbi:refreshes and powerbi:scan");
        };
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // Options a message would trip over are checked here, so a bad one fails the route at start, named.
        configuration.pushCharset();
        SingleLine.require(configuration.getPath(), "path");
        checkOperationOptions();
        checkpoints = new PushCheckpoints(Path.of(configuration.getResumeDirectory() == null
                || configuration.getResumeDirectory().isBlank() ? "data/state/push" : configuration.getResumeDirectory()));
        // Everything about the credential is checked here, so a bad option fails the route at start, named.
        TokenProvider tokens = configuration.getTokenProvider();
        if (tokens != null && configuration.usesAzureIdentity()) {
            throw new CredentialException("tokenProvider", "is set beside " + (configuration.getTokenCredential() != null
                    ? "tokenCredential" : "credentialType=AZURE_IDENTITY"), "keep one of them");
        }
        if (tokens == null && configuration.usesAzureIdentity()) {
            tokens = getComponent().tokenCache().tokenFor(configuration.azureIdentitySource(),
                    Duration.ofSeconds(configuration.getTokenRefreshMarginSeconds()));
        } else if (tokens == null) {
            // the consumers' clock signs assertions too, so a sandbox started at a fixed instant accepts them
            Clock clock = configuration.getClock() != null ? configuration.getClock() : Clock.systemUTC();
            AssertionSigner signer = new AssertionSigner(configuration.getAssertionAlgorithm(), configuration.isSendX5c(),
                    configuration.isSendX5tSha1(), AssertionSigner.MAX_LIFETIME, clock);
            tokens = getComponent().tokenCache().tokenFor(configuration.tokenSource(clock),
                    Duration.ofSeconds(configuration.getTokenRefreshMarginSeconds()), signer, this::newHttpClient);
        }
        http = newHttpClient();
        tokenProvider = tokens;
        // what every call goes through: the component's "Power BI reachable" status, and metrics when present
        CallListener calls = CallListener.all(getComponent().apiStatus(), getComponent().metrics());
        // tokenHosts is checked here too: a bad entry fails the route at start, named
        client = new PowerBiClient(http, configuration.effectiveApiBaseUrl(), configuration.effectiveTokenHosts(), tokens,
                new RetryPolicy(configuration.getMaxAttempts(), Duration.ofSeconds(1), Duration.ofSeconds(30),
                        Duration.ofMinutes(10), Duration.ofSeconds(configuration.getMaxRetryAfterSeconds())), calls);
        // health checks' light calls: one attempt, so a check answers within the response timeout
        probeClient = new PowerBiClient(http, configuration.effectiveApiBaseUrl(), configuration.effectiveTokenHosts(), tokens,
                new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO), calls);
        operations = new PowerBiOperations(client);
        getComponent().endpointStarted(this);
    }

    private void checkOperationOptions() {
        PowerBiOperation op = getOperation();
        boolean changes = op == PowerBiOperation.addWorkspaceUser || op == PowerBiOperation.updateWorkspaceUser;
        if ((changes || op == PowerBiOperation.deleteWorkspaceUser)
                && (configuration.getPrincipal() == null || configuration.getPrincipal().isBlank())) {
            throw new InvalidOptionException("principal", op + " needs the principal", "set principal to a user's e-mail"
                    + " address, or the object id of a security group or of an app's service principal");
        }
        if ((op == PowerBiOperation.refreshDataflow || op == PowerBiOperation.dataflowTransactions)
                && (configuration.getDataflow() == null || configuration.getDataflow().isBlank())) {
            throw new InvalidOptionException("dataflow", op + " needs the dataflow", "set dataflow to its name or id");
        }
        if (op == PowerBiOperation.bindToGateway && (configuration.getGateway() == null || configuration.getGateway().isBlank())) {
            throw new InvalidOptionException("gateway", "bindToGateway needs the gateway's id", "set gateway to the id of"
                    + " the on-premises gateway (its settings in Power BI show it)");
        }
        if (changes && configuration.getWorkspaceAccessRight() == null) {
            throw new InvalidOptionException("workspaceAccessRight", op + " needs the access right to give",
                    "set workspaceAccessRight to Admin, Member, Contributor or Viewer");
        }
    }

    @Override
    protected void doStop() throws Exception {
        getComponent().endpointStopped(this);
        if (http != null) {
            try {
                http.close();
            } catch (IOException e) {
                // closing a pool; nothing to recover
            }
            http = null;
        }
        super.doStop();
    }

    private CloseableHttpClient newHttpClient() {
        try {
            SSLContextParameters tls = configuration.getSslContextParameters();
            if (tls == null && getComponent().isUseGlobalSslContextParameters()) {
                tls = getComponent().retrieveGlobalSslContextParameters();
            }
            SSLContext ssl = tls == null ? null : tls.createSSLContext(getCamelContext());
            HttpHost proxy = configuration.getProxyHost() == null ? null
                    : new HttpHost(configuration.getProxyHost(), configuration.getProxyPort() == null ? 8080 : configuration.getProxyPort());
            return HttpClientFactory.create(ssl, proxy, Duration.ofMillis(configuration.getConnectTimeout()),
                    Duration.ofMillis(configuration.getResponseTimeout()), 20);
        } catch (Exception e) {
            throw new IllegalArgumentException("sslContextParameters: cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    PowerBiClient client() {
        return client;
    }

    /** Where pushRows records how far Power BI accepted a file (null before start). */
    PushCheckpoints checkpoints() {
        return checkpoints;
    }

    PowerBiOperations operations() {
        return operations;
    }

    /** Where this endpoint's tokens come from (null before start); for the health checks. */
    TokenProvider tokenProvider() {
        return tokenProvider;
    }

    /** A client that does not retry, for the health checks' light calls (null before start). */
    PowerBiClient probeClient() {
        return probeClient;
    }

    /**
     * The columns pushed rows are checked against: from the dataset definition file when one is set (no call needed),
     * else read from Power BI once per table.
     */
    TableSchema schema(String groupId, String datasetId, String table) {
        return schemas.computeIfAbsent(datasetId + "/" + table, key -> {
            if (configuration.getDatasetDefinition() != null) {
                DatasetDefinition definition = DatasetDefinition.load(Path.of(configuration.getDatasetDefinition()));
                DatasetDefinition.Table t = definition.table(table);
                return TableSchema.fromJson(JSON.valueToTree(t.toJson()));
            }
            return TableSchema.fetch(client, groupId, datasetId, table);
        });
    }

    @Override
    public String getServiceUrl() {
        return configuration.effectiveApiBaseUrl();
    }

    @Override
    public String getServiceProtocol() {
        return "https";
    }

    @Override
    public Map<String, String> getServiceMetadata() {
        return configuration.getTenantId() == null ? null : Map.of("tenantId", configuration.getTenantId());
    }

    public PowerBiOperation getOperation() {
        return operation;
    }

    public void setOperation(PowerBiOperation operation) {
        this.operation = operation;
    }

    public PowerBiConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(PowerBiConfiguration configuration) {
        this.configuration = configuration;
    }
}
