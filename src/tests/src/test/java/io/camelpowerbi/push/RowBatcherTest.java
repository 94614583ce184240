package io.camelpowerbi.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.InvalidOptionException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Batches of at most 10,000 rows, as exact {"rows":[...]} bodies, with their row ranges. */
class RowBatcherTest {

    static Iterator<ValidRow> rows(long count) {
        return LongStream.rangeClosed(1, count)
                .mapToObj(n -> new ValidRow(n, Map.of("Id", n)))
                .iterator();
    }

    @Test
    void splits25001RowsInto10000And10000And5001() throws Exception {
        RowBatcher batcher = new RowBatcher(rows(25_001), 10_000);
        List<Batch> batches = new ArrayList<>();
        batcher.forEachRemaining(batches::add);
        assertEquals(3, batches.size());
        assertEquals(
                List.of(10_000, 10_000, 5_001),
                batches.stream().map(Batch::rows).toList());
        assertEquals(1, batches.get(0).firstRow());
        assertEquals(10_000, batches.get(0).lastRow());
        assertEquals(10_001, batches.get(1).firstRow());
        assertEquals(20_000, batches.get(1).lastRow());
        assertEquals(20_001, batches.get(2).firstRow());
        assertEquals(25_001, batches.get(2).lastRow());
        assertEquals(List.of(1, 2, 3), batches.stream().map(Batch::number).toList());
        JsonNode last = new ObjectMapper().readTree(batches.get(2).body());
        assertEquals(5_001, last.path("rows").size());
        assertEquals(20_001, last.path("rows").get(0).path("Id").asLong());
        assertEquals(3, batcher.batches());
    }

    @Test
    void batchSizeAbove10000IsRefused() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> new RowBatcher(rows(1), 10_001));
        assertEquals("batchSize", e.option());
        assertTrue(e.getMessage().contains("at most 10,000 rows per request"), e.getMessage());
        assertThrows(InvalidOptionException.class, () -> new RowBatcher(rows(1), 0));
        assertThrows(
                InvalidOptionException.class,
                () -> PushRequest.builder("g", "d", RowValidatorTest.ORDERS)
                        .batchSize(20_000)
                        .build());
    }

    @Test
    void writesCoercedValuesExactly() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("Id", 9_007_199_254_740_993L); // beyond double precision: must stay exact
        v.put("Amount", new BigDecimal("1E+3"));
        v.put("Small", new BigDecimal("0.0001"));
        v.put("Score", 1.5d);
        v.put("Paid", true);
        v.put("When", "2026-11-30T10:15:30.123Z");
        v.put("Note", "quote \" and \u00e9");
        v.put("Empty", null);
        Batch batch = new RowBatcher(List.of(new ValidRow(1, v)).iterator(), 10).next();
        assertEquals(
                "{\"rows\":[{\"Id\":9007199254740993,\"Amount\":1000,\"Small\":0.0001,\"Score\":1.5,\"Paid\":true,"
                        + "\"When\":\"2026-11-30T10:15:30.123Z\",\"Note\":\"quote \\\" and \u00e9\",\"Empty\":null}]}",
                new String(batch.body(), StandardCharsets.UTF_8));
        assertFalse(batch.toString().contains("Id"), "toString shows no rows");
    }

    /** Decimals of up to 18 digits and 4 places are written from their digits: exactly their plain text. */
    @Test
    void decimalsAreWrittenAsTheirPlainDigits() throws Exception {
        java.util.Random random = new java.util.Random(11);
        List<BigDecimal> values = new ArrayList<>(List.of(
                BigDecimal.ZERO,
                new BigDecimal("-0.5"),
                new BigDecimal("0.0001"),
                new BigDecimal("-999999999999999.9999"),
                new BigDecimal("100.10"),
                new BigDecimal("12345678901234567890.5"), // 21 digits: Jackson writes it
                new BigDecimal("1.23456"), // 5 places: Jackson writes it
                new BigDecimal("1E+3"))); // a negative scale: Jackson writes it
        for (int i = 0; i < 5_000; i++) {
            values.add(BigDecimal.valueOf(random.nextLong() % 1_000_000_000_000_000L, random.nextInt(5)));
        }
        List<ValidRow> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            rows.add(new ValidRow(i + 1, Map.of("Amount", values.get(i))));
        }
        Batch batch = new RowBatcher(rows.iterator(), 10_000).next();
        String body = new String(batch.body(), StandardCharsets.UTF_8);
        String[] written =
                body.substring("{\"rows\":[".length(), body.length() - 2).split(",");
        assertEquals(values.size(), written.length);
        for (int i = 0; i < values.size(); i++) {
            assertEquals("{\"Amount\":" + values.get(i).toPlainString() + "}", written[i], "value " + values.get(i));
        }
    }

    @Test
    void veryWideRowsCloseABatchEarlySoMemoryStaysBounded() {
        String text = "x".repeat(4_000);
        Iterator<ValidRow> wide = LongStream.rangeClosed(1, 100)
                .mapToObj(n -> new ValidRow(n, Map.of("Note", text)))
                .iterator();
        RowBatcher batcher = new RowBatcher(wide, 10_000, 100_000);
        List<Batch> batches = new ArrayList<>();
        batcher.forEachRemaining(batches::add);
        assertEquals(100, batches.stream().mapToInt(Batch::rows).sum());
        assertTrue(batches.size() >= 4, "cut by size: " + batches.size());
        assertTrue(batches.stream().allMatch(b -> b.body().length < 100_000 + 4_100), "no batch far above the cap");
        assertEquals(batches.get(0).lastRow() + 1, batches.get(1).firstRow(), "row ranges stay contiguous");

        Batch single =
                new RowBatcher(List.of(new ValidRow(1, Map.of("Note", text))).iterator(), 10, 10).next();
        assertEquals(1, single.rows(), "a row bigger than the cap still goes, alone");
    }

    @Test
    void noRowsNoBatches() {
        assertFalse(new RowBatcher(rows(0), 10).hasNext());
    }
}
