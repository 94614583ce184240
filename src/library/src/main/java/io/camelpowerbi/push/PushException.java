package io.camelpowerbi.push;

import io.camelpowerbi.CamelPowerBiException;
import io.camelpowerbi.client.PowerBiException;
import java.util.Locale;

/**
 * A push stopped before every row was accepted. It says how many rows Power BI accepted before (those stay in Power BI:
 * at-least-once delivery, nothing is rolled back) and which rows the failed batch held, so a route can dead-letter the
 * message and resend from {@link #failedFirstRow()}. The cause is kept: a {@link PowerBiException} carries Power BI's
 * code, RequestId and hint.
 */
public class PushException extends CamelPowerBiException {

    private final String datasetId;
    private final String tableName;
    private final long rowsAccepted;
    private final int batchesAccepted;
    private final long failedFirstRow;
    private final long failedLastRow;
    private final long rowNumber;
    private final String column;

    /**
     * @param failedFirstRow first input row not confirmed (first row of the failed batch)
     * @param failedLastRow  last row of the failed batch, or -1 when the failure was not a batch (reading the input)
     */
    public PushException(
            String message,
            String datasetId,
            String tableName,
            long rowsAccepted,
            int batchesAccepted,
            long failedFirstRow,
            long failedLastRow,
            Throwable cause) {
        this(
                message,
                datasetId,
                tableName,
                rowsAccepted,
                batchesAccepted,
                failedFirstRow,
                failedLastRow,
                0,
                null,
                cause);
    }

    /**
     * @param rowNumber the input row the failure is about (one that could not be read), or 0
     * @param column    the column the failure is about, or null
     */
    public PushException(
            String message,
            String datasetId,
            String tableName,
            long rowsAccepted,
            int batchesAccepted,
            long failedFirstRow,
            long failedLastRow,
            long rowNumber,
            String column,
            Throwable cause) {
        super(message, cause);
        this.datasetId = datasetId;
        this.tableName = tableName;
        this.rowsAccepted = rowsAccepted;
        this.batchesAccepted = batchesAccepted;
        this.failedFirstRow = failedFirstRow;
        this.failedLastRow = failedLastRow;
        this.rowNumber = rowNumber;
        this.column = column;
    }

    /** Power BI refused (or never answered) batch {@code batch}. */
    static PushException batchFailed(
            PushRequest request,
            long rowsAccepted,
            int batchesAccepted,
            long lastAcceptedRow,
            Batch batch,
            Throwable cause) {
        return batchFailed(request, rowsAccepted, batchesAccepted, lastAcceptedRow, batch, "", cause);
    }

    /** @param advice what to do, after what was sent; may be empty */
    static PushException batchFailed(
            PushRequest request,
            long rowsAccepted,
            int batchesAccepted,
            long lastAcceptedRow,
            Batch batch,
            String advice,
            Throwable cause) {
        boolean unanswered = !(cause instanceof PowerBiException pbe) || pbe.httpStatus() == 0;
        String message = "Pushing rows to table '" + request.tableName() + "' of dataset " + request.datasetId()
                + " failed at batch " + batch.number() + " (rows " + n(batch.firstRow()) + " to " + n(batch.lastRow())
                + "). "
                + accepted(rowsAccepted, batchesAccepted, lastAcceptedRow)
                + " Rows from " + n(batch.firstRow()) + " on were not confirmed: resend them"
                + (unanswered
                        ? " (the failed batch may have reached Power BI without an answer, so resending can "
                                + "duplicate its rows)"
                        : "")
                + "." + (advice.isEmpty() ? "" : " " + advice) + "\nCause: " + cause.getMessage();
        return new PushException(
                message,
                request.datasetId(),
                request.tableName(),
                rowsAccepted,
                batchesAccepted,
                batch.firstRow(),
                batch.lastRow(),
                cause);
    }

    /** The input could not be read on (or the push was stopped) before the next batch was complete. */
    static PushException stopped(
            PushRequest request,
            long rowsAccepted,
            int batchesAccepted,
            long lastAcceptedRow,
            String what,
            Throwable cause) {
        return stopped(request, rowsAccepted, batchesAccepted, lastAcceptedRow, 0, null, what, "", cause);
    }

    /**
     * @param rowNumber the row the failure is about, or 0
     * @param column    the column it is about, or null
     * @param advice    what to do, after what was sent; may be empty
     */
    static PushException stopped(
            PushRequest request,
            long rowsAccepted,
            int batchesAccepted,
            long lastAcceptedRow,
            long rowNumber,
            String column,
            String what,
            String advice,
            Throwable cause) {
        long from = lastAcceptedRow + 1; // rows read after it but not yet sent are not confirmed either
        String message = "Pushing rows to table '" + request.tableName() + "' of dataset " + request.datasetId()
                + " stopped: " + what + ". " + accepted(rowsAccepted, batchesAccepted, lastAcceptedRow)
                + (rowsAccepted == 0
                        ? " Nothing was sent."
                        : " Rows after row " + n(lastAcceptedRow) + " were not sent: " + "resend from row " + n(from)
                                + ".")
                + (advice.isEmpty() ? "" : " " + advice)
                + (cause != null && cause.getMessage() != null && !what.contains(cause.getMessage())
                        ? "\nCause: " + cause.getMessage()
                        : "");
        return new PushException(
                message,
                request.datasetId(),
                request.tableName(),
                rowsAccepted,
                batchesAccepted,
                from,
                -1,
                rowNumber,
                column,
                cause);
    }

    /**
     * A row stream's batch holding {@code rows} rows of one message failed for good (see {@link RowStream}); the other
     * messages whose rows shared that batch fail with it.
     */
    static PushException streamBatchFailed(
            String datasetId, String tableName, int rows, int batchRows, Throwable cause) {
        boolean unanswered = !(cause instanceof PowerBiException pbe) || pbe.httpStatus() == 0;
        String message = "Pushing rows to table '" + tableName + "' of dataset " + datasetId + " failed: the batch of "
                + n(batchRows) + " rows holding "
                + (rows == 1 ? "this message's row" : "this message's " + n(rows) + " rows")
                + " was not accepted. Send the message again"
                + (unanswered
                        ? " (the batch may have reached Power BI without an answer, so resending can duplicate its"
                                + " rows)"
                        : "")
                + "." + "\nCause: " + cause.getMessage();
        return new PushException(message, datasetId, tableName, 0, 0, 1, rows, cause);
    }

    /** A row stream stopped (its route or the component did) before Power BI accepted these rows. */
    static PushException streamStopped(String datasetId, String tableName, int rows) {
        return new PushException(
                "Pushing rows to table '" + tableName + "' of dataset " + datasetId + " stopped: the"
                        + " route or component stopped before Power BI accepted "
                        + (rows == 1 ? "this message's row" : "this" + " message's " + n(rows) + " rows")
                        + "; they were not sent. Send the message again.",
                datasetId,
                tableName,
                0,
                0,
                1,
                -1,
                null);
    }

    private static String accepted(long rows, int batches, long lastRow) {
        if (rows == 0) {
            return "No rows had been accepted before it.";
        }
        return n(rows) + " rows in " + batches + (batches == 1 ? " batch" : " batches") + " (input rows up to "
                + n(lastRow) + ") had been accepted by Power BI before it and stay there.";
    }

    static String n(long number) {
        return String.format(Locale.ROOT, "%,d", number);
    }

    public String datasetId() {
        return datasetId;
    }

    public String tableName() {
        return tableName;
    }

    /** Rows Power BI accepted before the failure. */
    public long rowsAccepted() {
        return rowsAccepted;
    }

    public int batchesAccepted() {
        return batchesAccepted;
    }

    /** The first input row (1-based) not confirmed: resend from here. */
    public long failedFirstRow() {
        return failedFirstRow;
    }

    /** The last row of the failed batch, or -1 when the failure was not a batch. */
    public long failedLastRow() {
        return failedLastRow;
    }

    /** The input row the failure is about (one that could not be read), or 0 when it is about a batch or the file. */
    public long rowNumber() {
        return rowNumber;
    }

    /** The column the failure is about, or null. */
    public String column() {
        return column;
    }
}
