package io.camelpowerbi.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.client.PowerBiRequest;
import io.camelpowerbi.client.PowerBiResponse;
import io.camelpowerbi.operations.DataflowTransaction;
import io.camelpowerbi.operations.DatasetDefinition;
import io.camelpowerbi.operations.DatasourceCredentialType;
import io.camelpowerbi.operations.DatasetOperations.EnsureResult;
import io.camelpowerbi.operations.ExportRequest;
import io.camelpowerbi.operations.ExportWaitOptions;
import io.camelpowerbi.operations.ExportedFile;
import io.camelpowerbi.operations.ImportResult;
import io.camelpowerbi.operations.ImportSource;
import io.camelpowerbi.operations.ImportWaitOptions;
import io.camelpowerbi.operations.NameConflict;
import io.camelpowerbi.operations.PowerBiOperations;
import io.camelpowerbi.operations.QueryResult;
import io.camelpowerbi.operations.RefreshOutcome;
import io.camelpowerbi.operations.RefreshRequest;
import io.camelpowerbi.operations.WaitOptions;
import io.camelpowerbi.push.Format;
import io.camelpowerbi.push.InvalidRowPolicy;
import io.camelpowerbi.push.PushCheckpoints;
import io.camelpowerbi.push.PushPipeline;
import io.camelpowerbi.push.PushRequest;
import io.camelpowerbi.push.PushResult;
import io.camelpowerbi.push.RateLimits;
import io.camelpowerbi.push.TableSchema;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.Ordered;
import org.apache.camel.support.SynchronizationAdapter;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the endpoint's operation (or the one in {@link PowerBiConstants#OPERATION}): reads options and headers, calls
 * the operation classes, and puts results in the body and metadata in {@code CamelPowerBi*} headers.
 */
public class PowerBiProducer extends DefaultProducer {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        PowerBiOperation operation = in.getHeader(PowerBiConstants.OPERATION, getEndpoint().getOperation(), PowerBiOperation.class);
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
                List<Map<String, Object>> history = services().refreshes().history(g, datasetId(in, g), config().getTop());
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
                services().settings().updateParameters(g, datasetId(in, g),
                        in.getBody() instanceof Map<?, ?> map && !map.isEmpty() ? names(map) : pairs(config().getParameterValues()));
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
                services().settings().bindToGateway(g, datasetId(in, g), config().getGateway(), config().getDatasourceIds() == null
                        ? List.of() : List.of(config().getDatasourceIds().split("\\s*,\\s*")));
            }
            case getRefreshSchedule -> {
                String g = workspaceId(in);
                in.setBody(services().settings().refreshSchedule(g, datasetId(in, g)));
            }
            case updateRefreshSchedule -> {
                String g = workspaceId(in);
                services().settings().updateRefreshSchedule(g, datasetId(in, g), jsonObject(in, "updateRefreshSchedule"));
            }
            case refreshDataflow -> refreshDataflow(in);
            case dataflowTransactions -> {
                String g = workspaceId(in);
                list(in, services().dataflows().transactions(g, services().names().dataflowId(g, config().getDataflow())));
            }
            case listWorkspaceUsers -> list(in, services().workspaceUsers().list(workspaceId(in)));
            case addWorkspaceUser -> services().workspaceUsers().add(workspaceId(in), config().getPrincipal(),
                    config().getPrincipalType(), config().getWorkspaceAccessRight());
            case updateWorkspaceUser -> services().workspaceUsers().update(workspaceId(in), config().getPrincipal(),
                    config().getPrincipalType(), config().getWorkspaceAccessRight());
            case deleteWorkspaceUser -> services().workspaceUsers().delete(workspaceId(in), config().getPrincipal());
            case call -> call(in);
            default -> throw new UnsupportedOperationException("operation " + operation + " is not implemented");
        }
        in.setHeader(PowerBiConstants.DURATION, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private void pushRows(Exchange exchange, Message in) {
        PowerBiConfiguration c = config();
        String g = workspaceId(in);
        String d = datasetId(in, g);
        String table = table(in);
        TableSchema schema = getEndpoint().schema(g, d, table);
        Object body = in.getBody();
        String fileName = in.getHeader(Exchange.FILE_NAME, String.class);
        if (body instanceof GenericFile<?> file) {
            // A file consumer's body: read the file itself, streamed, rather than letting Camel load it.
            fileName = file.getFileName();
            body = file.getFile() instanceof File f ? f : in.getBody(InputStream.class);
        }
        PushCheckpoints checkpoints = getEndpoint().checkpoints();
        PushRequest request = PushRequest.builder(g, d, schema)
                .tableName(table)
                .body(body)
                .fileName(fileName)
                .format(Format.valueOf(c.getFormat().toUpperCase(Locale.ROOT)))
                .charset(c.pushCharset())
                .policy(InvalidRowPolicy.valueOf(c.getInvalidRowPolicy().toUpperCase(Locale.ROOT)))
                .ignoreUnknownColumns(c.isIgnoreUnknownColumns())
                .batchSize(c.getBatchSize())
                .limiter(getEndpoint().getComponent().rateLimiters().forDataset(d,
                        new RateLimits(c.getMaxRequestsPerMinute(), c.getMaxRowsPerHour(), c.getMaxPendingRequests())))
                .progressInterval(Duration.ofSeconds(c.getProgressIntervalSeconds()))
                .checkpoints(checkpoints)
                .build();
        PushResult result = new PushPipeline(getEndpoint().getComponent().metrics()).push(getEndpoint().client(), request);
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

    private void ensureDataset(Message in) {
        String g = workspaceId(in);
        Object body = in.getBody();
        DatasetDefinition definition;
        if (body instanceof Map<?, ?> map) {
            definition = DatasetDefinition.fromMap(map, "the message body");
        } else if (config().getDatasetDefinition() != null) {
            definition = DatasetDefinition.load(Path.of(config().getDatasetDefinition()));
        } else {
            throw new IllegalArgumentException("datasetDefinition: ensureDataset needs a definition file (e.g."
                    + " config/datasets/sales.yaml) or a Map body with name and tables");
        }
        EnsureResult result = services().datasets().ensureDataset(g, definition);
        in.setHeader(PowerBiConstants.WORKSPACE_ID, g);
        in.setHeader(PowerBiConstants.DATASET_ID, result.datasetId());
        in.setHeader(PowerBiConstants.DATASET_CREATED, result.created());
        in.setBody(result);
    }

    private void refreshDataset(Message in) {
        PowerBiConfiguration c = config();
        String g = workspaceId(in);
        String d = datasetId(in, g);
        RefreshRequest request;
        if (in.getBody() instanceof Map<?, ?> map && !map.isEmpty()) {
            request = RefreshRequest.fromMap(map);
        } else {
            List<RefreshRequest.RefreshObject> objects = new ArrayList<>();
            if (c.getObjects() != null) {
                for (String o : c.getObjects().split(",")) {
                    String[] parts = o.trim().split("/", 2);
                    objects.add(new RefreshRequest.RefreshObject(parts[0], parts.length > 1 ? parts[1] : null));
                }
            }
            request = new RefreshRequest(null, c.getRefreshType(), c.getCommitMode(), objects, c.getMaxParallelism(),
                    c.getRetryCount(), c.getRefreshTimeout(), c.getApplyRefreshPolicy(), null);
        }
        WaitOptions wait = c.isWaitForCompletion()
                ? new WaitOptions(Duration.ofMillis(c.getPollInterval()), Duration.ofMillis(c.getWaitTimeout()), c.isCancelOnTimeout())
                : null;
        RefreshOutcome outcome = services().refreshes().refresh(g, d, request, wait, c.isFailOnRefreshError(),
                c.getIfRunning());
        in.setHeader(PowerBiConstants.WORKSPACE_ID, g);
        in.setHeader(PowerBiConstants.DATASET_ID, d);
        in.setHeader(PowerBiConstants.REFRESH_ID, outcome.refreshId());
        in.setHeader(PowerBiConstants.REFRESH_STATUS, outcome.status());
        in.setBody(outcome);
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
        List<String> updated = services().settings().updateDatasourceCredentials(g, d, (String) body.get("datasourceId"),
                credentialType, body, (String) body.get("privacyLevel"));
        in.setHeader(PowerBiConstants.RESULT_COUNT, updated.size());
        in.setBody(updated);
    }

    private void refreshDataflow(Message in) {
        PowerBiConfiguration c = config();
        String g = workspaceId(in);
        String f = services().names().dataflowId(g, c.getDataflow());
        WaitOptions wait = c.isWaitForCompletion()
                ? new WaitOptions(Duration.ofMillis(c.getPollInterval()), Duration.ofMillis(c.getWaitTimeout()), c.isCancelOnTimeout())
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
        QueryResult result = services().queries().execute(g, d, dax, c.getImpersonatedUserName(), c.isIncludeNulls(),
                c.isStripTableNames());
        in.setHeader(PowerBiConstants.RESULT_COUNT, result.rows().size());
        in.setHeader(PowerBiConstants.TRUNCATED, result.truncated());
        in.setBody(result.rows());
    }

    private void exportReport(Exchange exchange, Message in) {
        PowerBiConfiguration c = config();
        String g = workspaceId(in);
        String reportName = header(in, PowerBiConstants.REPORT, c.getReport());
        if (reportName == null || reportName.isBlank()) {
            throw new IllegalArgumentException("report: exportReport needs the report name or id");
        }
        String r = services().names().reportId(g, reportName);
        List<ExportRequest.Page> pages = new ArrayList<>();
        if (c.getPages() != null) {
            for (String p : c.getPages().split(",")) {
                pages.add(new ExportRequest.Page(p.trim()));
            }
        }
        ExportRequest request = new ExportRequest(c.getExportFormat().toUpperCase(Locale.ROOT), c.isPaginated(), pages,
                c.getBookmark(), null, c.getReportLevelFilter(), null, pairs(c.getParameterValues()), Map.of());
        ExportedFile file = services().exports().export(g, r, request,
                new ExportWaitOptions(Duration.ofMillis(c.getPollInterval()), Duration.ofMillis(c.getWaitTimeout()),
                        ExportWaitOptions.DEFAULT_MAX_RESTARTS));
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
        String fileName = in.getHeader(Exchange.FILE_NAME_ONLY, in.getHeader(Exchange.FILE_NAME, String.class), String.class);
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
            spooled = Files.createTempFile("powerbi-import-", "-" + Path.of(name).getFileName());
            Files.copy(stream, spooled, StandardCopyOption.REPLACE_EXISTING);
            source = new ImportSource(spooled, null, name);
        }
        try {
            ImportResult result = services().imports().importFile(g, source, c.getDatasetDisplayName(),
                    NameConflict.parse(c.getNameConflict()), false, c.isWaitForCompletion()
                            ? new ImportWaitOptions(Duration.ofMillis(c.getPollInterval()), Duration.ofMillis(c.getWaitTimeout()))
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
            throw new IllegalArgumentException("importFile: set the CamelFileName header or datasetDisplayName (with its"
                    + " extension, e.g. sales.pbix) so Power BI knows the file type");
        }
        return name;
    }

    private void call(Message in) throws Exception {
        PowerBiConfiguration c = config();
        Object header = in.getHeader(PowerBiConstants.HTTP_METHOD);
        CallMethod method = header != null ? CallMethod.parse(header, PowerBiConstants.HTTP_METHOD) : c.getMethod();
        String path = header(in, PowerBiConstants.PATH, c.getPath());
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("path: the call operation needs a path under /v1.0/myorg, e.g. /groups");
        }
        Object body = in.getBody();
        byte[] bytes = null;
        if (body != null && method != CallMethod.GET && method != CallMethod.DELETE) {
            bytes = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                    : body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
        }
        PowerBiResponse response = getEndpoint().client().send(PowerBiRequest.json(method.name(), path, Map.of(), bytes,
                path));
        in.setHeader(PowerBiConstants.REQUEST_ID, response.requestId());
        in.setHeader(PowerBiConstants.HTTP_STATUS, response.status());
        JsonNode json = response.json();
        in.setBody(json.isMissingNode() ? null : JSON.convertValue(json, Object.class));
    }

    private static void list(Message in, List<Map<String, Object>> items) {
        in.setHeader(PowerBiConstants.RESULT_COUNT, items.size());
        in.setBody(items);
    }

    /** A header's value (else the option's), refused when it holds a line break: it goes into URLs and messages. */
    private static String header(Message in, String name, String option) {
        return SingleLine.require(in.getHeader(name, option, String.class), name);
    }

    private String workspaceId(Message in) {
        String workspace = header(in, PowerBiConstants.WORKSPACE, config().getWorkspace());
        if (workspace == null || workspace.isBlank()) {
            throw new IllegalArgumentException("workspace: set the workspace name or id (option workspace or header "
                    + PowerBiConstants.WORKSPACE + ")");
        }
        return services().names().workspaceId(workspace);
    }

    private String datasetId(Message in, String groupId) {
        String dataset = header(in, PowerBiConstants.DATASET, config().getDataset());
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("dataset: set the dataset name or id (option dataset or header "
                    + PowerBiConstants.DATASET + ")");
        }
        return services().names().datasetId(groupId, dataset);
    }

    private String table(Message in) {
        String table = header(in, PowerBiConstants.TABLE, config().getTable());
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("table: set the table name (option table or header " + PowerBiConstants.TABLE + ")");
        }
        return table;
    }

    private static String refreshId(Message in) {
        String id = header(in, PowerBiConstants.REFRESH_ID, null);
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("the refresh id is missing: set header " + PowerBiConstants.REFRESH_ID);
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
            throw new IllegalArgumentException("body: " + operation + " needs a Map or a JSON object; the body is not JSON"
                    + " (" + e.getOriginalMessage() + ")");
        }
    }

    /** A Map body's entries by their keys' text (a YAML or JSON map may have non-string keys). */
    private static Map<String, Object> names(Map<?, ?> map) {
        Map<String, Object> named = new LinkedHashMap<>();
        map.forEach((k, v) -> named.put(String.valueOf(k), v));
        return named;
    }

    private static Map<String, String> pairs(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text != null) {
            for (String pair : text.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("parameterValues: expected name=value pairs separated by commas, got '" + pair + "'");
                }
                map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return map;
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
