package io.camelpowerbi.push;

/**
 * One POST rows request body, {@code {"rows":[...]}}, ready to send (and to send again on a retry: the bytes do not
 * change).
 *
 * @param number   1-based position among the push's batches
 * @param firstRow input row number of the first row in it
 * @param lastRow  input row number of the last row in it
 * @param rows     how many rows it holds
 * @param body     the JSON body
 */
public record Batch(int number, long firstRow, long lastRow, int rows, byte[] body) {

    @Override
    public String toString() {
        return "batch " + number + " (rows " + firstRow + "-" + lastRow + ", " + rows + " rows, " + body.length
                + " bytes)";
    }
}
