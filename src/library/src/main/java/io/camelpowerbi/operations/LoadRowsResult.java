package io.camelpowerbi.operations;

import io.camelpowerbi.push.RejectedRow;
import java.util.List;

/**
 * What loadRows did: rows read and checked as pushRows checks them, the valid ones written as CSV to OneLake and loaded
 * into the Lakehouse table, then, when a Direct Lake model was named, its refresh.
 *
 * @param rowsRead   rows read from the body
 * @param rowsLoaded rows written and loaded (0: nothing was written, loaded or refreshed)
 * @param rejected   the rows that did not fit (invalidRowPolicy SKIP), with row number, column and reason
 * @param file       the CSV written to OneLake (deleted once loaded), or null when there were no rows
 * @param load       the Load Table operation, or null when there were no rows
 * @param refresh    the model's refresh, or null when none was named or there were no rows
 */
public record LoadRowsResult(
        long rowsRead,
        long rowsLoaded,
        List<RejectedRow> rejected,
        OneLakeFile file,
        LoadTableResult load,
        RefreshOutcome refresh) {}
