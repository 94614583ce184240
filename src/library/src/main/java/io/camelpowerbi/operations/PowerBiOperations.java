package io.camelpowerbi.operations;

import io.camelpowerbi.client.PowerBiClient;
import java.util.Objects;

/**
 * All operations over one {@link PowerBiClient}, sharing one {@link NameResolver} (so a dataset created by
 * {@code ensureDataset} is known by name at once) and one {@link Poller}. Stateless apart from the name cache, so one
 * instance serves every thread of an endpoint.
 */
public final class PowerBiOperations {

    private final NameResolver names;
    private final DatasetOperations datasets;
    private final RefreshOperations refreshes;
    private final QueryOperations queries;
    private final ExportOperations exports;
    private final ImportOperations imports;
    private final DatasetSettingsOperations settings;
    private final WorkspaceUserOperations workspaceUsers;
    private final DataflowOperations dataflows;

    public PowerBiOperations(PowerBiClient client) {
        this(client, Poller.SYSTEM, ImportOperations.DEFAULT_LARGE_FILE_THRESHOLD, new BlobUploader());
    }

    public PowerBiOperations(PowerBiClient client, Poller poller, long largeImportThreshold, BlobUploader blobs) {
        Objects.requireNonNull(client, "client");
        this.names = new NameResolver(client);
        this.datasets = new DatasetOperations(client, names, poller);
        this.refreshes = new RefreshOperations(client, poller);
        this.queries = new QueryOperations(client);
        this.exports = new ExportOperations(client, poller);
        this.imports = new ImportOperations(client, poller, largeImportThreshold, blobs);
        this.settings = new DatasetSettingsOperations(client);
        this.workspaceUsers = new WorkspaceUserOperations(client);
        this.dataflows = new DataflowOperations(client, poller);
    }

    public NameResolver names() {
        return names;
    }

    public DatasetOperations datasets() {
        return datasets;
    }

    public RefreshOperations refreshes() {
        return refreshes;
    }

    public QueryOperations queries() {
        return queries;
    }

    public ExportOperations exports() {
        return exports;
    }

    public ImportOperations imports() {
        return imports;
    }

    public DatasetSettingsOperations settings() {
        return settings;
    }

    public WorkspaceUserOperations workspaceUsers() {
        return workspaceUsers;
    }

    public DataflowOperations dataflows() {
        return dataflows;
    }
}
