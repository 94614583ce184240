package io.camelpowerbi.operations;

/**
 * The {@code type} of an enhanced refresh (Power BI's {@code DatasetRefreshType}); Power BI's default is
 * {@link #Automatic}.
 */
public enum RefreshType {
    /** Refresh and recalculate every partition and table. */
    Full,
    /** Clear the values of the objects and their dependents. */
    ClearValues,
    /** Recalculate only, nothing is read from the sources. */
    Calculate,
    /** Read the data into the partitions, without recalculating. */
    DataOnly,
    /** Refresh and recalculate what needs it (Power BI's default). */
    Automatic,
    /** Defragment the data of the tables; the sources are not read. */
    Defragment
}
