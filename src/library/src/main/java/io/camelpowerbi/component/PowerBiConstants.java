package io.camelpowerbi.component;

import org.apache.camel.spi.Metadata;

/** Message headers of the {@code powerbi:} component. None of them ever carries a token or secret. */
public final class PowerBiConstants {

    @Metadata(
            label = "producer",
            description = "The operation to perform, overriding the endpoint's.",
            javaType = "io.camelpowerbi.component.PowerBiOperation")
    public static final String OPERATION = "CamelPowerBiOperation";

    @Metadata(label = "producer", description = "Workspace name or id, overriding the endpoint's.", javaType = "String")
    public static final String WORKSPACE = "CamelPowerBiWorkspace";

    @Metadata(label = "producer", description = "Dataset name or id, overriding the endpoint's.", javaType = "String")
    public static final String DATASET = "CamelPowerBiDataset";

    @Metadata(label = "producer", description = "Report name or id, overriding the endpoint's.", javaType = "String")
    public static final String REPORT = "CamelPowerBiReport";

    @Metadata(label = "producer", description = "Table name, overriding the endpoint's.", javaType = "String")
    public static final String TABLE = "CamelPowerBiTable";

    @Metadata(
            label = "common",
            description = "Id of the workspace the operation ran in (refreshes: the watched"
                    + " workspace; scan: the scanned workspace).",
            javaType = "String")
    public static final String WORKSPACE_ID = "CamelPowerBiWorkspaceId";

    @Metadata(
            label = "common",
            description = "Id of the dataset the operation ran on (ensureDataset: the created or"
                    + " found dataset; refreshes: the dataset that was refreshed).",
            javaType = "String")
    public static final String DATASET_ID = "CamelPowerBiDatasetId";

    @Metadata(
            label = "producer",
            description = "HTTP method of the `call` operation (GET, POST, PUT, PATCH, DELETE).",
            javaType = "String")
    public static final String HTTP_METHOD = "CamelPowerBiHttpMethod";

    @Metadata(
            label = "producer",
            description = "Path of the `call` operation under /v1.0/myorg, e.g. /groups.",
            javaType = "String")
    public static final String PATH = "CamelPowerBiPath";

    @Metadata(
            label = "producer",
            description = "Power BI's RequestId of the (last) call; quote it to Microsoft support.",
            javaType = "String")
    public static final String REQUEST_ID = "CamelPowerBiRequestId";

    @Metadata(label = "producer", description = "HTTP status of the (last) call.", javaType = "Integer")
    public static final String HTTP_STATUS = "CamelPowerBiHttpStatus";

    @Metadata(
            label = "producer",
            description = "How many items a list or query operation returned.",
            javaType = "Integer")
    public static final String RESULT_COUNT = "CamelPowerBiResultCount";

    @Metadata(
            label = "producer",
            description = "pushRows with streaming: the table this message's rows go to, as"
                    + " workspace/dataset/table (names or ids, each percent-encoded when it holds a /, e.g. a Kafka record's key);"
                    + " overrides CamelPowerBiWorkspace, CamelPowerBiDataset and CamelPowerBiTable.",
            javaType = "String")
    public static final String TARGET = "CamelPowerBiTarget";

    @Metadata(
            label = "producer",
            description = "pushRows with streaming: who is told when Power BI accepted this"
                    + " message's rows (an io.camelpowerbi.push.RowAck, e.g. set by the Kafka glue for a record's offset); when"
                    + " set, the message completes once its rows are buffered instead of once they were accepted.",
            javaType = "io.camelpowerbi.push.RowAck")
    public static final String ROW_ACK = "CamelPowerBiRowAck";

    @Metadata(label = "producer", description = "pushRows: rows Power BI accepted.", javaType = "Long")
    public static final String ROWS_SENT = "CamelPowerBiRowsSent";

    @Metadata(label = "producer", description = "pushRows: POST rows requests sent.", javaType = "Integer")
    public static final String BATCHES = "CamelPowerBiBatches";

    @Metadata(
            label = "producer",
            description = "pushRows: rows of the same, unchanged file that Power BI had accepted in"
                    + " an earlier push cut short (see the resumeDirectory option): not sent again, not counted in"
                    + " CamelPowerBiRowsSent.",
            javaType = "Long")
    public static final String ROWS_RESUMED = "CamelPowerBiRowsResumed";

    @Metadata(
            label = "producer",
            description = "pushRows, loadRows: how many rows were rejected (policy SKIP).",
            javaType = "Integer")
    public static final String REJECTED_COUNT = "CamelPowerBiRejectedCount";

    @Metadata(
            label = "producer",
            description =
                    "pushRows, loadRows: the rejected rows with row number, column and reason" + " (policy SKIP).",
            javaType = "java.util.List<io.camelpowerbi.push.RejectedRow>")
    public static final String REJECTED_ROWS = "CamelPowerBiRejectedRows";

    @Metadata(
            label = "producer",
            description = "pushRows: how often sending waited for the rate limits.",
            javaType = "Integer")
    public static final String THROTTLED_WAITS = "CamelPowerBiThrottledWaits";

    @Metadata(label = "producer", description = "Duration of the operation in milliseconds.", javaType = "Long")
    public static final String DURATION = "CamelPowerBiDuration";

    @Metadata(
            label = "common",
            description = "refreshDataset/refreshStatus/cancelRefresh: the refresh id. refreshes:"
                    + " the emitted refresh's requestId (the history entry's id when Power BI gave none; a dataflow's: the"
                    + " transaction id).",
            javaType = "String")
    public static final String REFRESH_ID = "CamelPowerBiRefreshId";

    @Metadata(
            label = "common",
            description = "refreshDataset: the refresh's final status (Completed, Failed,"
                    + " Cancelled, Disabled), or Unknown when not waited for. refreshes: the emitted refresh's final status (a"
                    + " dataflow's: its transaction's status, e.g. Success or Failed).",
            javaType = "String")
    public static final String REFRESH_STATUS = "CamelPowerBiRefreshStatus";

    @Metadata(
            label = "consumer",
            description = "refreshes: the name of the dataset that was refreshed.",
            javaType = "String")
    public static final String DATASET_NAME = "CamelPowerBiDatasetName";

    @Metadata(
            label = "consumer",
            description = "refreshes with watchDataflows: the id of the dataflow whose refresh"
                    + " transaction is emitted (set only on dataflow exchanges; their body is an"
                    + " io.camelpowerbi.operations.DataflowTransaction).",
            javaType = "String")
    public static final String DATAFLOW_ID = "CamelPowerBiDataflowId";

    @Metadata(
            label = "consumer",
            description = "refreshes with watchDataflows: the name of the dataflow whose refresh"
                    + " transaction is emitted.",
            javaType = "String")
    public static final String DATAFLOW_NAME = "CamelPowerBiDataflowName";

    @Metadata(
            label = "producer",
            description = "ensureDataset: true when the dataset was created.",
            javaType = "Boolean")
    public static final String DATASET_CREATED = "CamelPowerBiDatasetCreated";

    @Metadata(
            label = "producer",
            description = "executeQuery: the result was truncated by Power BI's limits.",
            javaType = "Boolean")
    public static final String TRUNCATED = "CamelPowerBiTruncated";

    @Metadata(
            label = "producer",
            description = "exportReport: the file name, sanitised (no directories). Also set as"
                    + " CamelFileName so a file endpoint writes it under that name.",
            javaType = "String")
    public static final String FILE_NAME = "CamelPowerBiFileName";

    @Metadata(label = "producer", description = "exportReport: id of the export job.", javaType = "String")
    public static final String EXPORT_ID = "CamelPowerBiExportId";

    @Metadata(label = "producer", description = "importFile: id of the import.", javaType = "String")
    public static final String IMPORT_ID = "CamelPowerBiImportId";

    @Metadata(
            label = "consumer",
            description = "activityEvents: the event's Id (per-event exchanges).",
            javaType = "String")
    public static final String ACTIVITY_EVENT_ID = "CamelPowerBiActivityEventId";

    @Metadata(
            label = "consumer",
            description = "activityEvents: start of the window the event was read in (inclusive).",
            javaType = "java.time.Instant")
    public static final String ACTIVITY_WINDOW_START = "CamelPowerBiActivityWindowStart";

    @Metadata(
            label = "consumer",
            description = "activityEvents: end of the window the event was read in (inclusive).",
            javaType = "java.time.Instant")
    public static final String ACTIVITY_WINDOW_END = "CamelPowerBiActivityWindowEnd";

    @Metadata(
            label = "consumer",
            description = "activityEvents: how far the window's end is behind now, in milliseconds.",
            javaType = "Long")
    public static final String ACTIVITY_LAG = "CamelPowerBiActivityLag";

    @Metadata(
            label = "consumer",
            description = "activityEvents: how long this poll has waited so far for the request"
                    + " budget (maxRequestsPerHour), in milliseconds; 0 when not throttled.",
            javaType = "Long")
    public static final String ACTIVITY_THROTTLED = "CamelPowerBiActivityThrottled";

    @Metadata(
            label = "consumer",
            description = "activityEvents: how many events the exchange carries (per-page"
                    + " exchanges: the list's size; per-event: 1).",
            javaType = "Integer")
    public static final String ACTIVITY_EVENT_COUNT = "CamelPowerBiActivityEventCount";

    @Metadata(label = "consumer", description = "scan: the scanned workspace's name.", javaType = "String")
    public static final String WORKSPACE_NAME = "CamelPowerBiWorkspaceName";

    @Metadata(
            label = "consumer",
            description = "scan: id of the getInfo scan the workspace came from.",
            javaType = "String")
    public static final String SCAN_ID = "CamelPowerBiScanId";

    @Metadata(
            label = "consumer",
            description = "scan: the modifiedSince of this run (the previous checkpoint); absent" + " for a full scan.",
            javaType = "java.time.Instant")
    public static final String SCAN_MODIFIED_SINCE = "CamelPowerBiScanModifiedSince";

    @Metadata(
            label = "consumer",
            description = "scan: when this run listed the modified workspaces; the checkpoint"
                    + " stored once every workspace of the run was delivered.",
            javaType = "java.time.Instant")
    public static final String SCAN_CHECKPOINT = "CamelPowerBiScanCheckpoint";

    @Metadata(
            label = "consumer",
            description = "scan: how many workspaces this run delivers in all.",
            javaType = "Integer")
    public static final String SCAN_WORKSPACE_COUNT = "CamelPowerBiScanWorkspaceCount";

    @Metadata(
            label = "consumer",
            description = "scan: how long this poll has waited so far for the request budgets"
                    + " and Power BI's Retry-After, in milliseconds; 0 when not throttled.",
            javaType = "Long")
    public static final String SCAN_THROTTLED = "CamelPowerBiScanThrottled";

    // ------------------------------------------------------------------ Fabric Lakehouse and OneLake

    @Metadata(
            label = "producer",
            description =
                    "Lakehouse name or id, overriding the endpoint's (writeOneLakeFile," + " loadTable, loadRows).",
            javaType = "String")
    public static final String LAKEHOUSE = "CamelPowerBiLakehouse";

    @Metadata(
            label = "producer",
            description = "writeOneLakeFile, loadTable, loadRows: id of the lakehouse the" + " operation ran on.",
            javaType = "String")
    public static final String LAKEHOUSE_ID = "CamelPowerBiLakehouseId";

    @Metadata(
            label = "producer",
            description = "writeOneLakeFile: the file's path in the lakehouse (Files/...),"
                    + " overriding oneLakePath; loadTable: the file or folder to load. Set on the result: the path written or"
                    + " loaded.",
            javaType = "String")
    public static final String ONELAKE_PATH = "CamelPowerBiOneLakePath";

    @Metadata(
            label = "producer",
            description = "writeOneLakeFile, loadRows: bytes written to OneLake.",
            javaType = "Long")
    public static final String BYTES_WRITTEN = "CamelPowerBiBytesWritten";

    @Metadata(
            label = "producer",
            description = "loadTable, loadRows: Fabric's operation id (x-ms-operation-id) of the"
                    + " load. getOperation: the operation to read.",
            javaType = "String")
    public static final String FABRIC_OPERATION_ID = "CamelPowerBiFabricOperationId";

    @Metadata(
            label = "producer",
            description = "loadTable, loadRows, getOperation: the operation's status"
                    + " (NotStarted, Running, Succeeded, Failed).",
            javaType = "String")
    public static final String FABRIC_OPERATION_STATUS = "CamelPowerBiFabricOperationStatus";

    @Metadata(
            label = "producer",
            description = "loadRows: rows written to OneLake and loaded into the table.",
            javaType = "Long")
    public static final String ROWS_LOADED = "CamelPowerBiRowsLoaded";

    private PowerBiConstants() {}
}
