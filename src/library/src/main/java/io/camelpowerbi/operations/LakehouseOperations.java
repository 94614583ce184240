package io.camelpowerbi.operations;

import io.camelpowerbi.client.Idempotency;
import io.camelpowerbi.client.PathSegment;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiRequest;
import io.camelpowerbi.client.Service;
import java.util.Map;
import java.util.Objects;

/**
 * The Fabric Lakehouse operations over a client of the Fabric REST API and one of OneLake, each with its own token
 * audience: names of workspaces and lakehouses ({@link LakehouseNames}), files in OneLake ({@link OneLakeFiles}) and
 * Load Table with its long-running operation ({@link TableLoads}). Stateless apart from the name cache.
 */
public final class LakehouseOperations {

    private final PowerBiClient oneLake;
    private final LakehouseNames names;
    private final OneLakeFiles files;
    private final TableLoads loads;

    public LakehouseOperations(PowerBiClient fabric, PowerBiClient oneLake) {
        this(fabric, oneLake, Poller.SYSTEM, OneLakeFiles.DEFAULT_CHUNK_SIZE);
    }

    /** @param chunkSize bytes per OneLake append */
    public LakehouseOperations(PowerBiClient fabric, PowerBiClient oneLake, Poller poller, int chunkSize) {
        Objects.requireNonNull(fabric, "fabric");
        this.oneLake = Objects.requireNonNull(oneLake, "oneLake");
        if (fabric.service() != Service.FABRIC || oneLake.service() != Service.ONELAKE) {
            throw new IllegalArgumentException("a Fabric client and a OneLake client are needed, got "
                    + fabric.service() + " and " + oneLake.service());
        }
        this.names = new LakehouseNames(fabric);
        this.files = new OneLakeFiles(oneLake, chunkSize);
        this.loads = new TableLoads(fabric, poller);
    }

    public LakehouseNames names() {
        return names;
    }

    public OneLakeFiles files() {
        return files;
    }

    public TableLoads loads() {
        return loads;
    }

    /**
     * Deletes a file of OneLake. Resent after a transient failure like every DFS request; a 404 then means the first
     * one did it.
     */
    public void delete(OneLakeFile file) {
        StringBuilder url = new StringBuilder("/")
                .append(PathSegment.encode(file.workspaceId()))
                .append('/')
                .append(PathSegment.encode(file.lakehouseId()));
        for (String segment : file.path().split("/")) {
            url.append('/').append(PathSegment.encode(segment));
        }
        oneLake.send(new PowerBiRequest(
                "DELETE", url.toString(), Map.of(), null, "OneLake file " + file.path(), null, Idempotency.IDEMPOTENT));
    }
}
