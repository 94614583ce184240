package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Configuration of the sandbox: where it listens, where it keeps key material, how strict the token endpoint is,
 * which tenants, apps and workspaces exist (with their seeded datasets and reports), which faults to inject, the
 * Power BI limits it enforces ({@code limits}, see {@link LimitsConfig}) and how its asynchronous operations behave
 * ({@code refreshes}, {@code exports}, {@code imports}, {@code wrongCluster}, {@code activityEvents}, {@code scans},
 * {@code listTableColumns}, see {@link ApiSettings}).
 * {@code extraWorkspaces: N} adds N generated workspaces (content, no members) to the development tenant.
 * {@code remoteControl: true} lets non-loopback callers use {@code /_sandbox}.
 *
 * <p>Each setting is declared once, as a component of this record: {@link #load(Path)} reads a YAML or JSON file (see
 * {@code config/sandbox.yaml}) over {@link #defaults()} key by key, so missing keys keep their defaults and unknown
 * keys are an error (a typo does not silently change nothing); in code,
 * {@code SandboxConfig.defaults().with(SandboxConfig::stateDir, dir)} changes one ({@link Copyable}).
 *
 * <p>The development tenant ({@link Sandbox#DEV_TENANT_ID}) is added unless {@code devTenant: false}; if
 * {@code tenants} lists a tenant with the same id, that entry replaces the built-in one.
 */
public record SandboxConfig(
        String host,
        int port,
        boolean https,
        @JsonSerialize(using = ToStringSerializer.class) Path stateDir,
        int clockSkewSeconds,
        boolean jtiReplayProtection,
        int tokenLifetimeSeconds,
        Integer refreshInSeconds,
        boolean lenientV1V2Path,
        boolean lenientHostAliases,
        boolean lenientTenantForms,
        boolean lenientIssuerForm,
        boolean devTenant,
        List<TenantConfig> tenants,
        List<String> knownResources,
        List<String> apiAudiences,
        int apiClockSkewSeconds,
        String homeClusterUri,
        List<FaultRule> faults,
        LimitsConfig limits,
        ApiSettings.Refreshes refreshes,
        ApiSettings.Exports exports,
        ApiSettings.Imports imports,
        boolean wrongCluster,
        boolean remoteControl,
        ApiSettings.ActivityEvents activityEvents,
        ApiSettings.Scans scans,
        int extraWorkspaces,
        boolean listTableColumns)
        implements Copyable<SandboxConfig> {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Path DEFAULT_STATE_DIR = Path.of("data", "sandbox");
    public static final int DEFAULT_CLOCK_SKEW_SECONDS = 300;
    public static final int DEFAULT_TOKEN_LIFETIME_SECONDS = 3599;
    public static final String DEFAULT_HOME_CLUSTER_URI = "https://wabi-sandbox-primary-redirect.analysis.windows.net/";

    /** The Power BI resources (token audiences) of every cloud (https://learn.microsoft.com/en-us/power-bi/developer/embedded/embed-sample-for-customers-national-clouds). */
    public static final List<String> POWER_BI_RESOURCES = List.of(
            "https://analysis.windows.net/powerbi/api",
            "https://analysis.usgovcloudapi.net/powerbi/api",
            "https://high.analysis.usgovcloudapi.net/powerbi/api",
            "https://mil.analysis.usgovcloudapi.net/powerbi/api",
            "https://analysis.chinacloudapi.cn/powerbi/api");

    /**
     * The resources tokens are issued for by default: Power BI's of every cloud, and those of the same app's other
     * services: the Fabric API, Azure Storage (OneLake) and Azure SQL (a Fabric Warehouse or SQL database through
     * mssql-jdbc's token callback).
     */
    public static final List<String> DEFAULT_KNOWN_RESOURCES = java.util.stream.Stream.concat(
                    POWER_BI_RESOURCES.stream(),
                    java.util.stream.Stream.of(
                            "https://api.fabric.microsoft.com",
                            "https://storage.azure.com",
                            "https://database.windows.net"))
            .toList();

    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public SandboxConfig {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host.trim();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("sandbox config: port out of range: " + port);
        }
        stateDir = stateDir == null ? DEFAULT_STATE_DIR : stateDir;
        if (clockSkewSeconds < 0) {
            throw new IllegalArgumentException("sandbox config: clockSkewSeconds must not be negative");
        }
        if (tokenLifetimeSeconds < 60) {
            throw new IllegalArgumentException("sandbox config: tokenLifetimeSeconds must be at least 60");
        }
        if (refreshInSeconds != null && refreshInSeconds < 1) {
            throw new IllegalArgumentException("sandbox config: refreshInSeconds must be positive");
        }
        if (apiClockSkewSeconds < 0) {
            throw new IllegalArgumentException("sandbox config: apiClockSkewSeconds must not be negative");
        }
        tenants = tenants == null ? List.of() : List.copyOf(tenants);
        knownResources = knownResources == null ? DEFAULT_KNOWN_RESOURCES : List.copyOf(knownResources);
        apiAudiences = apiAudiences == null ? List.of(POWER_BI_RESOURCES.get(0)) : List.copyOf(apiAudiences);
        homeClusterUri = homeClusterUri == null ? DEFAULT_HOME_CLUSTER_URI : homeClusterUri;
        faults = faults == null ? List.of() : List.copyOf(faults);
        limits = limits == null ? LimitsConfig.defaults() : limits;
        refreshes = refreshes == null ? ApiSettings.Refreshes.defaults() : refreshes;
        exports = exports == null ? ApiSettings.Exports.defaults() : exports;
        imports = imports == null ? ApiSettings.Imports.defaults() : imports;
        activityEvents = activityEvents == null ? ApiSettings.ActivityEvents.defaults() : activityEvents;
        scans = scans == null ? ApiSettings.Scans.defaults() : scans;
        if (extraWorkspaces < 0 || extraWorkspaces > 100_000) {
            throw new IllegalArgumentException("sandbox config: extraWorkspaces must be 0..100000: " + extraWorkspaces);
        }
        List<String> ids = new ArrayList<>();
        for (TenantConfig t : tenants) {
            if (ids.contains(t.id().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("sandbox config: tenant listed twice: " + t.id());
            }
            ids.add(t.id().toLowerCase(Locale.ROOT));
        }
    }

    /** The run-time settings this configuration starts with. */
    public ApiSettings settings() {
        return new ApiSettings(wrongCluster, refreshes, exports, imports, activityEvents, scans, listTableColumns);
    }

    /** Everything at its default: the dev tenant, HTTPS on 127.0.0.1, an ephemeral port, strict Entra rules. */
    public static SandboxConfig defaults() {
        // null: the default the constructor gives
        return new SandboxConfig(
                null,
                0,
                true,
                null,
                DEFAULT_CLOCK_SKEW_SECONDS,
                false,
                DEFAULT_TOKEN_LIFETIME_SECONDS,
                null,
                false,
                false,
                false,
                false,
                true,
                null,
                null,
                null,
                0,
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                false,
                null,
                null,
                0,
                false);
    }

    /** Reads a YAML or JSON file (a {@code .json} name selects JSON, anything else YAML, which also reads JSON). */
    public static SandboxConfig load(Path file) throws IOException {
        ObjectMapper mapper =
                file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? Json.MAPPER : Json.YAML;
        JsonNode tree = Files.size(file) == 0 ? null : mapper.readTree(file.toFile());
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return defaults();
        }
        try {
            return Json.merge(defaults(), tree, SandboxConfig.class, "");
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid sandbox configuration " + file + ": " + e.getMessage(), e);
        }
    }

    /** The tenants the sandbox will hold: the dev tenant (unless disabled or overridden) followed by {@link #tenants()}. */
    public List<TenantConfig> effectiveTenants() {
        List<TenantConfig> result = new ArrayList<>();
        boolean overridden = tenants.stream().anyMatch(t -> t.id().equalsIgnoreCase(Sandbox.DEV_TENANT_ID));
        if (devTenant && !overridden) {
            result.add(devTenantConfig());
        }
        result.addAll(tenants);
        return result;
    }

    /**
     * The built-in development tenant: one app, two workspaces it belongs to and one it does not, with the seeded
     * datasets and reports of {@link DevContent} ({@code config/sandbox.yaml} lists the same).
     */
    public static TenantConfig devTenantConfig() {
        AppConfig app = new AppConfig(
                Sandbox.DEV_CLIENT_ID,
                "camel-powerbi sandbox app",
                Sandbox.DEV_APP_OBJECT_ID,
                true,
                List.of(),
                List.of(),
                List.of());
        // the emulated host's system-assigned managed identity: a service principal without secrets or certificates
        AppConfig identity = new AppConfig(
                Sandbox.DEV_MANAGED_IDENTITY_CLIENT_ID,
                "camel-powerbi-host",
                Sandbox.DEV_MANAGED_IDENTITY_OBJECT_ID,
                true,
                List.of(),
                List.of(),
                List.of());
        List<String> members = List.of(Sandbox.DEV_CLIENT_ID, Sandbox.DEV_MANAGED_IDENTITY_CLIENT_ID);
        return new TenantConfig(
                Sandbox.DEV_TENANT_ID,
                Sandbox.DEV_TENANT_DOMAIN,
                "Camel Power BI Sandbox",
                true,
                true,
                List.of(app, identity),
                List.of(
                        new WorkspaceConfig(
                                Sandbox.WORKSPACE_SALES_ANALYTICS,
                                "Sales Analytics",
                                members,
                                true,
                                Sandbox.DEV_CAPACITY_ID,
                                DevContent.salesAnalyticsDatasets(),
                                DevContent.salesAnalyticsReports(),
                                List.of(new DataflowConfig(Sandbox.DATAFLOW_SALES_PREP, "Sales Prep", 2.0, null))),
                        new WorkspaceConfig(
                                Sandbox.WORKSPACE_FINANCE,
                                "Finance",
                                members,
                                false,
                                null,
                                DevContent.financeDatasets(),
                                List.of()),
                        new WorkspaceConfig(
                                Sandbox.WORKSPACE_EXECUTIVE_BOARD, "Executive Board", List.of(), false, null)));
    }

    /** This configuration with {@code tenant} added to {@link #tenants()}. */
    public SandboxConfig withTenant(TenantConfig tenant) {
        return with(SandboxConfig::tenants, plus(tenants, tenant));
    }

    /** This configuration with {@code rule} added to {@link #faults()}. */
    public SandboxConfig withFault(FaultRule rule) {
        return with(SandboxConfig::faults, plus(faults, rule));
    }

    private static <T> List<T> plus(List<T> list, T element) {
        List<T> result = new ArrayList<>(list);
        result.add(element);
        return result;
    }

    /** A tenant (directory). {@code servicePrincipalsCanUseApis} is the Power BI tenant switch. */
    public record TenantConfig(
            String id,
            String domain,
            String displayName,
            boolean servicePrincipalsCanUseApis,
            boolean servicePrincipalsCanUseReadOnlyAdminApis,
            List<AppConfig> apps,
            List<WorkspaceConfig> workspaces)
            implements Copyable<TenantConfig> {

        public TenantConfig {
            requireGuid("tenant id", id);
            if (domain == null || domain.isBlank()) {
                throw new IllegalArgumentException("sandbox config: tenant " + id + " needs a 'domain'");
            }
            if (isGuid(domain)) {
                throw new IllegalArgumentException(
                        "sandbox config: tenant domain must be a name, not a GUID: " + domain);
            }
            displayName = displayName == null || displayName.isBlank() ? domain : displayName;
            apps = apps == null ? List.of() : List.copyOf(apps);
            workspaces = workspaces == null ? List.of() : List.copyOf(workspaces);
        }

        @JsonCreator
        static TenantConfig fromJson(
                @JsonProperty("id") String id,
                @JsonProperty("domain") String domain,
                @JsonProperty("displayName") String displayName,
                @JsonProperty("servicePrincipalsCanUseApis") Boolean servicePrincipalsCanUseApis,
                @JsonProperty("servicePrincipalsCanUseReadOnlyAdminApis")
                        Boolean servicePrincipalsCanUseReadOnlyAdminApis,
                @JsonProperty("apps") List<AppConfig> apps,
                @JsonProperty("workspaces") List<WorkspaceConfig> workspaces) {
            return new TenantConfig(
                    id,
                    domain,
                    displayName,
                    or(servicePrincipalsCanUseApis, true),
                    or(servicePrincipalsCanUseReadOnlyAdminApis, true),
                    apps,
                    workspaces);
        }

        public static TenantConfig of(String id, String domain) {
            return new TenantConfig(id, domain, null, true, true, List.of(), List.of());
        }

        public TenantConfig withApp(AppConfig app) {
            return with(TenantConfig::apps, plus(apps, app));
        }

        public TenantConfig withWorkspace(WorkspaceConfig workspace) {
            return with(TenantConfig::workspaces, plus(workspaces, workspace));
        }
    }

    /**
     * An app registration with its service principal. {@code objectId} is the service principal's object id (the
     * {@code oid} of its tokens); when absent a stable id is derived from tenant and client id.
     */
    public record AppConfig(
            String clientId,
            String displayName,
            String objectId,
            boolean enabled,
            List<String> roles,
            List<SecretConfig> secrets,
            List<CertificateConfig> certificates)
            implements Copyable<AppConfig> {

        public AppConfig {
            requireGuid("app clientId", clientId);
            if (objectId != null) {
                requireGuid("app objectId", objectId);
            }
            displayName = displayName == null || displayName.isBlank() ? clientId : displayName;
            roles = roles == null ? List.of() : List.copyOf(roles);
            secrets = secrets == null ? List.of() : List.copyOf(secrets);
            certificates = certificates == null ? List.of() : List.copyOf(certificates);
        }

        @JsonCreator
        static AppConfig fromJson(
                @JsonProperty("clientId") String clientId,
                @JsonProperty("displayName") String displayName,
                @JsonProperty("objectId") String objectId,
                @JsonProperty("enabled") Boolean enabled,
                @JsonProperty("roles") List<String> roles,
                @JsonProperty("secrets") List<SecretConfig> secrets,
                @JsonProperty("certificates") List<CertificateConfig> certificates) {
            return new AppConfig(clientId, displayName, objectId, or(enabled, true), roles, secrets, certificates);
        }

        public static AppConfig of(String clientId, String displayName) {
            return new AppConfig(clientId, displayName, null, true, List.of(), List.of(), List.of());
        }

        public AppConfig withSecret(SecretConfig secret) {
            return with(AppConfig::secrets, plus(secrets, secret));
        }

        public AppConfig withCertificate(CertificateConfig certificate) {
            return with(AppConfig::certificates, plus(certificates, certificate));
        }

        @Override
        public String toString() {
            return "AppConfig[clientId=" + clientId + ", displayName=" + displayName + ", enabled=" + enabled
                    + ", secrets=" + secrets.size() + ", certificates=" + certificates.size() + "]";
        }
    }

    /** A client secret; {@code expiresAt} is an ISO instant or date (UTC midnight), absent = never. */
    public record SecretConfig(String value, Instant expiresAt) {

        public SecretConfig {
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("sandbox config: a secret needs a 'value'");
            }
        }

        @JsonCreator
        static SecretConfig fromJson(@JsonProperty("value") String value, @JsonProperty("expiresAt") String expiresAt) {
            return new SecretConfig(value, parseInstant("secret expiresAt", expiresAt));
        }

        public static SecretConfig of(String value) {
            return new SecretConfig(value, null);
        }

        @Override
        public String toString() {
            return "SecretConfig[value=***, expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * A registered certificate (key credential): a PEM file ({@code file}) or inline PEM text ({@code pem}).
     * {@code notBefore}/{@code notAfter} override the key credential's dates (default: the certificate's validity),
     * as the Azure portal lets you register a key with dates of its own.
     */
    public record CertificateConfig(String file, String pem, Instant notBefore, Instant notAfter)
            implements Copyable<CertificateConfig> {

        public CertificateConfig {
            if ((file == null || file.isBlank()) == (pem == null || pem.isBlank())) {
                throw new IllegalArgumentException(
                        "sandbox config: a certificate needs exactly one of 'file' or 'pem'");
            }
        }

        @JsonCreator
        static CertificateConfig fromJson(
                @JsonProperty("file") String file,
                @JsonProperty("pem") String pem,
                @JsonProperty("notBefore") String notBefore,
                @JsonProperty("notAfter") String notAfter) {
            return new CertificateConfig(
                    file,
                    pem,
                    parseInstant("certificate notBefore", notBefore),
                    parseInstant("certificate notAfter", notAfter));
        }

        public static CertificateConfig ofFile(Path file) {
            return new CertificateConfig(file.toString(), null, null, null);
        }

        public static CertificateConfig ofPem(String pem) {
            return new CertificateConfig(null, pem, null, null);
        }
    }

    /** A Power BI workspace (group); {@code members} are client ids of apps that are Member/Admin of it. */
    public record WorkspaceConfig(
            String id,
            String name,
            List<String> members,
            boolean isOnDedicatedCapacity,
            String capacityId,
            List<DatasetConfig> datasets,
            List<ReportConfig> reports,
            List<DataflowConfig> dataflows)
            implements Copyable<WorkspaceConfig> {

        public WorkspaceConfig {
            requireGuid("workspace id", id);
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("sandbox config: workspace " + id + " needs a 'name'");
            }
            members = members == null ? List.of() : List.copyOf(members);
            if (capacityId != null) {
                requireGuid("workspace capacityId", capacityId);
            }
            datasets = datasets == null ? List.of() : List.copyOf(datasets);
            reports = reports == null ? List.of() : List.copyOf(reports);
            dataflows = dataflows == null ? List.of() : List.copyOf(dataflows);
        }

        public WorkspaceConfig(
                String id,
                String name,
                List<String> members,
                boolean isOnDedicatedCapacity,
                String capacityId,
                List<DatasetConfig> datasets,
                List<ReportConfig> reports) {
            this(id, name, members, isOnDedicatedCapacity, capacityId, datasets, reports, List.of());
        }

        public WorkspaceConfig(
                String id, String name, List<String> members, boolean isOnDedicatedCapacity, String capacityId) {
            this(id, name, members, isOnDedicatedCapacity, capacityId, List.of(), List.of());
        }

        @JsonCreator
        static WorkspaceConfig fromJson(
                @JsonProperty("id") String id,
                @JsonProperty("name") String name,
                @JsonProperty("members") List<String> members,
                @JsonProperty("isOnDedicatedCapacity") Boolean isOnDedicatedCapacity,
                @JsonProperty("capacityId") String capacityId,
                @JsonProperty("datasets") List<DatasetConfig> datasets,
                @JsonProperty("reports") List<ReportConfig> reports,
                @JsonProperty("dataflows") List<DataflowConfig> dataflows) {
            return new WorkspaceConfig(
                    id, name, members, or(isOnDedicatedCapacity, false), capacityId, datasets, reports, dataflows);
        }

        public static WorkspaceConfig of(String id, String name, String... memberClientIds) {
            return new WorkspaceConfig(id, name, List.of(memberClientIds), false, null);
        }

        public WorkspaceConfig withDedicatedCapacity(String capacity) {
            return new WorkspaceConfig(id, name, members, true, capacity, datasets, reports, dataflows);
        }

        public WorkspaceConfig withDataset(DatasetConfig dataset) {
            return with(WorkspaceConfig::datasets, plus(datasets, dataset));
        }

        public WorkspaceConfig withReport(ReportConfig report) {
            return with(WorkspaceConfig::reports, plus(reports, report));
        }

        public WorkspaceConfig withDataflow(DataflowConfig dataflow) {
            return with(WorkspaceConfig::dataflows, plus(dataflows, dataflow));
        }
    }

    /**
     * A seeded dataflow: its refreshes take {@code refreshSeconds} (default 2) and end {@code refreshOutcome}
     * ({@code Success}, the default, or {@code Failed}).
     */
    public record DataflowConfig(String id, String name, Double refreshSeconds, String refreshOutcome) {

        public DataflowConfig {
            requireGuid("dataflow id", id);
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("sandbox config: dataflow " + id + " needs a 'name'");
            }
            refreshSeconds = refreshSeconds == null ? 2.0 : refreshSeconds;
            refreshOutcome = refreshOutcome == null ? Dataflow.SUCCESS : refreshOutcome;
            if (!refreshOutcome.equals(Dataflow.SUCCESS) && !refreshOutcome.equals(Dataflow.FAILED)) {
                throw new IllegalArgumentException(
                        "sandbox config: dataflow " + name + ": refreshOutcome must be Success" + " or Failed");
            }
        }
    }

    /**
     * A seeded dataset. {@code push: true} makes a push dataset (rows API, {@code defaultRetentionPolicy}); otherwise
     * it is an imported model (refreshable; GET tables answers 404). {@code tables} are {@code Table} objects as in a
     * create-dataset request, each optionally with {@code rows} (objects keyed by column name); executeQueries reads
     * them for both kinds. {@code queries} are canned executeQueries results: exact query text (whitespace
     * collapsed) to rows. {@code refreshSeconds} (default: {@code refreshes.durationSeconds}), {@code refreshOutcome}
     * ({@code Completed} or {@code Failed}) and {@code refreshError} (the {@code serviceExceptionJson} object of a
     * failure) steer refreshes.
     */
    public record DatasetConfig(
            String id,
            String name,
            boolean push,
            String defaultRetentionPolicy,
            String configuredBy,
            List<JsonNode> tables,
            List<CannedQuery> queries,
            Double refreshSeconds,
            String refreshOutcome,
            JsonNode refreshError,
            List<JsonNode> parameters,
            List<JsonNode> datasources)
            implements Copyable<DatasetConfig> {

        public static final String DEFAULT_CONFIGURED_BY = "sandbox-admin@sandbox.onmicrosoft.com";

        public DatasetConfig {
            requireGuid("dataset id", id);
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("sandbox config: dataset " + id + " needs a 'name'");
            }
            defaultRetentionPolicy = defaultRetentionPolicy == null ? (push ? "None" : null) : defaultRetentionPolicy;
            if (defaultRetentionPolicy != null && Dataset.retentionPolicy(defaultRetentionPolicy) == null) {
                throw new IllegalArgumentException(
                        "sandbox config: dataset " + name + ": defaultRetentionPolicy must be None or basicFIFO");
            }
            configuredBy = configuredBy == null ? DEFAULT_CONFIGURED_BY : configuredBy;
            tables = tables == null ? List.of() : List.copyOf(tables);
            queries = queries == null ? List.of() : List.copyOf(queries);
            parameters = parameters == null ? List.of() : List.copyOf(parameters);
            datasources = datasources == null ? List.of() : List.copyOf(datasources);
            for (JsonNode p : parameters) {
                if (!p.path("name").isTextual() || !p.path("type").isTextual()) {
                    throw new IllegalArgumentException("sandbox config: dataset " + name + ": every parameter needs a"
                            + " 'name' and a 'type' (Text, Number, Logical, DateTime, Any, ...)");
                }
            }
            if (refreshSeconds != null && !(refreshSeconds >= 0)) {
                throw new IllegalArgumentException("sandbox config: dataset " + name + ": refreshSeconds must be >= 0");
            }
            refreshOutcome = refreshOutcome == null ? "Completed" : refreshOutcome;
            if (!refreshOutcome.equals("Completed") && !refreshOutcome.equals("Failed")) {
                throw new IllegalArgumentException(
                        "sandbox config: dataset " + name + ": refreshOutcome must be Completed or Failed");
            }
            for (JsonNode table : tables) {
                PushTable.parseSchema(table);
            }
        }

        @JsonCreator
        static DatasetConfig fromJson(
                @JsonProperty("id") String id,
                @JsonProperty("name") String name,
                @JsonProperty("push") Boolean push,
                @JsonProperty("defaultRetentionPolicy") String defaultRetentionPolicy,
                @JsonProperty("configuredBy") String configuredBy,
                @JsonProperty("tables") List<JsonNode> tables,
                @JsonProperty("queries") List<CannedQuery> queries,
                @JsonProperty("refreshSeconds") Double refreshSeconds,
                @JsonProperty("refreshOutcome") String refreshOutcome,
                @JsonProperty("refreshError") JsonNode refreshError,
                @JsonProperty("parameters") List<JsonNode> parameters,
                @JsonProperty("datasources") List<JsonNode> datasources) {
            return new DatasetConfig(
                    id,
                    name,
                    or(push, false),
                    defaultRetentionPolicy,
                    configuredBy,
                    tables,
                    queries,
                    refreshSeconds,
                    refreshOutcome,
                    refreshError,
                    parameters,
                    datasources);
        }

        /** An imported (non-push) dataset without tables. */
        public static DatasetConfig imported(String id, String name) {
            return new DatasetConfig(
                    id, name, false, null, null, List.of(), List.of(), null, null, null, List.of(), List.of());
        }

        /** A push dataset with the given {@code Table} definitions (JSON objects, optionally with {@code rows}). */
        public static DatasetConfig push(String id, String name, String retentionPolicy, List<JsonNode> tables) {
            return new DatasetConfig(
                    id, name, true, retentionPolicy, null, tables, List.of(), null, null, null, List.of(), List.of());
        }

        public DatasetConfig withRefresh(Double seconds, String outcome, JsonNode error) {
            return new DatasetConfig(
                    id,
                    name,
                    push,
                    defaultRetentionPolicy,
                    configuredBy,
                    tables,
                    queries,
                    seconds,
                    outcome,
                    error,
                    parameters,
                    datasources);
        }

        public DatasetConfig withQuery(CannedQuery query) {
            return with(DatasetConfig::queries, plus(queries, query));
        }
    }

    /** A canned executeQueries result: the query text and the rows to answer ({@code "T[Col]"} or {@code "[x]"} keys). */
    public record CannedQuery(String query, List<JsonNode> rows) {

        public CannedQuery {
            if (query == null || query.isBlank()) {
                throw new IllegalArgumentException("sandbox config: a canned query needs 'query'");
            }
            rows = rows == null ? List.of() : List.copyOf(rows);
        }

        @JsonCreator
        static CannedQuery fromJson(@JsonProperty("query") String query, @JsonProperty("rows") List<JsonNode> rows) {
            return new CannedQuery(query, rows);
        }
    }

    /**
     * A seeded report. {@code reportType} is {@code PowerBIReport} (default; bound to {@code datasetId}) or
     * {@code PaginatedReport} (no dataset). {@code pageCount} decides whether a PNG export of all pages is one .png or
     * a .zip. {@code exportTransientFailures}: the first N exports end {@code Failed} with {@code Retry-After};
     * {@code exportOutcome: Failed} makes every export fail permanently.
     */
    public record ReportConfig(
            String id,
            String name,
            String datasetId,
            String reportType,
            int pageCount,
            int exportTransientFailures,
            String exportOutcome) {

        public ReportConfig {
            requireGuid("report id", id);
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("sandbox config: report " + id + " needs a 'name'");
            }
            reportType = reportType == null ? Report.POWER_BI_REPORT : reportType;
            if (!reportType.equals(Report.POWER_BI_REPORT) && !reportType.equals(Report.PAGINATED_REPORT)) {
                throw new IllegalArgumentException(
                        "sandbox config: report " + name + ": reportType must be PowerBIReport or PaginatedReport");
            }
            if (datasetId != null) {
                requireGuid("report datasetId", datasetId);
            }
            if (pageCount < 1 || exportTransientFailures < 0) {
                throw new IllegalArgumentException(
                        "sandbox config: report " + name + ": pageCount >= 1, exportTransientFailures >= 0");
            }
            exportOutcome = exportOutcome == null ? "Succeeded" : exportOutcome;
            if (!exportOutcome.equals("Succeeded") && !exportOutcome.equals("Failed")) {
                throw new IllegalArgumentException(
                        "sandbox config: report " + name + ": exportOutcome must be Succeeded or Failed");
            }
        }

        @JsonCreator
        static ReportConfig fromJson(
                @JsonProperty("id") String id,
                @JsonProperty("name") String name,
                @JsonProperty("datasetId") String datasetId,
                @JsonProperty("reportType") String reportType,
                @JsonProperty("pageCount") Integer pageCount,
                @JsonProperty("exportTransientFailures") Integer exportTransientFailures,
                @JsonProperty("exportOutcome") String exportOutcome) {
            return new ReportConfig(
                    id, name, datasetId, reportType, or(pageCount, 1), or(exportTransientFailures, 0), exportOutcome);
        }

        public static ReportConfig powerBi(String id, String name, String datasetId) {
            return new ReportConfig(id, name, datasetId, Report.POWER_BI_REPORT, 1, 0, null);
        }

        public static ReportConfig paginated(String id, String name) {
            return new ReportConfig(id, name, null, Report.PAGINATED_REPORT, 1, 0, null);
        }
    }

    static boolean isGuid(String value) {
        return value != null && GUID.matcher(value).matches();
    }

    private static void requireGuid(String what, String value) {
        if (!isGuid(value)) {
            throw new IllegalArgumentException("sandbox config: " + what + " must be a GUID: " + value);
        }
    }

    static Instant parseInstant(String what, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(value.trim())
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException(
                        "sandbox config: " + what + " is neither an ISO instant nor a date: " + value);
            }
        }
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
