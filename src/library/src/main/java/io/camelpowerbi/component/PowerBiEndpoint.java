package io.camelpowerbi.component;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.auth.Audience;
import io.camelpowerbi.auth.CredentialException;
import io.camelpowerbi.auth.TokenProvider;
import io.camelpowerbi.auth.TokenProviders;
import io.camelpowerbi.client.CallListener;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.RetryPolicy;
import io.camelpowerbi.client.Service;
import io.camelpowerbi.operations.DatasetDefinition;
import io.camelpowerbi.operations.LakehouseOperations;
import io.camelpowerbi.operations.PowerBiOperations;
import io.camelpowerbi.push.PushCheckpoints;
import io.camelpowerbi.push.TableSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.ScheduledPollEndpoint;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/** Power BI REST API: push rows, refresh semantic models, run DAX, export reports and more. */
@UriEndpoint(
        firstVersion = "0.1.0",
        scheme = "powerbi",
        title = "Power BI",
        syntax = "powerbi:operation",
        category = {Category.CLOUD, Category.API},
        headersClass = PowerBiConstants.class,
        remote = true)
public class PowerBiEndpoint extends ScheduledPollEndpoint implements EndpointServiceLocation {

    private static final ObjectMapper JSON = new ObjectMapper();

    @UriPath(description = "The operation to perform")
    @Metadata(required = true)
    private PowerBiOperation operation;

    @UriParam
    private PowerBiConfiguration configuration;

    private CloseableHttpClient http;
    private TokenProvider tokenProvider;
    /** Tokens of the endpoint's credential for any audience; null when a tokenProvider bean serves Power BI only. */
    private TokenProviders tokenProviders;

    private volatile LakehouseOperations lakehouses;
    private PowerBiClient client;
    private PowerBiClient probeClient;
    /** How the endpoint's calls retry, and what every call reports to: set at start, shared by all its clients. */
    private RetryPolicy retry;

    private CallListener calls;
    private PowerBiOperations operations;
    private PushCheckpoints checkpoints;
    private final Map<String, TableSchema> schemas = new ConcurrentHashMap<>();

    public PowerBiEndpoint(
            String uri, PowerBiComponent component, PowerBiOperation operation, PowerBiConfiguration configuration) {
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

    /** @throws InvalidOptionException for a consumer's operation: such a route fails at start, not at its first message */
    @Override
    public Producer createProducer() {
        if (operation.isConsumer()) {
            throw new InvalidOptionException(
                    "operation",
                    "powerbi:" + operation + " is a consumer: it polls in from:," + " nothing can be sent to it",
                    "use it in from:; in to: use a producer operation (" + PowerBiOperation.names(false) + ")");
        }
        return configuration.isStreaming() ? new PowerBiStreamProducer(this) : new PowerBiProducer(this);
    }

    /** @throws InvalidOptionException for a producer's operation */
    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        ScheduledPollConsumer consumer = switch (operation) {
            case activityEvents -> new ActivityEventsConsumer(this, processor);
            case refreshes -> new RefreshesConsumer(this, processor);
            case scan -> new ScanConsumer(this, processor);
            default ->
                throw new InvalidOptionException(
                        "operation",
                        "powerbi:" + operation + " is a producer: it is" + " sent to in to:, it does not poll",
                        "use it in to:; in from: use a consumer operation (" + PowerBiOperation.names(true) + ")");
        };
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // Every option is checked here, so a bad one fails the route at start, named, rather than a message.
        configuration.validate();
        if (configuration.isStreaming() && operation != PowerBiOperation.pushRows) {
            throw new InvalidOptionException(
                    "streaming",
                    "only pushRows streams rows, not " + operation,
                    "remove streaming=true, or use powerbi:pushRows");
        }
        checkOperationOptions();
        checkpoints = new PushCheckpoints(Path.of(
                configuration.getResumeDirectory() == null
                                || configuration.getResumeDirectory().isBlank()
                        ? "data/state/push"
                        : configuration.getResumeDirectory()));
        // Everything about the credential is checked here, so a bad option fails the route at start, named.
        TokenProvider tokens = configuration.getTokenProvider();
        if (tokens != null && configuration.usesAzureIdentity()) {
            throw new CredentialException(
                    "tokenProvider",
                    "is set beside "
                            + (configuration.getTokenCredential() != null
                                    ? "tokenCredential"
                                    : "credentialType=AZURE_IDENTITY"),
                    "keep one of them");
        }
        if (tokens == null && configuration.usesAzureIdentity()) {
            // Power BI's audience only: the Lakehouse operations need the component's own credential or a provider bean
            tokens = getComponent()
                    .tokenCache()
                    .tokenFor(configuration.azureIdentitySource(), configuration.getTokenRefreshMargin());
            tokenProviders = null;
        } else if (tokens == null) {
            tokenProviders = getComponent().tokenProviders(configuration, this::newHttpClient);
            tokens = tokenProviders.forAudience(Audience.POWER_BI, configuration.getCloud());
            if (configuration.getResource() != null) {
                tokens = tokenProviders.forResource(configuration.getResource());
            }
        } else {
            tokenProviders = tokens instanceof TokenProviders all ? all : null;
        }
        http = newHttpClient();
        tokenProvider = tokens;
        // what every call goes through: the component's "Power BI reachable" status, and metrics when present
        calls = CallListener.all(getComponent().apiStatus(), getComponent().metrics());
        retry = new RetryPolicy(
                configuration.getMaxAttempts(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                Duration.ofMinutes(10),
                configuration.getMaxRetryAfter());
        // tokenHosts is checked here too: a bad entry fails the route at start, named
        client = new PowerBiClient(
                http, configuration.effectiveApiBaseUrl(), configuration.effectiveTokenHosts(), tokens, retry, calls);
        // health checks' light calls: one attempt, so a check answers within the response timeout
        probeClient = new PowerBiClient(
                http,
                configuration.effectiveApiBaseUrl(),
                configuration.effectiveTokenHosts(),
                tokens,
                new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO),
                calls);
        operations = new PowerBiOperations(client);
        if (LakehouseRoute.uses(operation)) {
            LakehouseRoute.check(operation, configuration, tokenProviders != null);
        }
        getComponent().endpointStarted(this);
    }

    private void checkOperationOptions() {
        PowerBiOperation op = getOperation();
        boolean changes = op == PowerBiOperation.addWorkspaceUser || op == PowerBiOperation.updateWorkspaceUser;
        if ((changes || op == PowerBiOperation.deleteWorkspaceUser)
                && (configuration.getPrincipal() == null
                        || configuration.getPrincipal().isBlank())) {
            throw new InvalidOptionException(
                    "principal",
                    op + " needs the principal",
                    "set principal to a user's e-mail"
                            + " address, or the object id of a security group or of an app's service principal");
        }
        if ((op == PowerBiOperation.refreshDataflow || op == PowerBiOperation.dataflowTransactions)
                && (configuration.getDataflow() == null
                        || configuration.getDataflow().isBlank())) {
            throw new InvalidOptionException("dataflow", op + " needs the dataflow", "set dataflow to its name or id");
        }
        if (op == PowerBiOperation.bindToGateway
                && (configuration.getGateway() == null
                        || configuration.getGateway().isBlank())) {
            throw new InvalidOptionException(
                    "gateway",
                    "bindToGateway needs the gateway's id",
                    "set gateway to the id of" + " the on-premises gateway (its settings in Power BI show it)");
        }
        if (changes && configuration.getWorkspaceAccessRight() == null) {
            throw new InvalidOptionException(
                    "workspaceAccessRight",
                    op + " needs the access right to give",
                    "set workspaceAccessRight to Admin, Member, Contributor or Viewer");
        }
    }

    @Override
    protected void doStop() throws Exception {
        getComponent().endpointStopped(this);
        lakehouses = null;
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
        return getComponent().newHttpClient(configuration);
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

    /**
     * The Fabric and OneLake clients of this endpoint, made on first use (a Power BI route never asks for their tokens):
     * each with tokens of its own audience, sent to its own host only.
     */
    LakehouseOperations lakehouses() {
        LakehouseOperations l = lakehouses;
        if (l == null) {
            synchronized (this) {
                if (lakehouses == null) {
                    if (tokenProviders == null) {
                        throw LakehouseRoute.powerBiTokensOnly();
                    }
                    lakehouses = new LakehouseOperations(
                            lakehouseClient(Service.FABRIC, configuration.effectiveFabricApiBaseUrl(), Audience.FABRIC),
                            lakehouseClient(
                                    Service.ONELAKE, configuration.effectiveOneLakeBaseUrl(), Audience.STORAGE));
                }
                l = lakehouses;
            }
        }
        return l;
    }

    private PowerBiClient lakehouseClient(Service service, String baseUrl, Audience audience) {
        return new PowerBiClient(
                service,
                http,
                baseUrl,
                List.of(),
                tokenProviders.forAudience(audience, configuration.getCloud()),
                retry,
                calls);
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

    /** A header's value (else the option's), refused when it holds a line break: it goes into URLs and messages. */
    static String header(Message in, String name, String option) {
        return SingleLine.require(in.getHeader(name, option, String.class), name);
    }

    /** The workspace of a message: its header, else the option; resolved to an id. */
    String workspaceId(Message in) {
        String workspace = header(in, PowerBiConstants.WORKSPACE, configuration.getWorkspace());
        if (workspace == null || workspace.isBlank()) {
            throw new InvalidOptionException(
                    "workspace",
                    "no workspace is given",
                    "set the workspace name or id (option" + " workspace or header " + PowerBiConstants.WORKSPACE
                            + ")");
        }
        return operations.names().workspaceId(workspace);
    }

    /** The dataset of a message: its header, else the option; resolved to an id. */
    String datasetId(Message in, String groupId) {
        String dataset = header(in, PowerBiConstants.DATASET, configuration.getDataset());
        if (dataset == null || dataset.isBlank()) {
            throw new InvalidOptionException(
                    "dataset",
                    "no dataset is given",
                    "set the dataset name or id (option" + " dataset or header " + PowerBiConstants.DATASET + ")");
        }
        return operations.names().datasetId(groupId, dataset);
    }

    /** The table of a message: its header, else the option. */
    String table(Message in) {
        String table = header(in, PowerBiConstants.TABLE, configuration.getTable());
        if (table == null || table.isBlank()) {
            throw new InvalidOptionException(
                    "table",
                    "no table is given",
                    "set the table name (option table or header " + PowerBiConstants.TABLE + ")");
        }
        return table;
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
