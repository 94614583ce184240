package io.camelpowerbi.operations;

/** How Fabric's Load Table writes a file into a table (its {@code mode}). */
public enum LoadMode {
    /** The file's rows are added to the table (created when missing). */
    Append,
    /** The table is replaced by the file's rows. */
    Overwrite
}
