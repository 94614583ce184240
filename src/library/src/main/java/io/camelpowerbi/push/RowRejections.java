package io.camelpowerbi.push;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows a read rejected, as {@link InvalidRowPolicy} treats them: all counted; with FAIL the first
 * {@value InvalidRowsException#LISTED} kept for the error (nothing will be sent), with SKIP every one kept for the
 * exchange, up to {@code maxRejectedRows}. Shared by pushRows and loadRows, so a route gets the same rejections from
 * both.
 */
final class RowRejections {

    private final InvalidRowPolicy policy;
    private final long maxRejectedRows;
    private final List<RejectedRow> rows = new ArrayList<>();
    private long count;

    /** @param maxRejectedRows with SKIP, more than this many rejections stop the read; -1 for no limit */
    RowRejections(InvalidRowPolicy policy, long maxRejectedRows) {
        this.policy = policy;
        this.maxRejectedRows = maxRejectedRows;
    }

    /** Counts and keeps a rejected row; true when it is one more than SKIP's {@code maxRejectedRows} allows. */
    boolean add(RejectedRow row) {
        count++;
        if (policy == InvalidRowPolicy.FAIL) {
            if (rows.size() < InvalidRowsException.LISTED) {
                rows.add(row);
            }
            return false;
        }
        rows.add(row);
        return maxRejectedRows >= 0 && count > maxRejectedRows;
    }

    long count() {
        return count;
    }

    /** The rows kept: every one with SKIP, the first ones with FAIL. */
    List<RejectedRow> rows() {
        return rows;
    }

    /** With FAIL and a rejected row: the error saying nothing was sent. */
    void failIfAny(String tableName, long rowsRead) {
        if (count > 0) {
            throw new InvalidRowsException(
                    tableName, rowsRead, count, rows, "nothing was sent (invalidRowPolicy=FAIL)");
        }
    }

    /** SKIP with more than {@code maxRejectedRows} rejections: the input hardly matches the table. */
    InvalidRowsException tooMany(String tableName, long rowsRead) {
        return new InvalidRowsException(
                tableName,
                rowsRead,
                count,
                rows,
                "more than maxRejectedRows=" + maxRejectedRows
                        + " were rejected, so the push stopped (does the input match the table?)");
    }
}
