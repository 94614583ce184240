package io.camelpowerbi.sandbox;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The rows of one push table, compact enough for millions: columnar chunks of {@value #CHUNK_ROWS} rows, each column a
 * {@code long[]} (Int64, DateTime, Boolean), {@code double[]} (Double) or {@code Object[]} (Decimal, String) with a
 * null bitmap for the primitive ones. Appending copies only the new batch; FIFO eviction drops whole chunks from the
 * front and moves an offset into the first one, so nothing is ever copied per table. Thread-safe.
 */
final class RowStore {

    static final int CHUNK_ROWS = 4096;

    /** Rows in the columnar layout of a store; also the unit of a parsed POST rows batch. */
    static final class Chunk {
        final ColumnType[] types;
        final Object[] columns;
        final BitSet[] nulls;
        int size;

        Chunk(ColumnType[] types, int capacity) {
            this.types = types;
            this.columns = new Object[types.length];
            this.nulls = new BitSet[types.length];
            for (int c = 0; c < types.length; c++) {
                columns[c] = switch (types[c]) {
                    case INT64, DATETIME, BOOLEAN -> new long[capacity];
                    case DOUBLE -> new double[capacity];
                    case DECIMAL, STRING -> new Object[capacity];
                };
                if (types[c] != ColumnType.DECIMAL && types[c] != ColumnType.STRING) {
                    nulls[c] = new BitSet();
                }
            }
        }

        void setLong(int row, int column, long value) {
            ((long[]) columns[column])[row] = value;
        }

        void setDouble(int row, int column, double value) {
            ((double[]) columns[column])[row] = value;
        }

        void setObject(int row, int column, Object value) {
            ((Object[]) columns[column])[row] = value;
        }

        void setNull(int row, int column) {
            if (nulls[column] != null) {
                nulls[column].set(row);
            } else {
                ((Object[]) columns[column])[row] = null;
            }
        }

        /** The value as executeQueries writes it: Long, Double, BigDecimal, Boolean, String or null. */
        Object value(int row, int column) {
            if (nulls[column] != null && nulls[column].get(row)) {
                return null;
            }
            return switch (types[column]) {
                case INT64 -> ((long[]) columns[column])[row];
                case DATETIME -> ColumnType.formatDateTime(((long[]) columns[column])[row]);
                case BOOLEAN -> ((long[]) columns[column])[row] != 0;
                case DOUBLE -> ((double[]) columns[column])[row];
                case DECIMAL, STRING -> ((Object[]) columns[column])[row];
            };
        }

        /** Copies {@code count} rows from {@code src} (same layout) at {@code from} to this chunk at {@code to}. */
        void copyFrom(Chunk src, int from, int to, int count) {
            for (int c = 0; c < columns.length; c++) {
                System.arraycopy(src.columns[c], from, columns[c], to, count);
                if (nulls[c] != null) {
                    BitSet s = src.nulls[c];
                    for (int i = s.nextSetBit(from); i >= 0 && i < from + count; i = s.nextSetBit(i + 1)) {
                        nulls[c].set(to + i - from);
                    }
                }
            }
        }
    }

    private final ColumnType[] types;
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private int head;
    private long size;

    RowStore(ColumnType[] types) {
        this.types = types.clone();
    }

    ColumnType[] types() {
        return types.clone();
    }

    /** A batch with room for {@code rows} rows, to fill and then {@link #append}. */
    Chunk newBatch(int rows) {
        return new Chunk(types, rows);
    }

    synchronized long size() {
        return size;
    }

    /** Appends the first {@code batch.size} rows of the batch. */
    synchronized void append(Chunk batch) {
        int done = 0;
        while (done < batch.size) {
            Chunk last = chunks.peekLast();
            if (last == null || last.size == CHUNK_ROWS) {
                last = new Chunk(types, CHUNK_ROWS);
                chunks.addLast(last);
            }
            int n = Math.min(CHUNK_ROWS - last.size, batch.size - done);
            last.copyFrom(batch, done, last.size, n);
            last.size += n;
            done += n;
        }
        size += batch.size;
    }

    /** Drops the {@code n} oldest rows. */
    synchronized void evictOldest(long n) {
        long left = Math.min(n, size);
        size -= left;
        while (left > 0) {
            Chunk first = chunks.peekFirst();
            int available = first.size - head;
            if (left >= available) {
                chunks.pollFirst();
                head = 0;
                left -= available;
            } else {
                head += (int) left;
                left = 0;
            }
        }
        if (size == 0) {
            chunks.clear();
            head = 0;
        }
    }

    synchronized void clear() {
        chunks.clear();
        head = 0;
        size = 0;
    }

    /** Up to {@code limit} rows, oldest first, each an array of values as {@link Chunk#value} gives them. */
    synchronized List<Object[]> rows(long limit) {
        List<Object[]> result = new ArrayList<>((int) Math.min(Math.max(limit, 0), Math.min(size, 1 << 20)));
        boolean first = true;
        for (Chunk chunk : chunks) {
            for (int r = first ? head : 0; r < chunk.size && result.size() < limit; r++) {
                Object[] row = new Object[types.length];
                for (int c = 0; c < types.length; c++) {
                    row[c] = chunk.value(r, c);
                }
                result.add(row);
            }
            first = false;
            if (result.size() >= limit) {
                break;
            }
        }
        return result;
    }

    /**
     * A new store for a changed schema: column {@code i} of the new layout takes the values of old column
     * {@code mapping[i]} when that is not -1 (same type), else nulls. Used when PUT table replaces a schema.
     */
    synchronized RowStore restructure(ColumnType[] newTypes, int[] mapping) {
        RowStore copy = new RowStore(newTypes);
        boolean first = true;
        for (Chunk chunk : chunks) {
            int from = first ? head : 0;
            int n = chunk.size - from;
            first = false;
            Chunk batch = copy.newBatch(n);
            for (int c = 0; c < newTypes.length; c++) {
                int old = mapping[c];
                if (old < 0) {
                    for (int r = 0; r < n; r++) {
                        batch.setNull(r, c);
                    }
                    continue;
                }
                System.arraycopy(chunk.columns[old], from, batch.columns[c], 0, n);
                if (chunk.nulls[old] != null) {
                    BitSet s = chunk.nulls[old];
                    for (int i = s.nextSetBit(from); i >= 0 && i < chunk.size; i = s.nextSetBit(i + 1)) {
                        batch.nulls[c].set(i - from);
                    }
                }
            }
            batch.size = n;
            copy.append(batch);
        }
        return copy;
    }

    /** Sum of a numeric column over all rows (for tests and the state view); nulls skipped. */
    synchronized BigDecimal sum(int column) {
        BigDecimal total = BigDecimal.ZERO;
        boolean first = true;
        for (Chunk chunk : chunks) {
            for (int r = first ? head : 0; r < chunk.size; r++) {
                Object v = chunk.value(r, column);
                if (v instanceof Number n) {
                    total = total.add(n instanceof BigDecimal b ? b : new BigDecimal(n.toString()));
                }
            }
            first = false;
        }
        return total;
    }
}
