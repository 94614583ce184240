package io.camelpowerbi.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.client.PowerBiRequest;
import io.camelpowerbi.client.PowerBiResponse;
import io.camelpowerbi.operations.DataflowTransaction;
import io.camelpowerbi.operations.DatasetDefinition;
import io.camelpowerbi.operations.DatasetOperations.EnsureResult;
import io.camelpowerbi.operations.DatasourceCredentialType;
import io.camelpowerbi.operations.ExportWaitOptions;
import io.camelpowerbi.operations.ExportedFile;
import io.camelpowerbi.operations.ImportResult;
import io.camelpowerbi.operations.ImportSource;
import io.camelpowerbi.operations.ImportWaitOptions;
import io.camelpowerbi.operations.LakehouseOperations;
import io.camelpowerbi.operations.LakehouseRef;
import io.camelpowerbi.operations.LoadRowsResult;
import io.camelpowerbi.operations.LoadTableRequest;
import io.camelpowerbi.operations.LoadTableResult;
import io.camelpowerbi.operations.OneLakeFile;
import io.camelpowerbi.operations.OneLakeFiles;
import io.camelpowerbi.operations.OperationState;
import io.camelpowerbi.operations.PowerBiOperations;
import io.camelpowerbi.operations.QueryResult;
import io.camelpowerbi.operations.RefreshOutcome;
import io.camelpowerbi.operations.RefreshRequest;
import io.camelpowerbi.operations.TableLoads;
import io.camelpowerbi.operations.WaitOptions;
import io.camelpowerbi.push.PushCheckpoints;
import io.camelpowerbi.push.PushPipeline;
import io.camelpowerbi.push.PushRequest;
import io.camelpowerbi.push.PushResult;
import io.camelpowerbi.push.RateLimits;
import io.camelpowerbi.push.RowsToCsv;
import io.camelpowerbi.push.TableSchema;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Ordered;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Runs the endpoint's operation (or the one in {@link PowerBiConstants#OPERATION}): reads options and headers, calls
 * the operation classes, and puts results in the body and metadata in {@code CamelPowerBi*} headers.
 */
public class PowerBiProducer extends DefaultProducer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PowerBiProducer.class);
    /** Load files are named by when they were written: sortable, and within Fabric's relativePath characters. */
    private static final java.time.format.DateTimeFormatter LOAD_FILE_TIME =
            java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss", java.util.Locale.ROOT)
                    .withZone(java.time.ZoneOffset.UTC);

    public PowerBiProducer(PowerBiEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public PowerBiEndpoint getEndpoint() {
        return (PowerBiEndpoint) super.getEndpoint();
    }

    private PowerBiConfiguration config() {
        return getEndpoint().getConfiguration();
    }

    private PowerBiOperations services() {
        return getEndpoint().operations();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        PowerBiOperation operation =
                in.getHeader(PowerBiConstants.OPERATION, getEndpoint().getOperation(), PowerBiOperation.class);
        long started = System.nanoTime();
        switch (operation) {
            case pushRows -> pushRows(exchange, in);
            case ensureDataset -> ensureDataset(in);
            case deleteRows -> {
                String g = workspaceId(in);
                String d = datasetId(in, g);
                services().datasets().deleteRows(g, d, table(in));
            }
            case refreshDataset -> refreshDataset(in);
            case refreshHistory -> {
                String g = workspaceId(in);
                List<Map<String, Object>> history =
                        services().refreshes().history(g, datasetId(in, g), config().getTop());
                in.setHeader(PowerBiConstants.RESULT_COUNT, history.size());
                in.setBody(history);
            }
            case refreshStatus -> {
                String g = workspaceId(in);
                RefreshOutcome outcome = services().refreshes().status(g, datasetId(in, g), refreshId(in));
                in.setHeader(PowerBiConstants.REFRESH_STATUS, outcome.status());
                in.setBody(outcome);
            }
            case cancelRefresh -> {
                String g = workspaceId(in);
                services().refreshes().cancel(g, datasetId(in, g), refreshId(in));
            }
            case executeQuery -> executeQuery(in);
            case exportReport -> exportReport(exchange, in);
            case importFile -> importFile(in);
            case listWorkspaces -> list(in, services().datasets().listWorkspaces(config().getFilter()));
            case listDatasets -> list(in, services().datasets().listDatasets(workspaceId(in)));
            case listReports -> list(in, services().datasets().listReports(workspaceId(in)));
            case listTables -> {
                String g = workspaceId(in);
                list(in, services().datasets().listTables(g, datasetId(in, g)));
            }
            case getDataset -> {
                String g = workspaceId(in);
                in.setBody(services().datasets().getDataset(g, datasetId(in, g)));
            }
            case getParameters -> {
                String g = workspaceId(in);
                list(in, services().settings().parameters(g, datasetId(in, g)));
            }
            case updateParameters -> {
                String g = workspaceId(in);
                services()
                        .settings()
                        .updateParameters(
                                g,
                                datasetId(in, g),
                                in.getBody() instanceof Map<?, ?> map && !map.isEmpty()
                                        ? names(map)
                                        : config().parameterValues());
            }
            case getDatasources -> {
                String g = workspaceId(in);
                list(in, services().settings().datasources(g, datasetId(in, g)));
            }
            case updateDatasourceCredentials -> updateDatasourceCredentials(in);
            case takeOver -> {
                String g = workspaceId(in);
                services().settings().takeOver(g, datasetId(in, g));
            }
            case bindToGateway -> {
                String g = workspaceId(in);
                services()
                        .settings()
                        .bindToGateway(
                                g,
                                datasetId(in, g),
                                config().getGateway(),
                                config().getDatasourceIds() == null
                                        ? List.of()
                                        : List.of(config().getDatasourceIds().split("\\s*,\\s*")));
            }
            case getRefreshSchedule -> {
                String g = workspaceId(in);
                in.setBody(services().settings().refreshSchedule(g, datasetId(in, g)));
            }
            case updateRefreshSchedule -> {
                String g = workspaceId(in);
                services()
                        .settings()
                        .updateRefreshSchedule(g, datasetId(in, g), jsonObject(in, "updateRefreshSchedule"));
            }
            case refreshDataflow -> refreshDataflow(in);
            case dataflowTransactions -> {
                String g = workspaceId(in);
                list(
                        in,
                        services()
                                .dataflows()
                                .transactions(g, services().names().dataflowId(g, config().getDataflow())));
            }
            case listWorkspaceUsers -> list(in, services().workspaceUsers().list(workspaceId(in)));
            case addWorkspaceUser ->
                services()
                        .workspaceUsers()
                        .add(
                                workspaceId(in),
                                config().getPrincipal(),
                                config().getPrincipalType(),
                                config().getWorkspaceAccessRight());
            case updateWorkspaceUser ->
                services()
                        .workspaceUsers()
                        .update(
                                workspaceId(in),
                                config().getPrincipal(),
                                config().getPrincipalType(),
                                config().getWorkspaceAccessRight());
            case deleteWorkspaceUser -> services().workspaceUsers().delete(workspaceId(in), config().getPrincipal());
            case call -> call(in);
            case writeOneLakeFile -> writeOneLakeFile(in);
            case loadTable -> loadTable(in);
            case getOperation -> {
                OperationState state =
                        lakehouses().loads().operation(header(in, PowerBiConstants.FABRIC_OPERATION_ID, null));
                in.setHeader(PowerBiConstants.FABRIC_OPERATION_STATUS, state.status());
                in.setBody(state);
            }
            case loadRows -> loadRows(in);
            default ->
                throw new InvalidOptionException(
                        PowerBiConstants.OPERATION,
                        "powerbi:" + operation + " is a" + " consumer: it polls in from:, nothing can be sent to it",
                        "name a producer operation (" + PowerBiOperation.names(false) + ")");
        }
        in.setHeader(
                PowerBiConstants.DURATION,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private void pushRows(Exchange exchange, Message in) {
        PowerBiConfiguration c = config();
        String g = workspaceId(in);
        String d = datasetId(in, g);
        String table = table(in);
        TableSchema schema = getEndpoint().schema(g, d, table);
        PushCheckpoints checkpoints = getEndpoint().checkpoints();
        PushRequest request = rows(in, PushRequest.builder(g, d, schema).tableName(table))
                .batchSize(c.getBatchSize())
                .limiter(getEndpoint()
                        .getComponent()
                        .rateLimiters()
                        .forDataset(
                                d,
                                new RateLimits(
                                        c.getMaxRequestsPerMinute(), c.getMaxRowsPerHour(), c.getMaxPendingRequests())))
                .progressInterval(c.getProgressInterval())
                .checkpoints(checkpoints)
                .build();
        PushResult result = new PushPipeline(getEndpoint().getComponent().metrics())
                .push(getEndpoint().client(), request);
        Object body = request.body();
        Path pushedFile = body instanceof File f ? f.toPath() : body instanceof Path p ? p : null;
        if (pushedFile != null) {
            // once the route is done with the file (a file consumer moved it away), its record has served
            exchange.getExchangeExtension().addOnCompletion(new ForgetCheckpoint(checkpoints, pushedFile));
        }
        in.setHeader(PowerBiConstants.WORKSPACE_ID, g);
        in.setHeader(PowerBiConstants.DATASET_ID, d);
        in.setHeader(PowerBiConstants.ROWS_SENT, result.rowsSent());
        in.setHeader(PowerBiConstants.ROWS_RESUMED, result.rowsResumed());
        in.setHeader(PowerBiConstants.BATCHES, result.batches());
        in.setHeader(PowerBiConstants.REJECTED_COUNT, result.rejectedCount());
        in.setHeader(PowerBiConstants.THROTTLED_WAITS, (int) result.throttledWaits());
        if (!result.rejected().isEmpty()) {
            in.setHeader(PowerBiConstants.REJECTED_ROWS, result.rejected());
        }
        in.setBody(result);
    }

    /**
     * The rows of the message as pushRows and loadRows read them: the body (a file consumer's file read as a file,
     * streamed), its file name, and the format, charset and row options.
     */
    private PushRequest.Builder rows(Message in, PushRequest.Builder request) {
        PowerBiConfiguration c = config();
        Object body = in.getBody();
        String fileName = in.getHeader(Exchange.FILE_NAME, String.class);
        if (body instanceof GenericFile<?> file) {
            // A file consumer's body: read the file itself, streamed, rather than letting Camel load it.
            fileName = file.getFileName();
            body = file.getFile() instanceof File f ? f : in.getBody(InputStream.class);
        }
        return request.body(body)
                .fileName(fileName)
                .format(c.getFormat())
                .charset(c.pushCharset())
                .policy(c.getInvalidRowPolicy())
                .ignoreUnknownColumns(c.isIgnoreUnknownColumns());
    }

    private void ensureDataset(Message in) {
        String g = workspaceId(in);
        Object body = in.getBody();
        DatasetDefinition definition;
        if (body instanceof Map<?, ?> map) {
            definition = DatasetDefinition.fromMap(map, "the message body");
        } else if (config().getDatasetDefinition() != null) {
            definition = DatasetDefinition.load(Path.of(config().getDatasetDefinition()));
        } else {
            throw new InvalidOptionException(
                    "datasetDefinition",
                    "ensureDataset has no definition",
                    "set"
                            + " datasetDefinition to a definition file (e.g. config/datasets/sales.yaml), or send a Map body"
                            + " with name and tables");
        }
        EnsureResult result = services().datasets().ensureDataset(g, definition);
        in.setHeader(PowerBiConstants.WORKSPACE_ID, g);
        in.setHeader(PowerBiConstants.DATASET_ID, result.datasetId());
        in.setHeader(PowerBiConstants.DATASET_CREATED, result.created());
        in.setBody(result);
    }

    private void refreshDataset(Message in) {
        String g = workspaceId(in);
        String d = datasetId(in, g);
        RefreshOutcome outcome = refresh(in, g, d);
        in.setHeader(PowerBiConstants.WORKSPACE_ID, g);
        in.setHeader(PowerBiConstants.DATASET_ID, d);
        in.setHeader(PowerBiConstants.REFRESH_ID, outcome.refreshId());
        in.setHeader(PowerBiConstants.REFRESH_STATUS, outcome.status());
        in.setBody(outcome);
    }

    /** A refresh of dataset {@code d} as the refresh options (or a Map body) say, waited for as they say. */
    private RefreshOutcome refresh(Message in, String g, String d) {
        PowerBiConfiguration c = config();
        RefreshRequest request;
        if (in.getBody() instanceof Map<?, ?> map && !map.isEmpty()) {
            request = RefreshRequest.fromMap(map);
        } else {
            request = c.refreshRequest();
        }
        WaitOptions wait = c.isWaitForCompletion()
                ? new WaitOptions(c.getPollInterval(), c.getWaitTimeout(), c.isCancelOnTimeout())
                : null;
        return services().refreshes().refresh(g, d, request, wait, c.isFailOnRefreshError(), c.getIfRunning());
    }

    private void updateDatasourceCredentials(Message in) {
        String g = workspaceId(in);
        String d = datasetId(in, g);
        Map<String, Object> body = jsonObject(in, "updateDatasourceCredentials");
        in.setBody(null); // the secrets leave the exchange whatever happens next
        Object type = body.get("credentialType");
        DatasourceCredentialType credentialType;
        try {
            credentialType = DatasourceCredentialType.valueOf(String.valueOf(type));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("body: credentialType '" + type + "' is not one of "
                    + java.util.Arrays.toString(DatasourceCredentialType.values()));
        }
        List<String> updated = services()
                .settings()
                .updateDatasourceCredentials(g, d, (String) body.get("datasourceId"), credentialType, body, (String)
                        body.get("privacyLevel"));
        in.setHeader(PowerBiConstants.RESULT_COUNT, updated.size());
        in.setBody(updated);
    }

    private void refreshDataflow(Message in) {
        PowerBiConfiguration c = config();
        String g = workspaceId(in);
        String f = services().names().dataflowId(g, c.getDataflow());
        WaitOptions wait = c.isWaitForCompletion()
                ? new WaitOptions(c.getPollInterval(), c.getWaitTimeout(), c.isCancelOnTimeout())
                : null;
        DataflowTransaction transaction = services().dataflows().refresh(g, f, wait, c.isFailOnRefreshError());
        in.setHeader(PowerBiConstants.WORKSPACE_ID, g);
        in.setHeader(PowerBiConstants.REFRESH_ID, transaction.id());
        in.setHeader(PowerBiConstants.REFRESH_STATUS, transaction.status());
        in.setBody(transaction);
    }

    private void executeQuery(Message in) {
        PowerBiConfiguration c = config();
        String g = workspaceId(in);
        String d = datasetId(in, g);
        // The option wins: a trigger's body (a JMS message, a timer tick) is not meant as DAX.
        String dax = c.getQuery() != null && !c.getQuery().isBlank() ? c.getQuery() : in.getBody(String.class);
        QueryResult result = services()
                .queries()
                .execute(g, d, dax, c.getImpersonatedUserName(), c.isIncludeNulls(), c.isStripTableNames());
        in.setHeader(PowerBiConstants.RESULT_COUNT, result.rows().size());
        in.setHeader(PowerBiConstants.TRUNCATED, result.truncated());
        in.setBody(result.rows());
    }

    private void exportReport(Exchange exchange, Message in) {
        PowerBiConfiguration c = config();
        String g = workspaceId(in);
        String reportName = header(in, PowerBiConstants.REPORT, c.getReport());
        if (reportName == null || reportName.isBlank()) {
            throw new InvalidOptionException(
                    "report",
                    "exportReport has no report",
                    "set the report name or id (option" + " report or header " + PowerBiConstants.REPORT + ")");
        }
        String r = services().names().reportId(g, reportName);
        ExportedFile file = services()
                .exports()
                .export(
                        g,
                        r,
                        c.exportRequest(),
                        new ExportWaitOptions(
                                c.getPollInterval(), c.getWaitTimeout(), ExportWaitOptions.DEFAULT_MAX_RESTARTS));
        // The download stays open for the next step to stream; close it whatever happens to the exchange.
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                file.close();
            }
        });
        in.setHeader(PowerBiConstants.EXPORT_ID, file.exportId());
        in.setHeader(PowerBiConstants.FILE_NAME, file.fileName());
        in.setHeader(Exchange.FILE_NAME, file.fileName());
        in.setHeader(Exchange.CONTENT_TYPE, file.contentType());
        in.setBody(file.body());
    }

    private void importFile(Message in) throws Exception {
        PowerBiConfiguration c = config();
        String g = workspaceId(in);
        Object body = in.getBody();
        String fileName =
                in.getHeader(Exchange.FILE_NAME_ONLY, in.getHeader(Exchange.FILE_NAME, String.class), String.class);
        ImportSource source;
        Path spooled = null;
        if (body instanceof GenericFile<?> gf && gf.getFile() instanceof File f) {
            source = ImportSource.of(f.toPath());
        } else if (body instanceof File f) {
            source = ImportSource.of(f.toPath());
        } else if (body instanceof Path p) {
            source = ImportSource.of(p);
        } else if (body instanceof byte[] bytes) {
            source = ImportSource.of(bytes, requireFileName(fileName, c));
        } else {
            // A stream of unknown size: park it on disk so a retry can send it again, and large files need no memory.
            InputStream stream = in.getMandatoryBody(InputStream.class);
            String name = requireFileName(fileName, c);
            spooled =
                    Files.createTempFile("powerbi-import-", "-" + Path.of(name).getFileName());
            Files.copy(stream, spooled, StandardCopyOption.REPLACE_EXISTING);
            source = new ImportSource(spooled, null, name);
        }
        try {
            ImportResult result = services()
                    .imports()
                    .importFile(
                            g,
                            source,
                            c.getDatasetDisplayName(),
                            c.getNameConflict(),
                            false,
                            c.isWaitForCompletion()
                                    ? new ImportWaitOptions(c.getPollInterval(), c.getWaitTimeout())
                                    : null);
            in.setHeader(PowerBiConstants.WORKSPACE_ID, g);
            in.setHeader(PowerBiConstants.IMPORT_ID, result.id());
            in.setBody(result);
        } finally {
            if (spooled != null) {
                Files.deleteIfExists(spooled);
            }
        }
    }

    private static String requireFileName(String fileName, PowerBiConfiguration c) {
        String name = fileName != null ? fileName : c.getDatasetDisplayName();
        if (name == null) {
            throw new InvalidOptionException(
                    "datasetDisplayName",
                    "importFile cannot tell the file type of a body without" + " a file name",
                    "set the CamelFileName header or datasetDisplayName, with its extension (e.g." + " sales.pbix)");
        }
        return name;
    }

    // ------------------------------------------------------------------ Fabric Lakehouse and OneLake

    private LakehouseOperations lakehouses() {
        return getEndpoint().lakehouses();
    }

    /** The lakehouse of the message (header, else option), its workspace resolved with Fabric's API. */
    private LakehouseRef lakehouse(Message in) {
        String workspace = header(in, PowerBiConstants.WORKSPACE, config().getWorkspace());
        String workspaceId = lakehouses().names().workspaceId(workspace);
        String lakehouse = header(in, PowerBiConstants.LAKEHOUSE, config().getLakehouse());
        if (lakehouse == null || lakehouse.isBlank()) {
            throw new InvalidOptionException(
                    "lakehouse",
                    "no lakehouse is named",
                    "set lakehouse (its name or id) on "
                            + "the endpoint, once for the component (camel.component.powerbi.lakehouse), or in header "
                            + PowerBiConstants.LAKEHOUSE);
        }
        LakehouseRef l = lakehouses().names().lakehouse(workspaceId, lakehouse);
        in.setHeader(PowerBiConstants.WORKSPACE_ID, l.workspaceId());
        in.setHeader(PowerBiConstants.LAKEHOUSE_ID, l.id());
        return l;
    }

    private void writeOneLakeFile(Message in) throws Exception {
        String path = header(in, PowerBiConstants.ONELAKE_PATH, config().getOneLakePath());
        if (path == null || path.isBlank()) {
            String name =
                    in.getHeader(Exchange.FILE_NAME_ONLY, in.getHeader(Exchange.FILE_NAME, String.class), String.class);
            if (name == null) {
                throw new InvalidOptionException(
                        "oneLakePath",
                        "writeOneLakeFile has no path to write to",
                        "set "
                                + "oneLakePath (e.g. Files/landing/orders.csv), header " + PowerBiConstants.ONELAKE_PATH
                                + ", or CamelFileName (the file then goes to Files/<its name>)");
            }
            path = "Files/" + Path.of(name).getFileName();
        }
        path = OneLakeFiles.checkPath(path, "oneLakePath");
        LakehouseRef l = lakehouse(in);
        Object body = in.getBody();
        OneLakeFile written;
        try (InputStream data = body instanceof GenericFile<?> gf && gf.getFile() instanceof File f
                ? Files.newInputStream(f.toPath())
                : body instanceof File f
                        ? Files.newInputStream(f.toPath())
                        : body instanceof Path p ? Files.newInputStream(p) : in.getMandatoryBody(InputStream.class)) {
            written = lakehouses().files().write(l.workspaceId(), l.id(), path, data);
        }
        in.setHeader(PowerBiConstants.ONELAKE_PATH, written.path());
        in.setHeader(PowerBiConstants.BYTES_WRITTEN, written.size());
        in.setBody(written);
    }

    private void loadTable(Message in) {
        PowerBiConfiguration c = config();
        String path = header(in, PowerBiConstants.ONELAKE_PATH, c.getOneLakePath());
        if (path == null || path.isBlank()) {
            throw new InvalidOptionException(
                    "oneLakePath",
                    "loadTable has no file to load",
                    "set oneLakePath to the file"
                            + " (Files/landing/orders.csv) or folder (Files/landing/, with loadFormat) below Files/, or header "
                            + PowerBiConstants.ONELAKE_PATH);
        }
        path = LakehouseRoute.folderOrFile(path);
        String table = TableLoads.checkTable(table(in), "table");
        LakehouseRef l = lakehouse(in);
        LoadTableResult result = lakehouses()
                .loads()
                .load(
                        l,
                        table,
                        new LoadTableRequest(
                                path, c.getLoadMode(), c.getLoadFormat(), c.isCsvHeader(), c.getCsvDelimiter(), false),
                        c.getPollInterval(),
                        c.isWaitForCompletion() ? c.getWaitTimeout() : null);
        in.setHeader(PowerBiConstants.ONELAKE_PATH, path);
        in.setHeader(PowerBiConstants.FABRIC_OPERATION_ID, result.operationId());
        in.setHeader(PowerBiConstants.FABRIC_OPERATION_STATUS, result.status());
        in.setBody(result);
    }

    /**
     * pushRows' rows into a Lakehouse table: read and checked as pushRows does, written as a CSV file to OneLake
     * ({@code oneLakePath}, default {@code Files/camel-powerbi/<table>/}), loaded (waited for: the refresh must see it),
     * the file deleted once loaded, then the Direct Lake model {@code dataset} names, if any, refreshed as
     * refreshDataset would. No rows, no file, load or refresh.
     */
    private void loadRows(Message in) {
        PowerBiConfiguration c = config();
        if (c.getDatasetDefinition() == null || c.getDatasetDefinition().isBlank()) {
            LakehouseRoute.check(PowerBiOperation.loadRows, c, true); // names datasetDefinition and the fix
        }
        String table = TableLoads.checkTable(table(in), "table");
        LakehouseRef l = lakehouse(in);
        TableSchema schema = getEndpoint().schema(l.workspaceId(), l.id(), table);
        RowsToCsv.Written csv = RowsToCsv.write(
                rows(in, PushRequest.builder(l.workspaceId(), l.id(), schema).tableName(table))
                        .progressInterval(c.getProgressInterval())
                        .build());
        OneLakeFile file = null;
        LoadTableResult load = null;
        RefreshOutcome refresh = null;
        try {
            if (csv.rowsWritten() > 0) {
                String folder = c.getOneLakePath() == null || c.getOneLakePath().isBlank()
                        ? "Files/camel-powerbi/" + table
                        : LakehouseRoute.folderOrFile(c.getOneLakePath());
                folder = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
                String name = folder + "/" + table + "-"
                        + LOAD_FILE_TIME.format(
                                (c.getClock() != null ? c.getClock() : java.time.Clock.systemUTC()).instant())
                        + "-"
                        + java.util.UUID.randomUUID() + ".csv";
                try (InputStream data = Files.newInputStream(csv.file())) {
                    file = lakehouses().files().write(l.workspaceId(), l.id(), name, data);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("cannot read back " + csv.file(), e);
                }
                load = lakehouses()
                        .loads()
                        .load(
                                l,
                                table,
                                LoadTableRequest.csvFile(file.path(), c.getLoadMode()),
                                c.getPollInterval(),
                                c.getWaitTimeout());
                deleteLoaded(file);
                String dataset = header(in, PowerBiConstants.DATASET, c.getDataset());
                if (dataset != null && !dataset.isBlank()) {
                    String d = services().names().datasetId(l.workspaceId(), dataset);
                    refresh = refresh(in, l.workspaceId(), d);
                    in.setHeader(PowerBiConstants.DATASET_ID, d);
                    in.setHeader(PowerBiConstants.REFRESH_ID, refresh.refreshId());
                    in.setHeader(PowerBiConstants.REFRESH_STATUS, refresh.status());
                }
            }
        } finally {
            RowsToCsv.delete(csv.file());
        }
        in.setHeader(PowerBiConstants.ROWS_LOADED, csv.rowsWritten());
        in.setHeader(PowerBiConstants.REJECTED_COUNT, csv.rejected().size());
        if (!csv.rejected().isEmpty()) {
            in.setHeader(PowerBiConstants.REJECTED_ROWS, csv.rejected());
        }
        if (file != null) {
            in.setHeader(PowerBiConstants.ONELAKE_PATH, file.path());
            in.setHeader(PowerBiConstants.BYTES_WRITTEN, file.size());
            in.setHeader(PowerBiConstants.FABRIC_OPERATION_ID, load.operationId());
            in.setHeader(PowerBiConstants.FABRIC_OPERATION_STATUS, load.status());
        }
        in.setBody(new LoadRowsResult(csv.rowsRead(), csv.rowsWritten(), csv.rejected(), file, load, refresh));
    }

    /** The loaded CSV's copy in OneLake has served; one left behind by a failed delete is only clutter. */
    private void deleteLoaded(OneLakeFile file) {
        try {
            lakehouses().delete(file);
        } catch (RuntimeException e) {
            LOG.warn("{} was loaded but could not be deleted from OneLake: {}", file.path(), e.getMessage());
        }
    }

    private void call(Message in) throws Exception {
        PowerBiConfiguration c = config();
        Object header = in.getHeader(PowerBiConstants.HTTP_METHOD);
        CallMethod method = header != null ? CallMethod.parse(header, PowerBiConstants.HTTP_METHOD) : c.getMethod();
        String path = header(in, PowerBiConstants.PATH, c.getPath());
        if (path == null || path.isBlank()) {
            throw new InvalidOptionException(
                    "path",
                    "the call operation has no path",
                    "set a path under /v1.0/myorg," + " e.g. /groups (option path or header " + PowerBiConstants.PATH
                            + ")");
        }
        Object body = in.getBody();
        byte[] bytes = null;
        if (body != null && method != CallMethod.GET && method != CallMethod.DELETE) {
            bytes = body instanceof String s
                    ? s.getBytes(StandardCharsets.UTF_8)
                    : body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
        }
        PowerBiResponse response =
                getEndpoint().client().send(PowerBiRequest.json(method.name(), path, Map.of(), bytes, path));
        in.setHeader(PowerBiConstants.REQUEST_ID, response.requestId());
        in.setHeader(PowerBiConstants.HTTP_STATUS, response.status());
        JsonNode json = response.json();
        in.setBody(json.isMissingNode() ? null : JSON.convertValue(json, Object.class));
    }

    private static void list(Message in, List<Map<String, Object>> items) {
        in.setHeader(PowerBiConstants.RESULT_COUNT, items.size());
        in.setBody(items);
    }

    private static String header(Message in, String name, String option) {
        return PowerBiEndpoint.header(in, name, option);
    }

    private String workspaceId(Message in) {
        return getEndpoint().workspaceId(in);
    }

    private String datasetId(Message in, String groupId) {
        return getEndpoint().datasetId(in, groupId);
    }

    private String table(Message in) {
        return getEndpoint().table(in);
    }

    private static String refreshId(Message in) {
        String id = header(in, PowerBiConstants.REFRESH_ID, null);
        if (id == null || id.isBlank()) {
            throw new InvalidOptionException(
                    PowerBiConstants.REFRESH_ID,
                    "the refresh id is missing",
                    "set the header" + " to the id of the refresh (refreshDataset sets it)");
        }
        return id;
    }

    /** The body as a JSON object: a Map, or JSON text. */
    private static Map<String, Object> jsonObject(Message in, String operation) {
        Object body = in.getBody();
        if (body instanceof Map<?, ?> map) {
            return names(map);
        }
        String text = in.getBody(String.class);
        try {
            return text == null || text.isBlank() ? Map.of() : names(JSON.readValue(text, Map.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("body: " + operation
                    + " needs a Map or a JSON object; the body is not JSON" + " (" + e.getOriginalMessage() + ")");
        }
    }

    /** A Map body's entries by their keys' text (a YAML or JSON map may have non-string keys). */
    private static Map<String, Object> names(Map<?, ?> map) {
        Map<String, Object> named = new LinkedHashMap<>();
        map.forEach((k, v) -> named.put(String.valueOf(k), v));
        return named;
    }

    /**
     * Drops a pushed file's checkpoint once its exchange completed. Last of the exchange's completions, after a file
     * consumer moved the file away: a crash before that finds the checkpoint and does not push the file again.
     */
    private static final class ForgetCheckpoint extends SynchronizationAdapter implements Ordered {
        private final PushCheckpoints checkpoints;
        private final Path file;

        ForgetCheckpoint(PushCheckpoints checkpoints, Path file) {
            this.checkpoints = checkpoints;
            this.file = file;
        }

        @Override
        public void onComplete(Exchange exchange) {
            checkpoints.forget(file);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST;
        }
    }
}
