package io.camelpowerbi.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The columnar row storage of push tables: appends across chunks, FIFO eviction, schema changes. */
class RowStoreTest {

    static final ColumnType[] TYPES = {
        ColumnType.INT64,
        ColumnType.STRING,
        ColumnType.DOUBLE,
        ColumnType.BOOLEAN,
        ColumnType.DATETIME,
        ColumnType.DECIMAL
    };

    static RowStore.Chunk batch(RowStore store, long from, int n) {
        RowStore.Chunk b = store.newBatch(n);
        for (int i = 0; i < n; i++) {
            long v = from + i;
            b.setLong(i, 0, v);
            if (v % 10 == 0) {
                b.setNull(i, 1);
            } else {
                b.setObject(i, 1, "s" + v);
            }
            b.setDouble(i, 2, v / 2.0);
            b.setLong(i, 3, v % 2);
            b.setLong(i, 4, v * 1000);
            b.setObject(i, 5, BigDecimal.valueOf(v, 2));
        }
        b.size = n;
        return b;
    }

    @Test
    void appendsAcrossChunksAndReadsBackInOrder() {
        RowStore store = new RowStore(TYPES);
        store.append(batch(store, 0, 5000));
        store.append(batch(store, 5000, 10_000));
        assertEquals(15_000, store.size());
        List<Object[]> rows = store.rows(Long.MAX_VALUE);
        assertEquals(15_000, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals((long) i, rows.get(i)[0]);
        }
        Object[] row = rows.get(4097);
        assertEquals("s4097", row[1]);
        assertEquals(2048.5, row[2]);
        assertEquals(true, row[3]);
        assertEquals("1970-01-01T01:08:17", row[4]);
        assertEquals(new BigDecimal("40.97"), row[5]);
        assertNull(rows.get(4100)[1]);
        assertEquals(3, store.rows(3).size());
    }

    @Test
    void evictsTheOldestRowsAcrossChunkBoundaries() {
        RowStore store = new RowStore(TYPES);
        store.append(batch(store, 0, 10_000));
        store.evictOldest(4095);
        assertEquals(5905, store.size());
        assertEquals(4095L, store.rows(1).get(0)[0]);
        store.evictOldest(2);
        assertEquals(4097L, store.rows(1).get(0)[0]);
        store.append(batch(store, 10_000, 100));
        store.evictOldest(5000);
        List<Object[]> rows = store.rows(Long.MAX_VALUE);
        assertEquals(5903 - 5000 + 100, rows.size());
        assertEquals(9097L, rows.get(0)[0]);
        assertEquals(10_099L, rows.get(rows.size() - 1)[0]);
        store.evictOldest(1_000_000);
        assertEquals(0, store.size());
        store.append(batch(store, 7, 1));
        assertEquals(7L, store.rows(1).get(0)[0]);
    }

    @Test
    void restructureKeepsColumnsByMapping() {
        RowStore store = new RowStore(TYPES);
        store.append(batch(store, 0, 5000));
        store.evictOldest(10);
        RowStore changed = store.restructure(
                new ColumnType[] {ColumnType.STRING, ColumnType.INT64, ColumnType.BOOLEAN}, new int[] {1, 0, -1});
        assertEquals(4990, changed.size());
        Object[] first = changed.rows(1).get(0);
        assertNull(first[0], "row 10 had a null string");
        assertEquals(10L, first[1]);
        assertNull(first[2], "new column");
        assertEquals("s11", changed.rows(2).get(1)[0]);
    }

    @Test
    void aMillionRowsStayCompactAndFast() {
        PushTable table = new PushTable(PushTable.parseSchema(Json.MAPPER.valueToTree(java.util.Map.of(
                "name",
                "T",
                "columns",
                List.of(
                        java.util.Map.of("name", "n", "dataType", "Int64"),
                        java.util.Map.of("name", "s", "dataType", "String"))))));
        StringBuilder body = new StringBuilder("{\"rows\":[");
        for (int i = 0; i < 10_000; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"n\":")
                    .append(i)
                    .append(",\"s\":\"v")
                    .append(i % 7)
                    .append("\"}");
        }
        byte[] bytes = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 100; i++) {
            try {
                table.append(table.parseRows(bytes, 10_000, 4000), 200_000);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        assertEquals(200_000, table.rowCount());
        assertEquals(0L, table.rows(1).get(0)[0]);
        assertThrows(PushTable.InvalidException.class, () -> table.parseRows(bytes, 9_999, 4000));
    }
}
