package io.camelpowerbi.push;

/**
 * Told what became of rows offered to a {@link RowStream}: once they are buffered, then exactly once whether Power BI
 * accepted every one of them or why it did not. A message's own completion is one implementation; a Kafka record's
 * offset commit another. Implementations are called from the stream's threads: they must be quick and must not block.
 */
public interface RowAck {

    /**
     * The rows they came from, when several offers share one (a Kafka partition): {@link RowStream#drop(Object)} drops
     * the unsent rows of a source at once. Null: rows of this ack are never dropped.
     */
    default Object source() {
        return null;
    }

    /**
     * {@code rows} rows were buffered in {@code stream}, on the offering thread, before it returns; {@link #accepted}
     * or {@link #failed} follows once, unless the source is dropped first.
     */
    default void buffered(RowStream stream, int rows) {}

    /** Power BI accepted every one of the {@code rows} rows, in one batch or more. */
    void accepted(int rows);

    /** A batch holding some of the {@code rows} rows failed for good; rows of it in other batches may have gone in. */
    void failed(int rows, RuntimeException reason);
}
