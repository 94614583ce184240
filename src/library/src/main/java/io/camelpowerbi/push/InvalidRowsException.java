package io.camelpowerbi.push;

import io.camelpowerbi.CamelPowerBiException;
import java.util.List;

/**
 * Rows do not fit the table and the policy is {@link InvalidRowPolicy#FAIL}: nothing was sent. Lists the first
 * rejections (row, column, reason; never the row's values) and how many there were in all.
 */
public class InvalidRowsException extends CamelPowerBiException {

    /** How many rejections the message and {@link #rejected()} list. */
    public static final int LISTED = 20;

    private final String tableName;
    private final long rowsRead;
    private final long rejectedCount;
    private final List<RejectedRow> rejected;

    public InvalidRowsException(
            String tableName, long rowsRead, long rejectedCount, List<RejectedRow> firstRejected, String consequence) {
        super(message(tableName, rowsRead, rejectedCount, firstRejected, consequence));
        this.tableName = tableName;
        this.rowsRead = rowsRead;
        this.rejectedCount = rejectedCount;
        this.rejected = List.copyOf(firstRejected.subList(0, Math.min(LISTED, firstRejected.size())));
    }

    private static String message(String table, long read, long count, List<RejectedRow> first, String consequence) {
        StringBuilder sb = new StringBuilder()
                .append(PushException.n(count))
                .append(" of ")
                .append(PushException.n(read))
                .append(count == 1 ? " row does" : " rows do")
                .append(" not fit table '")
                .append(table)
                .append("'; ")
                .append(consequence)
                .append(':');
        int listed = Math.min(LISTED, first.size());
        for (int i = 0; i < listed; i++) {
            sb.append("\n  ").append(first.get(i));
        }
        if (count > listed) {
            sb.append("\n  ... and ").append(PushException.n(count - listed)).append(" more");
        }
        return sb.append("\nFix the input, or set invalidRowPolicy=SKIP to send the rows that fit and receive the "
                        + "rejected ones")
                .toString();
    }

    public String tableName() {
        return tableName;
    }

    public long rowsRead() {
        return rowsRead;
    }

    public long rejectedCount() {
        return rejectedCount;
    }

    /** The first {@value #LISTED} rejected rows, in input order. */
    public List<RejectedRow> rejected() {
        return rejected;
    }
}
