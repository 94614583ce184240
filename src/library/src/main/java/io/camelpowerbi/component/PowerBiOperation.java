package io.camelpowerbi.component;

/** What a {@code powerbi:} producer does (or, for {@link #activityEvents}, {@link #refreshes} and {@link #scan}, what its consumer polls); the {@code CamelPowerBiOperation} header overrides it per message. */
public enum PowerBiOperation {
    /** Pushes the body's rows (list, map, iterator, stream, JSON, NDJSON or CSV) into a push dataset table. */
    pushRows,
    /**
     * Creates a push dataset from a definition, or adds new columns and measures to its existing tables; idempotent. A
     * table the existing dataset lacks is refused (Power BI cannot add one), changing nothing.
     */
    ensureDataset,
    /** Deletes every row of a push dataset table. */
    deleteRows,
    /** Refreshes a semantic model, plain or enhanced, and by default waits for this refresh's outcome. */
    refreshDataset,
    /** The refresh history of a dataset, newest first. */
    refreshHistory,
    /** The details of one enhanced refresh (id from CamelPowerBiRefreshId). */
    refreshStatus,
    /** Cancels an enhanced refresh (id from CamelPowerBiRefreshId). */
    cancelRefresh,
    /** Runs a DAX query; rows in the body. */
    executeQuery,
    /** Exports a report to a file (PDF, PPTX, PNG, or a paginated format); the file in the body as a stream. */
    exportReport,
    /** Imports a .pbix, .rdl or .xlsx file from the body and waits for it. */
    importFile,
    /** Lists the workspaces the service principal is a member of (all pages). */
    listWorkspaces,
    /** Lists the datasets of a workspace. */
    listDatasets,
    /** Lists the reports of a workspace. */
    listReports,
    /** Lists the tables of a push dataset. */
    listTables,
    /** One dataset's properties. */
    getDataset,
    /** The Power Query parameters of a semantic model (name, type, isRequired, currentValue, suggestedValues). */
    getParameters,
    /**
     * Sets parameters of a semantic model: a Map body of names to values, or {@code parameterValues} (name=value,...).
     * The caller must own the dataset ({@link #takeOver}); refresh it afterwards for the values to take effect.
     */
    updateParameters,
    /** The data sources of a semantic model (type, connection details, datasource and gateway ids). */
    getDatasources,
    /**
     * Sets the credentials of a semantic model's data sources from a Map body ({@code credentialType}, then
     * {@code username}/{@code password}, {@code key}, {@code accessToken} or {@code token}; optional
     * {@code datasourceId}, {@code privacyLevel}), encrypted with the gateway's public key for on-premises data sources.
     * The body is replaced by the ids of the data sources updated.
     */
    updateDatasourceCredentials,
    /** Makes the service principal the owner of a semantic model (needed to change parameters or credentials). */
    takeOver,
    /** Binds a semantic model's data sources to an on-premises gateway ({@code gateway}, optionally {@code datasourceIds}). */
    bindToGateway,
    /** A semantic model's refresh schedule (days, times, enabled, localTimeZoneId, notifyOption). */
    getRefreshSchedule,
    /**
     * Changes the fields of a semantic model's refresh schedule given in the body (a Map or JSON object); checked
     * against Power BI's rules before the call. The caller must own the dataset.
     */
    updateRefreshSchedule,
    /**
     * Refreshes a dataflow ({@code dataflow}) and by default waits for its transaction to end, like refreshDataset
     * (pollInterval, waitTimeout, cancelOnTimeout, failOnRefreshError).
     */
    refreshDataflow,
    /** The refresh transactions of a dataflow. */
    dataflowTransactions,
    /** The users, groups and apps with access to a workspace, with their access rights. */
    listWorkspaceUsers,
    /** Gives {@code principal} ({@code principalType}) the {@code workspaceAccessRight} on a workspace. */
    addWorkspaceUser,
    /** Changes the access right of {@code principal} on a workspace. */
    updateWorkspaceUser,
    /** Takes the access of {@code principal} (a user's e-mail, or a group's or app's object id) to a workspace away. */
    deleteWorkspaceUser,
    /** Any other REST operation: {@code method}, {@code path} under /v1.0/myorg and a JSON body. */
    call,
    /**
     * Writes the body (a file or a stream, of any size) to OneLake below {@code Files/} of a Lakehouse: created, appended
     * in chunks at contiguous positions, flushed (the ADLS Gen2 DFS API, with a token for the storage audience).
     */
    writeOneLakeFile,
    /**
     * Loads a file or folder below {@code Files/} of a Lakehouse into a Delta table (Fabric's Load Table, a preview
     * API): Append or Overwrite, CSV or Parquet; waits for the long-running operation unless waitForCompletion=false.
     */
    loadTable,
    /** The state of a Fabric long-running operation (id from CamelPowerBiFabricOperationId). */
    getOperation,
    /**
     * Rows into a Lakehouse table, as pushRows takes them (the same bodies, checks and rejections): written as CSV to
     * OneLake, loaded into the table, then, when {@code dataset} names one, the Direct Lake semantic model refreshed.
     * An ETL route moves from pushRows to loadRows by changing the operation.
     */
    loadRows,
    /**
     * Consumer only: polls the admin activity log ({@code GET admin/activityevents}) in windows that never cross a UTC
     * day, from {@code startFrom} and then {@code lag} behind now; one exchange per event (or per page), every event
     * exactly once across restarts thanks to a checkpoint in a {@code StateRepository}; at most
     * {@code maxRequestsPerHour} requests. Default poll delay 60 s.
     */
    activityEvents,
    /**
     * Consumer only: watches the datasets of {@code workspace} (all, {@code dataset}, or those {@code datasetPattern}
     * matches) and emits one exchange per refresh that reached a terminal state (Completed, Failed, Cancelled,
     * Disabled), with the {@code RefreshOutcome} (details and parsed errors) in the body; each once, across restarts,
     * thanks to the ids kept in a {@code StateRepository}. Refreshes still running are emitted when they end. One
     * {@code GET datasets} plus one {@code GET refreshes?$top=top} per watched dataset per poll. Default poll delay 30 s.
     */
    refreshes,
    /**
     * Consumer only: the metadata scanner. Lists the workspaces modified since the checkpoint
     * ({@code GET admin/workspaces/modified}; a full scan, or the workspaces modified since {@code modifiedSince}, when
     * there is none), scans them with {@code getInfo} in
     * batches of {@code scanBatchSize} (at most 100, at most {@code maxScansInFlight} running, with the lineage,
     * datasourceDetails, datasetSchema, datasetExpressions and getArtifactUsers options), polls {@code scanStatus},
     * fetches {@code scanResult}, and sends one exchange per workspace (body: the workspace as a Map), each once across
     * failures and restarts; within the scanner's hourly limits. Default poll delay 60 s; a run starts at most every 30
     * minutes (Power BI's shortest modifiedSince).
     */
    scan;

    /** Whether it is a consumer ({@code from:}); the others are producers ({@code to:}). */
    public boolean isConsumer() {
        return switch (this) {
            case activityEvents, refreshes, scan -> true;
            default -> false;
        };
    }

    /** The operations of one side, for messages: {@code activityEvents, refreshes, scan}. */
    static String names(boolean consumers) {
        StringBuilder sb = new StringBuilder();
        for (PowerBiOperation o : values()) {
            if (o.isConsumer() == consumers) {
                sb.append(sb.length() == 0 ? "" : ", ").append(o.name());
            }
        }
        return sb.toString();
    }
}
