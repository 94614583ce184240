package io.camelpowerbi.operations;

/**
 * A Fabric Lakehouse as its workspace lists it.
 *
 * @param workspaceId   the workspace's id
 * @param id            the lakehouse's id
 * @param displayName   its name
 * @param defaultSchema the default schema of a lakehouse created with schemas, else null (Fabric: "returned only for
 *                      schema enabled lakehouse")
 */
public record LakehouseRef(String workspaceId, String id, String displayName, String defaultSchema) {

    /** Created with schemas: Fabric's Load Table API refuses such a lakehouse. */
    public boolean schemaEnabled() {
        return defaultSchema != null;
    }
}
