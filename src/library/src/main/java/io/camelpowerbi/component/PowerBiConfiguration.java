package io.camelpowerbi.component;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.auth.AssertionAlgorithm;
import io.camelpowerbi.auth.AzureIdentitySource;
import io.camelpowerbi.auth.CertificateLoader;
import io.camelpowerbi.auth.ClientCredential;
import io.camelpowerbi.auth.ClientSecret;
import io.camelpowerbi.auth.Cloud;
import io.camelpowerbi.auth.CredentialException;
import io.camelpowerbi.auth.CredentialType;
import io.camelpowerbi.auth.FederatedAssertionFile;
import io.camelpowerbi.auth.TokenEndpointVersion;
import io.camelpowerbi.auth.TokenProvider;
import io.camelpowerbi.auth.TokenSource;
import io.camelpowerbi.client.TokenHosts;
import io.camelpowerbi.operations.CommitMode;
import io.camelpowerbi.operations.ExportFormat;
import io.camelpowerbi.operations.ExportRequest;
import io.camelpowerbi.operations.IfRefreshRunning;
import io.camelpowerbi.operations.LoadFormat;
import io.camelpowerbi.operations.LoadMode;
import io.camelpowerbi.operations.NameConflict;
import io.camelpowerbi.operations.PrincipalType;
import io.camelpowerbi.operations.RefreshRequest;
import io.camelpowerbi.operations.RefreshType;
import io.camelpowerbi.operations.WorkspaceAccessRight;
import io.camelpowerbi.push.Format;
import io.camelpowerbi.push.InvalidRowPolicy;
import io.camelpowerbi.push.RowBatcher;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.util.TimeUtils;

/**
 * Options of the {@code powerbi:} component and its endpoints. The component holds one instance; every endpoint works
 * on a {@link #copy()}, so endpoint parameters never leak into other endpoints.
 */
@UriParams
public class PowerBiConfiguration implements Cloneable {

    @UriParam(
            label = "common",
            defaultValue = "PUBLIC",
            description = "The Power BI cloud: PUBLIC, GCC, GCC_HIGH, DOD or CHINA."
                    + " Chooses the Entra authority host, the token audience and the REST API base together.")
    private Cloud cloud = Cloud.PUBLIC;

    @UriParam(
            label = "common,advanced",
            description = "Entra authority host overriding the cloud's, e.g. the sandbox's"
                    + " https://127.0.0.1:8443. Token requests and assertion audiences both use it.")
    private String authorityHost;

    @UriParam(
            label = "common,advanced",
            description = "Power BI REST API base overriding the cloud's, e.g. https://api.powerbi.com.")
    private String apiBaseUrl;

    @UriParam(
            label = "security,advanced",
            description = "The Power BI hosts besides the API host that get the bearer token,"
                    + " comma separated: .domain (the domain and every host under it), host, or host:port. Power BI's cluster"
                    + " redirects (preferClientRouting) lead to such hosts. Default: the cloud's Power BI domains (PUBLIC:"
                    + " .powerbi.com, .analysis.windows.net). Set it with apiBaseUrl when that points at a proxy or a sandbox. Never"
                    + " list a storage host: export files and import uploads redirect there.")
    private String tokenHosts;

    @UriParam(
            label = "security,advanced",
            description = "Token audience (resource) overriding the cloud's, e.g."
                    + " https://analysis.windows.net/powerbi/api. The v2 scope is this plus /.default.")
    private String resource;

    @UriParam(label = "security", description = "Directory (tenant) id GUID or domain of the app registration.")
    private String tenantId;

    @UriParam(label = "security", secret = true, description = "Application (client) id of the app registration.")
    private String clientId;

    @UriParam(
            label = "security",
            secret = true,
            description = "Client secret value. Prefer a certificate; resolve it with"
                    + " {{env:...}} or a vault placeholder.")
    private String clientSecret;

    @UriParam(
            label = "security",
            description = "PEM file with the certificate registered on the app, then any"
                    + " intermediates. May also hold the private key.")
    private String certificateFile;

    @UriParam(
            label = "security",
            secret = true,
            description = "PEM file with the certificate's PKCS#8 private key," + " encrypted or not.")
    private String privateKeyFile;

    @UriParam(label = "security", secret = true, description = "Password of an encrypted privateKeyFile.")
    private String privateKeyPassword;

    @UriParam(
            label = "security",
            description =
                    "PKCS#12 keystore (.pfx/.p12) with the certificate and its private key," + " instead of PEM files.")
    private String keystoreFile;

    @UriParam(label = "security", secret = true, description = "Password of keystoreFile.")
    private String keystorePassword;

    @UriParam(
            label = "security",
            description = "Alias of the key entry in keystoreFile; needed only when it holds several.")
    private String keystoreAlias;

    @UriParam(
            label = "security",
            secret = true,
            description = "Password of the key entry in keystoreFile, when it" + " differs from keystorePassword.")
    private String keyPassword;

    @UriParam(
            label = "security",
            description = "File holding a federated client assertion (workload identity), read"
                    + " afresh for every token request; usually {{env:AZURE_FEDERATED_TOKEN_FILE}}.")
    private String federatedTokenFile;

    @UriParam(
            label = "security",
            defaultValue = "CLIENT_CREDENTIALS",
            description =
                    "How tokens are obtained."
                            + " CLIENT_CREDENTIALS: the app's certificate, client secret or federated assertion at Entra's token endpoint."
                            + " AZURE_IDENTITY: azure-identity gives them (needs com.azure:azure-identity on the classpath): the"
                            + " tokenCredential bean, or else a DefaultAzureCredential (managed identity on Azure hosts, workload"
                            + " identity, the AZURE_* environment, Azure CLI); clientId then names a user-assigned managed identity,"
                            + " tenantId the tenant. Either way through the component's token cache (refresh ahead, one fetch in flight).")
    private CredentialType credentialType = CredentialType.CLIENT_CREDENTIALS;

    // typed Object (javaType says what it is) so that this class loads, and its fields can be listed, without
    // azure-identity on the classpath
    @UriParam(
            label = "security",
            javaType = "com.azure.core.credential.TokenCredential",
            description = "An azure-identity"
                    + " TokenCredential bean (e.g. a ManagedIdentityCredential) giving the tokens; setting it means"
                    + " credentialType=AZURE_IDENTITY.")
    private Object tokenCredential;

    @UriParam(
            label = "security,advanced",
            description = "A custom token provider bean, used instead of the built-in" + " credentials.")
    @Metadata(autowired = true)
    private TokenProvider tokenProvider;

    @UriParam(
            label = "security,advanced",
            defaultValue = "V2",
            description = "Entra token endpoint: V2 (scope) or V1 (resource).")
    private TokenEndpointVersion tokenEndpointVersion = TokenEndpointVersion.V2;

    @UriParam(
            label = "security,advanced",
            defaultValue = "PS256",
            description = "Signature algorithm of client"
                    + " assertions: PS256 (Entra's documentation) or RS256 (what MSAL sends).")
    private AssertionAlgorithm assertionAlgorithm = AssertionAlgorithm.PS256;

    @UriParam(
            label = "security,advanced",
            defaultValue = "false",
            description =
                    "Send the certificate chain (x5c) in" + " assertions, for subject name/issuer authentication.")
    private boolean sendX5c;

    @UriParam(
            label = "security,advanced",
            defaultValue = "false",
            description = "Also send the SHA-1 thumbprint (x5t)" + " beside x5t#S256.")
    private boolean sendX5tSha1;

    @UriParam(
            label = "security,advanced",
            defaultValue = "5m",
            description = "Refresh tokens this long before they"
                    + " expire (the server's refresh_in, when sent and sooner, wins).")
    private Duration tokenRefreshMargin = Duration.ofMinutes(5);

    @UriParam(label = "security", description = "TLS settings (trust store, key store) for Entra and Power BI.")
    private SSLContextParameters sslContextParameters;

    @UriParam(label = "proxy", description = "HTTP proxy host.")
    private String proxyHost;

    @UriParam(label = "proxy", description = "HTTP proxy port.")
    private Integer proxyPort;

    @UriParam(
            label = "advanced",
            defaultValue = "10s",
            description = "How long opening a connection to Entra or Power" + " BI may take.")
    private Duration connectTimeout = Duration.ofSeconds(10);

    @UriParam(
            label = "advanced",
            defaultValue = "2m",
            description = "How long an answer from Entra or Power BI may" + " take once the request is sent.")
    private Duration responseTimeout = Duration.ofMinutes(2);

    @UriParam(
            label = "advanced",
            defaultValue = "6",
            description =
                    "Attempts per Power BI call on 429, 5xx and broken"
                            + " connections. A call that starts or creates something (refresh, import, dataset) is sent again only when it"
                            + " provably never reached Power BI; after a lost answer its operation looks for what it started instead.")
    private int maxAttempts = 6;

    @UriParam(
            label = "advanced",
            defaultValue = "5m",
            description = "The longest Retry-After that is waited out; a"
                    + " longer one fails the call instead (0: none is waited out).")
    private Duration maxRetryAfter = Duration.ofMinutes(5);

    @UriParam(
            label = "common",
            description = "Workspace name or id. Names are resolved once and cached. refreshes:"
                    + " the workspace whose datasets are watched (required).")
    private String workspace;

    @UriParam(
            label = "common",
            description = "Dataset (semantic model) name or id. refreshes: watch only this"
                    + " dataset (otherwise every dataset of the workspace, or those datasetPattern matches).")
    private String dataset;

    @UriParam(label = "producer", description = "Report name or id (exportReport).")
    private String report;

    @UriParam(label = "producer", description = "Table name (pushRows, deleteRows).")
    private String table;

    @UriParam(
            label = "producer",
            defaultValue = "AUTO",
            description = "pushRows: format of a text, byte or file body;"
                    + " AUTO decides by file extension or first character.")
    private Format format = Format.AUTO;

    @UriParam(
            label = "producer",
            defaultValue = "FAIL",
            description = "pushRows: what invalid rows do. FAIL: the"
                    + " exchange fails before anything is sent. SKIP: valid rows are sent, rejected ones are returned in the"
                    + " CamelPowerBiRejectedRows header with row number, column and reason.")
    private InvalidRowPolicy invalidRowPolicy = InvalidRowPolicy.FAIL;

    @UriParam(
            label = "producer",
            defaultValue = "false",
            description = "pushRows: drop columns the table does not have" + " instead of rejecting the row.")
    private boolean ignoreUnknownColumns;

    @UriParam(
            label = "producer",
            defaultValue = "UTF-8",
            description = "pushRows: the character set of a file, byte or"
                    + " stream body, e.g. windows-1252. Decoding is strict: bytes that are not text in it stop the push with their"
                    + " row and byte offset; nothing is replaced.")
    private String charset = "UTF-8";

    @UriParam(
            label = "producer",
            defaultValue = "data/state/push",
            description = "pushRows: where the rows Power BI"
                    + " accepted of a file body are recorded after every batch (path, size, modification time and a hash of its"
                    + " head identify the file), so a push cut short by a crash or a failure resumes after them when the same,"
                    + " unchanged file is pushed again. A record is dropped once the exchange completed.")
    private String resumeDirectory = "data/state/push";

    @UriParam(label = "producer", defaultValue = "10000", description = "pushRows: rows per request (at most 10,000).")
    private int batchSize = 10_000;

    @UriParam(
            label = "producer",
            defaultValue = "false",
            description = "pushRows: a row stream. Each message holds one"
                    + " row or a few (a JSON object, array or NDJSON, a Map, a List of Maps); rows are gathered per table into"
                    + " batches of up to batchSize rows, sent within the dataset's limits once full or after lingerTime, and the"
                    + " message completes when Power BI accepted the batch holding its rows (or fails with the reason). The"
                    + " target may differ per message (header CamelPowerBiTarget). See README, Row streams.")
    private boolean streaming;

    @UriParam(
            label = "producer",
            defaultValue = "1s",
            javaType = "java.time.Duration",
            description = "pushRows with"
                    + " streaming: how long a batch's first row waits for more rows before the batch may be sent (a batch that"
                    + " reached batchSize goes at once; one held back by the rate limits goes on filling).")
    private Duration lingerTime = Duration.ofSeconds(1);

    @UriParam(
            label = "producer,advanced",
            defaultValue = "120",
            description = "pushRows: POST rows requests per minute"
                    + " per dataset, shared by every endpoint of the component.")
    private int maxRequestsPerMinute = 120;

    @UriParam(
            label = "producer,advanced",
            defaultValue = "1000000",
            description = "pushRows: rows per hour per dataset.")
    private long maxRowsPerHour = 1_000_000;

    @UriParam(
            label = "producer,advanced",
            defaultValue = "5",
            description = "pushRows: pending POST rows requests per dataset.")
    private int maxPendingRequests = 5;

    @UriParam(
            label = "producer,advanced",
            defaultValue = "10s",
            description = "pushRows: time between progress log lines.")
    private Duration progressInterval = Duration.ofSeconds(10);

    @UriParam(
            label = "producer",
            description =
                    "ensureDataset (and pushRows' column types): push dataset definition file,"
                            + " YAML or JSON, e.g. config/datasets/sales.yaml. ensureDataset also takes the definition as a Map body.")
    private String datasetDefinition;

    @UriParam(
            label = "producer",
            defaultValue = "true",
            description = "refreshDataset/importFile: wait for the outcome.")
    private boolean waitForCompletion = true;

    @UriParam(
            label = "producer",
            description = "refreshDataset: the type of an enhanced refresh (Power BI's default"
                    + " Automatic); unset, with no other enhanced refresh option, a plain refresh.")
    private RefreshType refreshType;

    @UriParam(
            label = "producer",
            description = "refreshDataset: how an enhanced refresh commits (Power BI's default" + " Transactional).")
    private CommitMode commitMode;

    @UriParam(
            label = "producer",
            description = "refreshDataset: tables or partitions to refresh, comma separated,"
                    + " each Table or Table/Partition.")
    private String objects;

    @UriParam(label = "producer", description = "refreshDataset: maxParallelism of an enhanced refresh.")
    private Integer maxParallelism;

    @UriParam(label = "producer", description = "refreshDataset: retryCount of an enhanced refresh.")
    private Integer retryCount;

    @UriParam(
            label = "producer",
            description = "refreshDataset: how long one attempt of an enhanced refresh may take"
                    + " (Power BI's default 5 h, at most 24 h), in whole seconds.")
    private Duration refreshTimeout;

    @UriParam(label = "producer", description = "refreshDataset: applyRefreshPolicy of an enhanced refresh.")
    private Boolean applyRefreshPolicy;

    @UriParam(
            label = "producer",
            defaultValue = "5s",
            description = "refreshDataset, exportReport, importFile: time" + " between status polls while waiting.")
    private Duration pollInterval = Duration.ofSeconds(5);

    @UriParam(
            label = "producer",
            defaultValue = "1h",
            description = "refreshDataset, exportReport, importFile: the" + " longest wait for the outcome.")
    private Duration waitTimeout = Duration.ofHours(1);

    @UriParam(
            label = "producer",
            defaultValue = "false",
            description = "refreshDataset: cancel an enhanced refresh that" + " outlives waitTimeout.")
    private boolean cancelOnTimeout;

    @UriParam(
            label = "producer",
            defaultValue = "true",
            description = "refreshDataset: a Failed, Cancelled or Disabled"
                    + " refresh fails the exchange; false leaves the outcome in the body.")
    private boolean failOnRefreshError = true;

    @UriParam(label = "producer", description = "refreshDataflow/dataflowTransactions: the dataflow's name or id.")
    private String dataflow;

    @UriParam(
            label = "producer",
            description =
                    "bindToGateway: the id of the on-premises gateway (of a cluster: its" + " primary gateway's).")
    private String gateway;

    @UriParam(
            label = "producer",
            description = "bindToGateway: the ids of the gateway's data sources to bind, comma"
                    + " separated; all of the model's data sources when not set.")
    private String datasourceIds;

    @UriParam(
            label = "producer",
            description = "add/update/deleteWorkspaceUser: who: a user's e-mail address, or the"
                    + " object id of a security group or of an app's service principal (not its client id).")
    private String principal;

    @UriParam(
            label = "producer",
            defaultValue = "User",
            description = "add/updateWorkspaceUser: what principal is:" + " User, Group or App.")
    private PrincipalType principalType = PrincipalType.User;

    @UriParam(
            label = "producer",
            description = "add/updateWorkspaceUser: the access right: Admin, Member, Contributor" + " or Viewer.")
    private WorkspaceAccessRight workspaceAccessRight;

    @UriParam(
            label = "producer",
            defaultValue = "FAIL",
            description = "refreshDataset: what to do when the dataset is"
                    + " already refreshing (Power BI runs one refresh per dataset at a time): FAIL; WAIT for it to end, then start"
                    + " ours; CANCEL_AND_RESTART: cancel it (only enhanced refreshes can be cancelled), then start ours. Waiting"
                    + " counts against waitTimeout.")
    private IfRefreshRunning ifRunning = IfRefreshRunning.FAIL;

    @UriParam(
            label = "common",
            defaultValue = "10",
            description = "refreshHistory: how many entries. refreshes: how"
                    + " many of each dataset's latest history entries one poll reads; more refreshes than this ending between"
                    + " two polls would be missed.")
    private int top = 10;

    @UriParam(label = "producer", description = "executeQuery: the DAX query; when not set, the body is the query.")
    private String query;

    @UriParam(label = "producer", description = "executeQuery: UPN to impersonate (RLS).")
    private String impersonatedUserName;

    @UriParam(label = "producer", defaultValue = "false", description = "executeQuery: keep null values in rows.")
    private boolean includeNulls;

    @UriParam(
            label = "producer",
            defaultValue = "false",
            description = "executeQuery: Table[Column] keys become Column.")
    private boolean stripTableNames;

    @UriParam(
            label = "producer",
            defaultValue = "PDF",
            description =
                    "exportReport: the file format. PDF, PPTX, PNG for"
                            + " Power BI reports; IMAGE, XLSX, DOCX, CSV, XML, MHTML, ACCESSIBLEPDF, PDF, PPTX for paginated reports.")
    private ExportFormat exportFormat = ExportFormat.PDF;

    @UriParam(label = "producer", description = "exportReport: page names, comma separated (Power BI reports).")
    private String pages;

    @UriParam(label = "producer", description = "exportReport: bookmark name to apply.")
    private String bookmark;

    @UriParam(label = "producer", description = "exportReport: one report-level filter, e.g. Store/Territory eq 'NC'.")
    private String reportLevelFilter;

    @UriParam(
            label = "producer",
            description = "exportReport: parameter values of a paginated report;"
                    + " updateParameters: the semantic model's new parameter values (when the body is not a Map). name=value"
                    + " pairs separated by commas.")
    private String parameterValues;

    @UriParam(label = "producer", defaultValue = "false", description = "exportReport: the report is paginated (RDL).")
    private boolean paginated;

    @UriParam(label = "producer", description = "importFile: the dataset display name (defaults to the file name).")
    private String datasetDisplayName;

    @UriParam(
            label = "producer",
            description = "importFile: what to do when the name exists. Unset: Power BI's default,"
                    + " Ignore (import anyway), or Abort for a .rdl file (which takes only Abort and Overwrite).")
    private NameConflict nameConflict;

    @UriParam(
            label = "producer",
            description = "HTTP method of the call operation: GET, POST, PUT, PATCH or DELETE"
                    + " (anything else is refused before a request is made).",
            defaultValue = "GET")
    private CallMethod method = CallMethod.GET;

    @UriParam(
            label = "producer",
            description = "Path of the call operation under /v1.0/myorg, e.g. /groups/{id}/datasets.")
    private String path;

    @UriParam(label = "producer", description = "OData $filter of list operations, e.g. name eq 'Sales'.")
    private String filter;

    // ------------------------------------------------------------------ Fabric Lakehouse and OneLake

    @UriParam(
            label = "common",
            description = "Lakehouse name or id (writeOneLakeFile, loadTable, loadRows). Names are"
                    + " resolved once and cached. Set it once for the component (camel.component.powerbi.lakehouse) and a"
                    + " pushRows route moves to loadRows by changing its operation.")
    private String lakehouse;

    @UriParam(
            label = "producer",
            description = "writeOneLakeFile: the file's path in the lakehouse, below Files/ (default"
                    + " Files/ plus the CamelFileName header). loadTable: the file, or a folder ending with /, to load. loadRows:"
                    + " the folder its CSV files are written to (default Files/camel-powerbi/<table>/).")
    private String oneLakePath;

    @UriParam(
            label = "producer",
            defaultValue = "Append",
            description = "loadTable, loadRows: Append adds the file's"
                    + " rows to the table (created when missing), Overwrite replaces the table. An Append whose answer is lost"
                    + " is not sent again (it would add the rows twice); an Overwrite is.")
    private LoadMode loadMode = LoadMode.Append;

    @UriParam(
            label = "producer",
            defaultValue = "AUTO",
            description = "loadTable: the format of the file: CSV or PARQUET;"
                    + " AUTO by the file's extension (.parquet, else CSV). A folder needs CSV or PARQUET.")
    private LoadFormat loadFormat = LoadFormat.AUTO;

    @UriParam(
            label = "producer",
            defaultValue = "true",
            description = "loadTable: the CSV file's first line names the" + " columns.")
    private boolean csvHeader = true;

    @UriParam(
            label = "producer",
            defaultValue = ",",
            description = "loadTable: the CSV file's field separator (one" + " character).")
    private String csvDelimiter = ",";

    @UriParam(
            label = "common,advanced",
            description = "Fabric REST API base overriding the public one,"
                    + " https://api.fabric.microsoft.com (a sandbox, a proxy). Its tokens are for https://api.fabric.microsoft.com"
                    + " and go to this host only.")
    private String fabricApiBaseUrl;

    @UriParam(
            label = "common,advanced",
            description = "OneLake's DFS endpoint overriding the public one,"
                    + " https://onelake.dfs.fabric.microsoft.com (a regional endpoint, a sandbox). Its tokens are for"
                    + " https://storage.azure.com and go to this host only.")
    private String oneLakeBaseUrl;

    // ------------------------------------------------------------------ activityEvents consumer

    @UriParam(
            label = "consumer",
            defaultValue = "1d",
            description = "activityEvents: where reading the log starts when"
                    + " no checkpoint is stored: an ISO instant (2026-11-01T00:00:00Z) or a duration back from now (7d, P7D). At"
                    + " most 30 days back (the log keeps 30 days); older is clamped, with a warning.")
    private String startFrom = "1d";

    @UriParam(
            label = "consumer",
            defaultValue = "1d",
            description = "refreshes: on first start (no state stored),"
                    + " refreshes that ended before this point are not emitted: an ISO instant or a duration back from now (1d,"
                    + " P1D). The point is stored and kept afterwards.")
    private String endedAfter = "1d";

    @UriParam(
            label = "consumer",
            description = "scan: the first run scans only the workspaces modified since this"
                    + " point, an ISO instant or a duration back from now (7d, P7D); unset (the default), the first run scans"
                    + " every workspace. More than 30 days back: a full scan.")
    private String modifiedSince;

    @UriParam(
            label = "consumer",
            defaultValue = "30m",
            description = "activityEvents: how far behind now the consumer"
                    + " stays. Events show up in the log with a delay; a lag shorter than that delay can miss events.")
    private Duration lag = Duration.ofMinutes(30);

    @UriParam(
            label = "consumer",
            description = "activityEvents: only events of this Activity (e.g. ViewReport), as"
                    + " $filter=Activity eq '...'.")
    private String activityFilter;

    @UriParam(
            label = "consumer",
            description =
                    "activityEvents: only events of this UserId (a UPN or app id), as" + " $filter=UserId eq '...'.")
    private String userIdFilter;

    @UriParam(
            label = "consumer",
            defaultValue = "true",
            description = "activityEvents: one exchange per event (body: the"
                    + " event as a Map); false: one exchange per page (body: a List of the page's events).")
    private boolean splitEvents = true;

    @UriParam(
            label = "consumer,advanced",
            description =
                    "activityEvents: where the checkpoint and the ids delivered in"
                            + " the current window are kept; refreshes: where the ids of the refreshes already emitted are kept (per"
                            + " dataset); scan: the checkpoint, the current run's workspace list and the ids delivered in it. Any"
                            + " StateRepository<String,String> bean. Default a file (stateFile) replaced atomically on each change.")
    private org.apache.camel.spi.StateRepository<String, String> stateRepository;

    @UriParam(
            label = "consumer",
            description = "activityEvents, refreshes, scan: the file of the default file state"
                    + " repository. Default data/state/powerbi-activity-<checkpointId>.dat, data/state/powerbi-refreshes-"
                    + "<checkpointId>.dat or data/state/powerbi-scan-<checkpointId>.dat.")
    private String stateFile;

    @UriParam(
            label = "consumer",
            description =
                    "activityEvents, refreshes, scan: the name this consumer's state is"
                            + " stored under (its key, and the name of the default stateFile). Default the route id. Set it where route"
                            + " ids are generated or missing, as under master: and in Kamelets, so a restart finds its checkpoint.")
    private String checkpointId;

    @UriParam(
            label = "consumer",
            defaultValue = "200",
            description = "activityEvents: the most requests sent per"
                    + " requestLimitPeriod (Power BI allows 200 an hour); the consumer waits for a free slot rather than be"
                    + " refused.")
    private int maxRequestsPerHour = 200;

    @UriParam(
            label = "consumer,advanced",
            defaultValue = "1h",
            description =
                    "activityEvents, scan: the sliding period"
                            + " the per-hour request budgets count over; change it only for tests against a time-scaled sandbox.")
    private Duration requestLimitPeriod = Duration.ofHours(1);

    @UriParam(
            label = "consumer,advanced",
            defaultValue = "1h",
            description = "activityEvents: the longest window; a" + " window never crosses a UTC midnight either.")
    private Duration windowDuration = Duration.ofHours(1);

    @UriParam(
            label = "consumer,advanced",
            defaultValue = "24",
            description = "activityEvents: the most windows one poll" + " processes (catch-up speed).")
    private int maxWindowsPerPoll = 24;

    @UriParam(
            label = "advanced",
            description = "The clock deciding 'now': the consumers' windows and checkpoints"
                    + " and the times in client assertions (default the system UTC clock); for tests against a sandbox whose"
                    + " clock starts at a fixed instant or is moved.")
    private Clock clock;

    // ------------------------------------------------------------------ refreshes consumer

    @UriParam(
            label = "consumer",
            description = "refreshes: a Java regular expression the whole dataset name must"
                    + " match for its refreshes to be watched (case-sensitive unless it sets the i flag); default every dataset"
                    + " of the workspace.")
    private String datasetPattern;

    @UriParam(
            label = "consumer",
            defaultValue = "false",
            description = "refreshes: also watch every dataflow of the"
                    + " workspace: each poll lists the dataflows and reads each one's refresh transactions, and each transaction"
                    + " that ended (it has an endTime) is emitted once, oldest first, with the same state and endedAfter as the"
                    + " datasets' refreshes; its body is a DataflowTransaction, its headers CamelPowerBiDataflowId and"
                    + " CamelPowerBiDataflowName instead of the dataset ones. dataset and datasetPattern choose datasets only."
                    + " Costs 1 + (dataflows) more GET calls per poll.")
    private boolean watchDataflows;

    // ------------------------------------------------------------------ scan consumer

    @UriParam(
            label = "consumer",
            defaultValue = "false",
            description = "scan: ask getInfo for lineage (dataset, report"
                    + " and dataflow upstream links, datasourceUsages).")
    private boolean lineage;

    @UriParam(
            label = "consumer",
            defaultValue = "false",
            description = "scan: ask getInfo for datasource details; the"
                    + " exchange body then also lists the datasourceInstances the workspace uses.")
    private boolean datasourceDetails;

    @UriParam(
            label = "consumer",
            defaultValue = "false",
            description =
                    "scan: ask getInfo for dataset schemas (tables,"
                            + " columns, measures). Power BI returns them only when the tenant enables detailed metadata scanning.")
    private boolean datasetSchema;

    @UriParam(
            label = "consumer",
            defaultValue = "false",
            description = "scan: ask getInfo for dataset DAX and M"
                    + " expressions. Power BI returns them only when the tenant enables detailed metadata scanning.")
    private boolean datasetExpressions;

    @UriParam(
            label = "consumer",
            defaultValue = "false",
            description = "scan: ask getInfo for the users of each artifact" + " and workspace.")
    private boolean getArtifactUsers;

    @UriParam(
            label = "consumer",
            defaultValue = "false",
            description = "scan: leave personal workspaces (My" + " workspace) out of the modified list.")
    private boolean excludePersonalWorkspaces;

    @UriParam(
            label = "consumer",
            defaultValue = "false",
            description = "scan: leave deleted and other inactive" + " workspaces out of the modified list.")
    private boolean excludeInActiveWorkspaces;

    @UriParam(
            label = "consumer",
            defaultValue = "100",
            description = "scan: workspaces per getInfo request, 1 to 100" + " (Power BI's maximum).")
    private int scanBatchSize = 100;

    @UriParam(
            label = "consumer",
            defaultValue = "16",
            description = "scan: getInfo scans running at once, 1 to 16" + " (Power BI's maximum per tenant).")
    private int maxScansInFlight = 16;

    @UriParam(
            label = "consumer",
            defaultValue = "30s",
            description = "scan: how often each running scan's scanStatus"
                    + " is read (Microsoft recommends 30 to 60 s); a Retry-After from Power BI wins.")
    private Duration scanPollInterval = Duration.ofSeconds(30);

    @UriParam(
            label = "consumer",
            defaultValue = "1h",
            description = "scan: how long a scan may take to succeed; a"
                    + " slower one is reported like a failed one and its workspaces are scanned again.")
    private Duration scanTimeout = Duration.ofHours(1);

    @UriParam(
            label = "consumer,advanced",
            defaultValue = "30",
            description = "scan: the most workspaces/modified calls"
                    + " per requestLimitPeriod (Power BI allows 30 an hour).")
    private int maxModifiedCallsPerHour = 30;

    @UriParam(
            label = "consumer,advanced",
            defaultValue = "500",
            description =
                    "scan: the most getInfo calls per"
                            + " requestLimitPeriod (Power BI allows 500 an hour); the consumer holds batches back rather than be refused.")
    private int maxScansPerHour = 500;

    @UriParam(
            label = "consumer,advanced",
            defaultValue = "10000",
            description =
                    "scan: the most scanStatus calls per" + " requestLimitPeriod (Power BI allows 10,000 an hour).")
    private int maxScanStatusCallsPerHour = 10_000;

    @UriParam(
            label = "consumer,advanced",
            defaultValue = "500",
            description = "scan: the most scanResult calls per" + " requestLimitPeriod (Power BI allows 500 an hour).")
    private int maxScanResultCallsPerHour = 500;

    public PowerBiConfiguration copy() {
        try {
            return (PowerBiConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    // ------------------------------------------------------------------ checks at route start

    /**
     * Checks every option on its own and against the others, so a bad one fails the route at start, named, rather than
     * the first message. Every option is checked whatever the endpoint's operation, as a message may name another one
     * ({@code CamelPowerBiOperation}). An option added to this class gets its check here.
     *
     * @throws InvalidOptionException naming the option, what is wrong and the fix
     */
    public void validate() {
        atLeast("maxAttempts", maxAttempts, 1);
        positive("connectTimeout", connectTimeout);
        positive("responseTimeout", responseTimeout);
        notNegative("maxRetryAfter", maxRetryAfter);
        notNegative("tokenRefreshMargin", tokenRefreshMargin);
        if (proxyPort != null && (proxyPort < 1 || proxyPort > 65_535)) {
            throw new InvalidOptionException(
                    "proxyPort", "must be 1 to 65535, was " + proxyPort, "give the proxy's port");
        }
        effectiveTokenHosts();
        SingleLine.require(path, "path");
        SingleLine.require(filter, "filter");
        // pushRows
        pushCharset();
        if (batchSize < 1 || batchSize > RowBatcher.MAX_BATCH_SIZE) {
            throw new InvalidOptionException(
                    "batchSize",
                    "must be 1 to " + RowBatcher.MAX_BATCH_SIZE + " (Power BI's limit" + " per request), was "
                            + batchSize,
                    "give at most " + RowBatcher.MAX_BATCH_SIZE);
        }
        atLeast("maxRequestsPerMinute", maxRequestsPerMinute, 1);
        atLeast("maxRowsPerHour", maxRowsPerHour, 1);
        atLeast("maxPendingRequests", maxPendingRequests, 1);
        if (maxRowsPerHour < batchSize) {
            throw new InvalidOptionException(
                    "batchSize",
                    "a batch of " + batchSize + " rows can never be sent within" + " maxRowsPerHour=" + maxRowsPerHour,
                    "set batchSize to at most maxRowsPerHour");
        }
        positive("progressInterval", progressInterval);
        notNegative("lingerTime", lingerTime);
        // refreshDataset, exportReport, importFile, refreshHistory
        positive("pollInterval", pollInterval);
        positive("waitTimeout", waitTimeout);
        atLeast("top", top, 1);
        refreshRequest();
        // updateParameters takes parameterValues too: that only paginated reports take them is checked when exporting
        if (paginated || parameterValues == null) {
            exportRequest();
        } else {
            parameterValues();
        }
        // the consumers
        SingleLine.require(checkpointId, "checkpointId");
        if (checkpointId != null && checkpointId.contains("=")) {
            throw new InvalidOptionException(
                    "checkpointId",
                    "'" + checkpointId + "' holds '=', which the state file" + " uses as its separator",
                    "use letters, digits, '.', '-' or '_'");
        }
        Instant anyTime = Instant.EPOCH.plus(Duration.ofDays(365 * 60));
        pointInTime("startFrom", startFrom, anyTime);
        pointInTime("endedAfter", endedAfter, anyTime);
        pointInTime("modifiedSince", modifiedSince, anyTime);
        notNegative("lag", lag);
        positive("windowDuration", windowDuration);
        positive("requestLimitPeriod", requestLimitPeriod);
        atLeast("maxRequestsPerHour", maxRequestsPerHour, 1);
        atLeast("maxWindowsPerPoll", maxWindowsPerPoll, 1);
        datasetPattern();
        if (scanBatchSize < 1 || scanBatchSize > 100) {
            throw new InvalidOptionException(
                    "scanBatchSize",
                    "must be 1 to 100 (getInfo takes at most 100" + " workspaces), was " + scanBatchSize,
                    "give at most 100");
        }
        if (maxScansInFlight < 1 || maxScansInFlight > 16) {
            throw new InvalidOptionException(
                    "maxScansInFlight",
                    "must be 1 to 16 (Power BI runs at most 16 scans at" + " once per tenant), was " + maxScansInFlight,
                    "give at most 16");
        }
        positive("scanPollInterval", scanPollInterval);
        positive("scanTimeout", scanTimeout);
        atLeast("maxModifiedCallsPerHour", maxModifiedCallsPerHour, 1);
        atLeast("maxScansPerHour", maxScansPerHour, 1);
        atLeast("maxScanStatusCallsPerHour", maxScanStatusCallsPerHour, 1);
        atLeast("maxScanResultCallsPerHour", maxScanResultCallsPerHour, 1);
    }

    /** What a duration option takes, for the fix of an error. */
    static final String DURATION_FORMS = "give a duration such as 30s, 1m30s, 2h, PT30S or milliseconds (1500)";

    /** Camel's own duration text (its TimeUtils): days, hours, minutes, seconds, milliseconds in this order, or ms. */
    private static final Pattern CAMEL_DURATION =
            Pattern.compile("-?\\d+|(?=\\d)(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?(\\d+ms)?");

    /**
     * A duration option's text read as Camel reads it into a {@code java.time.Duration} (its DurationConverter: ISO-8601
     * when it starts with P, else TimeUtils' {@code 1h30m}, {@code 30s}, {@code 1500ms} or plain milliseconds), but
     * refused where Camel would quietly read zero: it takes {@code later} or {@code 5x} for 0 ms.
     *
     * @throws InvalidOptionException naming {@code option}
     */
    static Duration duration(String option, String text) {
        try {
            if (text.regionMatches(true, 0, "P", 0, 1) || text.regionMatches(true, 0, "-P", 0, 2)) {
                return Duration.parse(text);
            }
            if (CAMEL_DURATION.matcher(text).matches()) {
                return Duration.ofMillis(TimeUtils.toMilliSeconds(text));
            }
        } catch (RuntimeException e) {
            throw new InvalidOptionException(option, "'" + text + "' is not a duration", DURATION_FORMS, e);
        }
        throw new InvalidOptionException(option, "'" + text + "' is not a duration", DURATION_FORMS);
    }

    /** The type of the option named {@code option} (any case, as Camel binds them), or null when it is not one of ours. */
    static Class<?> optionType(String option) {
        Field f = option(option);
        return f == null ? null : f.getType();
    }

    /**
     * The option named {@code name} in any case, camelCase or dashed ({@code poll-interval}), as Camel binds them; null
     * when it is not one of ours.
     */
    static Field option(String name) {
        String plain = name.replace("-", "");
        for (Field f : PowerBiConfiguration.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && f.getName().equalsIgnoreCase(plain)) {
                return f;
            }
        }
        return null;
    }

    private static void positive(String option, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidOptionException(option, "must be longer than zero, was " + value, DURATION_FORMS);
        }
    }

    private static void notNegative(String option, Duration value) {
        if (value == null || value.isNegative()) {
            throw new InvalidOptionException(option, "must be zero or longer, was " + value, DURATION_FORMS);
        }
    }

    private static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new InvalidOptionException(
                    option, "must be at least " + min + ", was " + value, "give " + min + " or more");
        }
    }

    /**
     * A point in time given as an ISO instant ({@code 2026-11-01T00:00:00Z}) or as a duration back from {@code now}, in
     * the forms every duration option takes (Camel's: {@code 7d}, {@code 6h30m}, {@code P7D}, {@code PT6H}, or
     * milliseconds); to the millisecond. Null when unset.
     */
    static Instant pointInTime(String option, String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            return Instant.parse(v).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException notAnInstant) {
            Duration ago;
            try {
                ago = duration(option, v);
            } catch (InvalidOptionException notADuration) {
                throw new InvalidOptionException(
                        option,
                        "'" + value + "' is neither an ISO instant nor a duration",
                        "give an instant such as 2026-11-01T00:00:00Z, or a duration back from now such as 7d, 6h,"
                                + " P7D or PT6H",
                        notADuration);
            }
            if (ago.isNegative()) {
                throw new InvalidOptionException(
                        option,
                        "'" + value + "' lies in the future",
                        "give a duration back" + " from now, e.g. 7d or P7D, or an instant");
            }
            return now.minus(ago).truncatedTo(ChronoUnit.MILLIS);
        }
    }

    /** {@code datasetPattern} compiled; null when unset. */
    Pattern datasetPattern() {
        if (datasetPattern == null || datasetPattern.isBlank()) {
            return null;
        }
        try {
            return Pattern.compile(datasetPattern);
        } catch (PatternSyntaxException e) {
            throw new InvalidOptionException(
                    "datasetPattern",
                    "'" + datasetPattern + "' is not a regular expression (" + e.getDescription() + ")",
                    "give one such as Sales.* or (?i)finance.*",
                    e);
        }
    }

    /**
     * The refresh the options ask for: a plain one unless an enhanced refresh option ({@code refreshType},
     * {@code commitMode}, {@code objects}, ...) is set.
     */
    RefreshRequest refreshRequest() {
        List<RefreshRequest.RefreshObject> refreshObjects = new ArrayList<>();
        if (objects != null && !objects.isBlank()) {
            for (String o : objects.split(",")) {
                String[] parts = o.trim().split("/", 2);
                refreshObjects.add(new RefreshRequest.RefreshObject(parts[0], parts.length > 1 ? parts[1] : null));
            }
        }
        return new RefreshRequest(
                null,
                refreshType,
                commitMode,
                refreshObjects,
                maxParallelism,
                retryCount,
                refreshTimeout,
                applyRefreshPolicy,
                null);
    }

    /** The export the options ask for. */
    ExportRequest exportRequest() {
        List<ExportRequest.Page> exportPages = new ArrayList<>();
        if (pages != null && !pages.isBlank()) {
            for (String p : pages.split(",")) {
                exportPages.add(new ExportRequest.Page(p.trim()));
            }
        }
        return new ExportRequest(
                exportFormat,
                paginated,
                exportPages,
                bookmark,
                null,
                reportLevelFilter,
                null,
                parameterValues(),
                Map.of());
    }

    /** {@code parameterValues} as name to value, in their order (exportReport, updateParameters). */
    Map<String, String> parameterValues() {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (parameterValues != null && !parameterValues.isBlank()) {
            for (String pair : parameterValues.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new InvalidOptionException(
                            "parameterValues",
                            "'" + pair + "' is not a name=value pair",
                            "give name=value pairs separated by commas, e.g. Year=2025,Region=North");
                }
                parameters.put(
                        pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return parameters;
    }

    /** Where tokens come from, checked now: a bad credential fails here, naming its option. */
    public TokenSource tokenSource(Clock clock) {
        return new TokenSource(
                authorityHost != null ? authorityHost : cloud.authorityHost(),
                tenantId,
                clientId,
                credential(clock),
                tokenEndpointVersion,
                resource != null ? resource : cloud.resource());
    }

    public String effectiveApiBaseUrl() {
        return apiBaseUrl != null ? apiBaseUrl : cloud.apiBaseUrl();
    }

    /** The Fabric REST API's base: {@code fabricApiBaseUrl}, else the public one. */
    public String effectiveFabricApiBaseUrl() {
        return fabricApiBaseUrl != null && !fabricApiBaseUrl.isBlank()
                ? fabricApiBaseUrl
                : "https://api.fabric.microsoft.com";
    }

    /** OneLake's DFS endpoint: {@code oneLakeBaseUrl}, else the public one. */
    public String effectiveOneLakeBaseUrl() {
        return oneLakeBaseUrl != null && !oneLakeBaseUrl.isBlank()
                ? oneLakeBaseUrl
                : "https://onelake.dfs.fabric.microsoft.com";
    }

    /** The entries of {@code tokenHosts}, or the cloud's Power BI domains when it is not set. */
    public List<String> effectiveTokenHosts() {
        return tokenHosts != null ? TokenHosts.split(tokenHosts) : cloud.powerBiDomains();
    }

    /** Whether azure-identity gives the tokens: credentialType AZURE_IDENTITY, or a tokenCredential bean. */
    public boolean usesAzureIdentity() {
        return credentialType == CredentialType.AZURE_IDENTITY || tokenCredential != null;
    }

    /**
     * Where azure-identity gets tokens from, checked now: no client credential may be set beside it, and azure-identity
     * must be on the classpath. A DefaultAzureCredential gets the authority host only when it is not the public cloud's
     * (so azure-identity's own AZURE_AUTHORITY_HOST still counts).
     */
    public AzureIdentitySource azureIdentitySource() {
        AzureIdentitySource.requireAvailable();
        List<String> set = clientCredentialsSet();
        if (!set.isEmpty()) {
            throw new CredentialException(
                    set.get(0),
                    "is set, but azure-identity gives the tokens ("
                            + (tokenCredential != null ? "tokenCredential" : "credentialType=AZURE_IDENTITY") + ")",
                    "remove " + String.join(" and ", set)
                            + ", or use credentialType=CLIENT_CREDENTIALS without tokenCredential");
        }
        String authority = authorityHost != null ? authorityHost : cloud != Cloud.PUBLIC ? cloud.authorityHost() : null;
        return new AzureIdentitySource(
                tokenCredential,
                authority,
                isSet(tenantId) ? tenantId.trim() : null,
                isSet(clientId) ? clientId.trim() : null,
                resource != null ? resource : cloud.resource());
    }

    /** The client credentials set, by option name. */
    private List<String> clientCredentialsSet() {
        List<String> set = new ArrayList<>();
        if (isSet(certificateFile) || isSet(privateKeyFile)) {
            set.add("certificateFile/privateKeyFile");
        }
        if (isSet(keystoreFile)) {
            set.add("keystoreFile");
        }
        if (isSet(federatedTokenFile)) {
            set.add("federatedTokenFile");
        }
        if (isSet(clientSecret)) {
            set.add("clientSecret");
        }
        return set;
    }

    /** The one credential configured; two at once is a mistake worth naming rather than guessing. */
    ClientCredential credential(Clock clock) {
        List<String> set = clientCredentialsSet();
        if (set.size() > 1) {
            throw new CredentialException(
                    set.get(0), "several credentials are set: " + set, "keep exactly one of them");
        }
        if (set.isEmpty()) {
            throw new CredentialException(
                    "clientSecret",
                    "no credential is set",
                    "set certificateFile and privateKeyFile (recommended), keystoreFile, federatedTokenFile or clientSecret;"
                            + " or credentialType=AZURE_IDENTITY for a managed identity");
        }
        return switch (set.get(0)) {
            case "keystoreFile" ->
                CertificateLoader.fromPkcs12(
                        Path.of(keystoreFile),
                        chars(keystorePassword),
                        isSet(keystoreAlias) ? keystoreAlias : null,
                        chars(keyPassword),
                        clock);
            case "certificateFile/privateKeyFile" ->
                CertificateLoader.fromPem(
                        isSet(certificateFile) ? Path.of(certificateFile) : null,
                        isSet(privateKeyFile) ? Path.of(privateKeyFile) : null,
                        chars(privateKeyPassword),
                        clock);
            case "federatedTokenFile" -> new FederatedAssertionFile(Path.of(federatedTokenFile));
            default -> new ClientSecret(clientSecret);
        };
    }

    private static boolean isSet(String s) {
        return s != null && !s.isBlank();
    }

    private static char[] chars(String s) {
        return isSet(s) ? s.toCharArray() : null;
    }

    public boolean isStreaming() {
        return streaming;
    }

    public void setStreaming(boolean streaming) {
        this.streaming = streaming;
    }

    public Duration getLingerTime() {
        return lingerTime;
    }

    public void setLingerTime(Duration lingerTime) {
        this.lingerTime = lingerTime;
    }

    public Cloud getCloud() {
        return cloud;
    }

    public void setCloud(Cloud cloud) {
        this.cloud = cloud;
    }

    public String getAuthorityHost() {
        return authorityHost;
    }

    public void setAuthorityHost(String authorityHost) {
        this.authorityHost = authorityHost;
    }

    public String getApiBaseUrl() {
        return apiBaseUrl;
    }

    public void setApiBaseUrl(String apiBaseUrl) {
        this.apiBaseUrl = apiBaseUrl;
    }

    public String getTokenHosts() {
        return tokenHosts;
    }

    public void setTokenHosts(String tokenHosts) {
        this.tokenHosts = tokenHosts;
    }

    public String getResource() {
        return resource;
    }

    public void setResource(String resource) {
        this.resource = resource;
    }

    public String getTenantId() {
        return tenantId;
    }

    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getClientSecret() {
        return clientSecret;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public String getCertificateFile() {
        return certificateFile;
    }

    public void setCertificateFile(String certificateFile) {
        this.certificateFile = certificateFile;
    }

    public String getPrivateKeyFile() {
        return privateKeyFile;
    }

    public void setPrivateKeyFile(String privateKeyFile) {
        this.privateKeyFile = privateKeyFile;
    }

    public String getPrivateKeyPassword() {
        return privateKeyPassword;
    }

    public void setPrivateKeyPassword(String privateKeyPassword) {
        this.privateKeyPassword = privateKeyPassword;
    }

    public String getKeystoreFile() {
        return keystoreFile;
    }

    public void setKeystoreFile(String keystoreFile) {
        this.keystoreFile = keystoreFile;
    }

    public String getKeystorePassword() {
        return keystorePassword;
    }

    public void setKeystorePassword(String keystorePassword) {
        this.keystorePassword = keystorePassword;
    }

    public String getKeystoreAlias() {
        return keystoreAlias;
    }

    public void setKeystoreAlias(String keystoreAlias) {
        this.keystoreAlias = keystoreAlias;
    }

    public String getKeyPassword() {
        return keyPassword;
    }

    public void setKeyPassword(String keyPassword) {
        this.keyPassword = keyPassword;
    }

    public String getFederatedTokenFile() {
        return federatedTokenFile;
    }

    public void setFederatedTokenFile(String federatedTokenFile) {
        this.federatedTokenFile = federatedTokenFile;
    }

    public CredentialType getCredentialType() {
        return credentialType;
    }

    public void setCredentialType(CredentialType credentialType) {
        this.credentialType = credentialType;
    }

    public Object getTokenCredential() {
        return tokenCredential;
    }

    public void setTokenCredential(Object tokenCredential) {
        this.tokenCredential = tokenCredential;
    }

    public TokenProvider getTokenProvider() {
        return tokenProvider;
    }

    public void setTokenProvider(TokenProvider tokenProvider) {
        this.tokenProvider = tokenProvider;
    }

    public TokenEndpointVersion getTokenEndpointVersion() {
        return tokenEndpointVersion;
    }

    public void setTokenEndpointVersion(TokenEndpointVersion tokenEndpointVersion) {
        this.tokenEndpointVersion = tokenEndpointVersion;
    }

    public AssertionAlgorithm getAssertionAlgorithm() {
        return assertionAlgorithm;
    }

    public void setAssertionAlgorithm(AssertionAlgorithm assertionAlgorithm) {
        this.assertionAlgorithm = assertionAlgorithm;
    }

    public boolean isSendX5c() {
        return sendX5c;
    }

    public void setSendX5c(boolean sendX5c) {
        this.sendX5c = sendX5c;
    }

    public boolean isSendX5tSha1() {
        return sendX5tSha1;
    }

    public void setSendX5tSha1(boolean sendX5tSha1) {
        this.sendX5tSha1 = sendX5tSha1;
    }

    public Duration getTokenRefreshMargin() {
        return tokenRefreshMargin;
    }

    public void setTokenRefreshMargin(Duration tokenRefreshMargin) {
        this.tokenRefreshMargin = tokenRefreshMargin;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public String getProxyHost() {
        return proxyHost;
    }

    public void setProxyHost(String proxyHost) {
        this.proxyHost = proxyHost;
    }

    public Integer getProxyPort() {
        return proxyPort;
    }

    public void setProxyPort(Integer proxyPort) {
        this.proxyPort = proxyPort;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getResponseTimeout() {
        return responseTimeout;
    }

    public void setResponseTimeout(Duration responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getMaxRetryAfter() {
        return maxRetryAfter;
    }

    public void setMaxRetryAfter(Duration maxRetryAfter) {
        this.maxRetryAfter = maxRetryAfter;
    }

    public CallMethod getMethod() {
        return method;
    }

    public void setMethod(CallMethod method) {
        this.method = method;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getFilter() {
        return filter;
    }

    public void setFilter(String filter) {
        this.filter = filter;
    }

    public String getWorkspace() {
        return workspace;
    }

    public void setWorkspace(String workspace) {
        this.workspace = workspace;
    }

    public String getDataset() {
        return dataset;
    }

    public void setDataset(String dataset) {
        this.dataset = dataset;
    }

    public String getReport() {
        return report;
    }

    public void setReport(String report) {
        this.report = report;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public String getCharset() {
        return charset;
    }

    public void setCharset(String charset) {
        this.charset = charset;
    }

    /** {@link #getCharset()} as a Charset; checked at route start, naming the option. */
    public Charset pushCharset() {
        try {
            return Charset.forName(charset == null || charset.isBlank() ? "UTF-8" : charset.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(
                    "charset",
                    "'" + charset + "' is not a character set this JVM knows",
                    "use e.g. UTF-8, windows-1252, ISO-8859-1 or UTF-16",
                    e);
        }
    }

    public String getResumeDirectory() {
        return resumeDirectory;
    }

    public void setResumeDirectory(String resumeDirectory) {
        this.resumeDirectory = resumeDirectory;
    }

    public Format getFormat() {
        return format;
    }

    public void setFormat(Format format) {
        this.format = format;
    }

    public InvalidRowPolicy getInvalidRowPolicy() {
        return invalidRowPolicy;
    }

    public void setInvalidRowPolicy(InvalidRowPolicy invalidRowPolicy) {
        this.invalidRowPolicy = invalidRowPolicy;
    }

    public boolean isIgnoreUnknownColumns() {
        return ignoreUnknownColumns;
    }

    public void setIgnoreUnknownColumns(boolean ignoreUnknownColumns) {
        this.ignoreUnknownColumns = ignoreUnknownColumns;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public int getMaxRequestsPerMinute() {
        return maxRequestsPerMinute;
    }

    public void setMaxRequestsPerMinute(int maxRequestsPerMinute) {
        this.maxRequestsPerMinute = maxRequestsPerMinute;
    }

    public long getMaxRowsPerHour() {
        return maxRowsPerHour;
    }

    public void setMaxRowsPerHour(long maxRowsPerHour) {
        this.maxRowsPerHour = maxRowsPerHour;
    }

    public int getMaxPendingRequests() {
        return maxPendingRequests;
    }

    public void setMaxPendingRequests(int maxPendingRequests) {
        this.maxPendingRequests = maxPendingRequests;
    }

    public Duration getProgressInterval() {
        return progressInterval;
    }

    public void setProgressInterval(Duration progressInterval) {
        this.progressInterval = progressInterval;
    }

    public String getDatasetDefinition() {
        return datasetDefinition;
    }

    public void setDatasetDefinition(String datasetDefinition) {
        this.datasetDefinition = datasetDefinition;
    }

    public boolean isWaitForCompletion() {
        return waitForCompletion;
    }

    public void setWaitForCompletion(boolean waitForCompletion) {
        this.waitForCompletion = waitForCompletion;
    }

    public RefreshType getRefreshType() {
        return refreshType;
    }

    public void setRefreshType(RefreshType refreshType) {
        this.refreshType = refreshType;
    }

    public CommitMode getCommitMode() {
        return commitMode;
    }

    public void setCommitMode(CommitMode commitMode) {
        this.commitMode = commitMode;
    }

    public String getObjects() {
        return objects;
    }

    public void setObjects(String objects) {
        this.objects = objects;
    }

    public Integer getMaxParallelism() {
        return maxParallelism;
    }

    public void setMaxParallelism(Integer maxParallelism) {
        this.maxParallelism = maxParallelism;
    }

    public Integer getRetryCount() {
        return retryCount;
    }

    public void setRetryCount(Integer retryCount) {
        this.retryCount = retryCount;
    }

    public Duration getRefreshTimeout() {
        return refreshTimeout;
    }

    public void setRefreshTimeout(Duration refreshTimeout) {
        this.refreshTimeout = refreshTimeout;
    }

    public Boolean getApplyRefreshPolicy() {
        return applyRefreshPolicy;
    }

    public void setApplyRefreshPolicy(Boolean applyRefreshPolicy) {
        this.applyRefreshPolicy = applyRefreshPolicy;
    }

    public String getStartFrom() {
        return startFrom;
    }

    public void setStartFrom(String startFrom) {
        this.startFrom = startFrom;
    }

    public String getEndedAfter() {
        return endedAfter;
    }

    public void setEndedAfter(String endedAfter) {
        this.endedAfter = endedAfter;
    }

    public String getModifiedSince() {
        return modifiedSince;
    }

    public void setModifiedSince(String modifiedSince) {
        this.modifiedSince = modifiedSince;
    }

    public Duration getLag() {
        return lag;
    }

    public void setLag(Duration lag) {
        this.lag = lag;
    }

    public String getActivityFilter() {
        return activityFilter;
    }

    public void setActivityFilter(String activityFilter) {
        this.activityFilter = activityFilter;
    }

    public String getUserIdFilter() {
        return userIdFilter;
    }

    public void setUserIdFilter(String userIdFilter) {
        this.userIdFilter = userIdFilter;
    }

    public boolean isSplitEvents() {
        return splitEvents;
    }

    public void setSplitEvents(boolean splitEvents) {
        this.splitEvents = splitEvents;
    }

    public org.apache.camel.spi.StateRepository<String, String> getStateRepository() {
        return stateRepository;
    }

    public void setStateRepository(org.apache.camel.spi.StateRepository<String, String> stateRepository) {
        this.stateRepository = stateRepository;
    }

    public String getStateFile() {
        return stateFile;
    }

    public void setStateFile(String stateFile) {
        this.stateFile = stateFile;
    }

    public String getCheckpointId() {
        return checkpointId;
    }

    public void setCheckpointId(String checkpointId) {
        this.checkpointId = checkpointId;
    }

    public int getMaxRequestsPerHour() {
        return maxRequestsPerHour;
    }

    public void setMaxRequestsPerHour(int maxRequestsPerHour) {
        this.maxRequestsPerHour = maxRequestsPerHour;
    }

    public Duration getRequestLimitPeriod() {
        return requestLimitPeriod;
    }

    public void setRequestLimitPeriod(Duration requestLimitPeriod) {
        this.requestLimitPeriod = requestLimitPeriod;
    }

    public Duration getWindowDuration() {
        return windowDuration;
    }

    public void setWindowDuration(Duration windowDuration) {
        this.windowDuration = windowDuration;
    }

    public int getMaxWindowsPerPoll() {
        return maxWindowsPerPoll;
    }

    public void setMaxWindowsPerPoll(int maxWindowsPerPoll) {
        this.maxWindowsPerPoll = maxWindowsPerPoll;
    }

    public String getDatasetPattern() {
        return datasetPattern;
    }

    public void setDatasetPattern(String datasetPattern) {
        this.datasetPattern = datasetPattern;
    }

    public Clock getClock() {
        return clock;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }

    public boolean isLineage() {
        return lineage;
    }

    public void setLineage(boolean lineage) {
        this.lineage = lineage;
    }

    public boolean isDatasourceDetails() {
        return datasourceDetails;
    }

    public void setDatasourceDetails(boolean datasourceDetails) {
        this.datasourceDetails = datasourceDetails;
    }

    public boolean isDatasetSchema() {
        return datasetSchema;
    }

    public void setDatasetSchema(boolean datasetSchema) {
        this.datasetSchema = datasetSchema;
    }

    public boolean isDatasetExpressions() {
        return datasetExpressions;
    }

    public void setDatasetExpressions(boolean datasetExpressions) {
        this.datasetExpressions = datasetExpressions;
    }

    public boolean isGetArtifactUsers() {
        return getArtifactUsers;
    }

    public void setGetArtifactUsers(boolean getArtifactUsers) {
        this.getArtifactUsers = getArtifactUsers;
    }

    public boolean isExcludePersonalWorkspaces() {
        return excludePersonalWorkspaces;
    }

    public void setExcludePersonalWorkspaces(boolean excludePersonalWorkspaces) {
        this.excludePersonalWorkspaces = excludePersonalWorkspaces;
    }

    public boolean isExcludeInActiveWorkspaces() {
        return excludeInActiveWorkspaces;
    }

    public void setExcludeInActiveWorkspaces(boolean excludeInActiveWorkspaces) {
        this.excludeInActiveWorkspaces = excludeInActiveWorkspaces;
    }

    public int getScanBatchSize() {
        return scanBatchSize;
    }

    public void setScanBatchSize(int scanBatchSize) {
        this.scanBatchSize = scanBatchSize;
    }

    public int getMaxScansInFlight() {
        return maxScansInFlight;
    }

    public void setMaxScansInFlight(int maxScansInFlight) {
        this.maxScansInFlight = maxScansInFlight;
    }

    public Duration getScanPollInterval() {
        return scanPollInterval;
    }

    public void setScanPollInterval(Duration scanPollInterval) {
        this.scanPollInterval = scanPollInterval;
    }

    public Duration getScanTimeout() {
        return scanTimeout;
    }

    public void setScanTimeout(Duration scanTimeout) {
        this.scanTimeout = scanTimeout;
    }

    public int getMaxModifiedCallsPerHour() {
        return maxModifiedCallsPerHour;
    }

    public void setMaxModifiedCallsPerHour(int maxModifiedCallsPerHour) {
        this.maxModifiedCallsPerHour = maxModifiedCallsPerHour;
    }

    public int getMaxScansPerHour() {
        return maxScansPerHour;
    }

    public void setMaxScansPerHour(int maxScansPerHour) {
        this.maxScansPerHour = maxScansPerHour;
    }

    public int getMaxScanStatusCallsPerHour() {
        return maxScanStatusCallsPerHour;
    }

    public void setMaxScanStatusCallsPerHour(int maxScanStatusCallsPerHour) {
        this.maxScanStatusCallsPerHour = maxScanStatusCallsPerHour;
    }

    public int getMaxScanResultCallsPerHour() {
        return maxScanResultCallsPerHour;
    }

    public void setMaxScanResultCallsPerHour(int maxScanResultCallsPerHour) {
        this.maxScanResultCallsPerHour = maxScanResultCallsPerHour;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getWaitTimeout() {
        return waitTimeout;
    }

    public void setWaitTimeout(Duration waitTimeout) {
        this.waitTimeout = waitTimeout;
    }

    public boolean isCancelOnTimeout() {
        return cancelOnTimeout;
    }

    public void setCancelOnTimeout(boolean cancelOnTimeout) {
        this.cancelOnTimeout = cancelOnTimeout;
    }

    public boolean isFailOnRefreshError() {
        return failOnRefreshError;
    }

    public void setFailOnRefreshError(boolean failOnRefreshError) {
        this.failOnRefreshError = failOnRefreshError;
    }

    public boolean isWatchDataflows() {
        return watchDataflows;
    }

    public void setWatchDataflows(boolean watchDataflows) {
        this.watchDataflows = watchDataflows;
    }

    public String getDataflow() {
        return dataflow;
    }

    public void setDataflow(String dataflow) {
        this.dataflow = dataflow;
    }

    public String getGateway() {
        return gateway;
    }

    public void setGateway(String gateway) {
        this.gateway = gateway;
    }

    public String getDatasourceIds() {
        return datasourceIds;
    }

    public void setDatasourceIds(String datasourceIds) {
        this.datasourceIds = datasourceIds;
    }

    public String getPrincipal() {
        return principal;
    }

    public void setPrincipal(String principal) {
        this.principal = principal;
    }

    public PrincipalType getPrincipalType() {
        return principalType;
    }

    public void setPrincipalType(PrincipalType principalType) {
        this.principalType = principalType;
    }

    public WorkspaceAccessRight getWorkspaceAccessRight() {
        return workspaceAccessRight;
    }

    public void setWorkspaceAccessRight(WorkspaceAccessRight workspaceAccessRight) {
        this.workspaceAccessRight = workspaceAccessRight;
    }

    public IfRefreshRunning getIfRunning() {
        return ifRunning;
    }

    public void setIfRunning(IfRefreshRunning ifRunning) {
        this.ifRunning = ifRunning;
    }

    public int getTop() {
        return top;
    }

    public void setTop(int top) {
        this.top = top;
    }

    public String getQuery() {
        return query;
    }

    public void setQuery(String query) {
        this.query = query;
    }

    public String getImpersonatedUserName() {
        return impersonatedUserName;
    }

    public void setImpersonatedUserName(String impersonatedUserName) {
        this.impersonatedUserName = impersonatedUserName;
    }

    public boolean isIncludeNulls() {
        return includeNulls;
    }

    public void setIncludeNulls(boolean includeNulls) {
        this.includeNulls = includeNulls;
    }

    public boolean isStripTableNames() {
        return stripTableNames;
    }

    public void setStripTableNames(boolean stripTableNames) {
        this.stripTableNames = stripTableNames;
    }

    public ExportFormat getExportFormat() {
        return exportFormat;
    }

    public void setExportFormat(ExportFormat exportFormat) {
        this.exportFormat = exportFormat;
    }

    public String getPages() {
        return pages;
    }

    public void setPages(String pages) {
        this.pages = pages;
    }

    public String getBookmark() {
        return bookmark;
    }

    public void setBookmark(String bookmark) {
        this.bookmark = bookmark;
    }

    public String getReportLevelFilter() {
        return reportLevelFilter;
    }

    public void setReportLevelFilter(String reportLevelFilter) {
        this.reportLevelFilter = reportLevelFilter;
    }

    public String getParameterValues() {
        return parameterValues;
    }

    public void setParameterValues(String parameterValues) {
        this.parameterValues = parameterValues;
    }

    public boolean isPaginated() {
        return paginated;
    }

    public void setPaginated(boolean paginated) {
        this.paginated = paginated;
    }

    public String getDatasetDisplayName() {
        return datasetDisplayName;
    }

    public void setDatasetDisplayName(String datasetDisplayName) {
        this.datasetDisplayName = datasetDisplayName;
    }

    public NameConflict getNameConflict() {
        return nameConflict;
    }

    public void setNameConflict(NameConflict nameConflict) {
        this.nameConflict = nameConflict;
    }

    @Override
    public String toString() {
        // Only what is safe to show: no client id, secret, password or key path.
        return "PowerBiConfiguration[cloud=" + cloud + ", authorityHost=" + authorityHost + ", apiBaseUrl=" + apiBaseUrl
                + ", tenantId=" + tenantId + "]";
    }

    public String getLakehouse() {
        return lakehouse;
    }

    public void setLakehouse(String lakehouse) {
        this.lakehouse = lakehouse;
    }

    public String getOneLakePath() {
        return oneLakePath;
    }

    public void setOneLakePath(String oneLakePath) {
        this.oneLakePath = oneLakePath;
    }

    public LoadMode getLoadMode() {
        return loadMode;
    }

    public void setLoadMode(LoadMode loadMode) {
        this.loadMode = loadMode;
    }

    public LoadFormat getLoadFormat() {
        return loadFormat;
    }

    public void setLoadFormat(LoadFormat loadFormat) {
        this.loadFormat = loadFormat;
    }

    public boolean isCsvHeader() {
        return csvHeader;
    }

    public void setCsvHeader(boolean csvHeader) {
        this.csvHeader = csvHeader;
    }

    public String getCsvDelimiter() {
        return csvDelimiter;
    }

    public void setCsvDelimiter(String csvDelimiter) {
        this.csvDelimiter = csvDelimiter;
    }

    public String getFabricApiBaseUrl() {
        return fabricApiBaseUrl;
    }

    public void setFabricApiBaseUrl(String fabricApiBaseUrl) {
        this.fabricApiBaseUrl = fabricApiBaseUrl;
    }

    public String getOneLakeBaseUrl() {
        return oneLakeBaseUrl;
    }

    public void setOneLakeBaseUrl(String oneLakeBaseUrl) {
        this.oneLakeBaseUrl = oneLakeBaseUrl;
    }
}
