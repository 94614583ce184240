package io.camelpowerbi.operations;

/**
 * A Load Table request and how it ended.
 *
 * @param workspaceId  the workspace's id
 * @param lakehouseId  the lakehouse's id
 * @param table        the table loaded into
 * @param relativePath the file or folder loaded
 * @param mode         Append or Overwrite
 * @param operationId  Fabric's operation id ({@code x-ms-operation-id}), or null when Fabric answered at once
 * @param state        the operation's last state; its status is {@code Succeeded} once waited for, or the state right
 *                     after the start when not waited for
 */
public record LoadTableResult(
        String workspaceId,
        String lakehouseId,
        String table,
        String relativePath,
        LoadMode mode,
        String operationId,
        OperationState state) {

    /** The operation's status: {@code Succeeded}, or {@code NotStarted}/{@code Running} when not waited for. */
    public String status() {
        return state == null ? null : state.status();
    }
}
