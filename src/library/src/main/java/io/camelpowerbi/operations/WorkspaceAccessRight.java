package io.camelpowerbi.operations;

/** A principal's access right on a workspace, as Power BI defines it ({@code GroupUserAccessRight}). */
public enum WorkspaceAccessRight {
    /** Administrator rights to workspace content. */
    Admin,
    /** Read, reshare and explore. */
    Member,
    /** Read and explore. */
    Contributor,
    /** Read-only. */
    Viewer
}
