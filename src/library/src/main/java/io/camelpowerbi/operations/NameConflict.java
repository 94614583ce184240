package io.camelpowerbi.operations;

/** What an import does when the workspace already has a dataset (or report) of that name. */
public enum NameConflict {
    /** Power BI's default: import anyway, creating a second dataset with the same name. */
    Ignore,
    /** Cancel the import. */
    Abort,
    /** Replace the existing one; fails when there is none (or more than one). */
    Overwrite,
    /** Replace the existing one, or create it when there is none. */
    CreateOrOverwrite,
    /** Import under a new, unique name. */
    GenerateUniqueName
}
