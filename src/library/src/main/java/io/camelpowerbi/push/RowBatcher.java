package io.camelpowerbi.push;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.camelpowerbi.InvalidOptionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Groups valid rows into POST rows bodies of at most {@code batchSize} rows (and about {@code maxBatchBytes}), written
 * straight to bytes by a Jackson generator: no tree of the batch is built, and only the batch being filled is in memory.
 */
public final class RowBatcher implements Iterator<Batch> {

    /** Power BI's limit: at most 10,000 rows per POST rows request. */
    public static final int MAX_BATCH_SIZE = 10_000;

    public static final int DEFAULT_BATCH_SIZE = MAX_BATCH_SIZE;
    /**
     * A batch is closed early once its body reaches this size. Power BI documents no body limit, but 10,000 rows of
     * 75 columns of 4,000-character strings would be gigabytes: this keeps the memory of a push bounded whatever the
     * rows look like, at the cost of more requests for very wide rows only.
     */
    public static final long DEFAULT_MAX_BATCH_BYTES = 16L << 20;

    static final SerializedString ROWS = new SerializedString("rows");

    private final Iterator<ValidRow> rows;
    private final int batchSize;
    private final long maxBatchBytes;
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1 << 16);
    private final RowWriter writer = new RowWriter();
    private int batches;

    /** @throws InvalidOptionException when {@code batchSize} is not within 1..10,000 */
    public RowBatcher(Iterator<ValidRow> rows, int batchSize) {
        this(rows, batchSize, DEFAULT_MAX_BATCH_BYTES);
    }

    /** @param maxBatchBytes a batch is closed once its body reaches this many bytes (it holds at least one row) */
    public RowBatcher(Iterator<ValidRow> rows, int batchSize, long maxBatchBytes) {
        this.rows = rows;
        this.batchSize = checkBatchSize(batchSize);
        this.maxBatchBytes = maxBatchBytes;
    }

    public static int checkBatchSize(int batchSize) {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new InvalidOptionException(
                    "batchSize",
                    batchSize + " is not allowed: Power BI accepts at most 10,000" + " rows per request",
                    "use 1 to 10000");
        }
        return batchSize;
    }

    @Override
    public boolean hasNext() {
        return rows.hasNext();
    }

    @Override
    public Batch next() {
        if (!rows.hasNext()) {
            throw new NoSuchElementException();
        }
        buffer.reset();
        long first = -1;
        long last = -1;
        int count = 0;
        try (JsonGenerator g = RowWriter.generator(buffer)) {
            g.writeStartObject();
            g.writeFieldName(ROWS);
            g.writeStartArray();
            while (count < batchSize && buffer.size() + g.getOutputBuffered() < maxBatchBytes && rows.hasNext()) {
                ValidRow row = rows.next();
                if (first < 0) {
                    first = row.rowNumber();
                }
                last = row.rowNumber();
                count++;
                writer.write(g, row);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a rows batch", e); // writing to memory: not expected
        }
        return new Batch(++batches, first, last, count, buffer.toByteArray());
    }

    /** Batches produced so far. */
    public int batches() {
        return batches;
    }
}
