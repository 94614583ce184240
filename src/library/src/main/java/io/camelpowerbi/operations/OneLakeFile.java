package io.camelpowerbi.operations;

/**
 * A file written to OneLake.
 *
 * @param workspaceId the workspace's id
 * @param lakehouseId the lakehouse's id
 * @param path        its path in the lakehouse, e.g. {@code Files/landing/orders.csv} (Load Table's
 *                    {@code relativePath})
 * @param size        its length in bytes
 * @param appends     how many append requests carried it
 * @param etag        OneLake's ETag after the flush, or null
 */
public record OneLakeFile(String workspaceId, String lakehouseId, String path, long size, int appends, String etag) {}
