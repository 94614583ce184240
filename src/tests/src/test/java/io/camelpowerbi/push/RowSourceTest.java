package io.camelpowerbi.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every body kind, format detection, bad rows as rejected rows, and streaming with bounded memory. */
class RowSourceTest {

    @TempDir
    Path dir;

    static List<RawRow> readAll(RowSource source) {
        List<RawRow> rows = new ArrayList<>();
        try (source) {
            source.forEachRemaining(rows::add);
        }
        return rows;
    }

    static List<RawRow> readAll(Object body, Format format) {
        return readAll(RowSource.open(body, format));
    }

    static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // ------------------------------------------------------------------ objects

    @Test
    void listOfMapsIsNumberedFromOneAndKnowsItsTotal() {
        RowSource source = RowSource.open(List.of(row("a", 1), row("a", 2)), Format.AUTO);
        assertEquals(OptionalLong.of(2), source.knownTotal());
        List<RawRow> rows = readAll(source);
        assertEquals(2, rows.size());
        assertEquals(1, rows.get(0).rowNumber());
        assertEquals(2, rows.get(1).rowNumber());
        assertEquals(2, rows.get(1).values().get("a"));
        assertEquals(2, source.rowsRead());
    }

    @Test
    void oneMapIsOneRow() {
        List<RawRow> rows = readAll(row("a", 1), Format.AUTO);
        assertEquals(1, rows.size());
        assertEquals(Map.of("a", 1), rows.get(0).values());
    }

    @Test
    void iteratorIterableArrayAndStreamAreRead() {
        assertEquals(
                2,
                readAll(List.of(row("a", 1), row("a", 2)).iterator(), Format.AUTO)
                        .size());
        Iterable<Map<String, Object>> iterable =
                () -> List.of(row("a", 1), row("a", 2), row("a", 3)).iterator();
        assertEquals(3, readAll(iterable, Format.AUTO).size());
        assertEquals(
                2, readAll(new Object[] {row("a", 1), row("a", 2)}, Format.AUTO).size());

        AtomicBoolean closed = new AtomicBoolean();
        Stream<Map<String, Object>> stream = Stream.of(row("a", 1), row("a", 2)).onClose(() -> closed.set(true));
        RowSource source = RowSource.open(stream, Format.AUTO);
        assertEquals(OptionalLong.empty(), source.knownTotal());
        assertEquals(2, readAll(source).size());
        assertTrue(closed.get(), "the stream is closed with the source");
    }

    @Test
    void nonStringKeysAreTurnedIntoNames() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(1, "x");
        RawRow r = readAll(List.of(m), Format.AUTO).get(0);
        assertEquals(Map.of("1", "x"), r.values());
    }

    record Order(long id, String customer) {}

    @Test
    void jsonTextsAndBeansInAListAreRowsAndOtherElementsAreRejectedWithTheirNumber() {
        List<Object> body = new ArrayList<>();
        body.add(row("id", 1));
        body.add("{\"id\":2,\"amount\":1.25}");
        body.add(42);
        body.add(null);
        body.add(new Order(5, "ACME"));
        body.add("not json");
        List<RawRow> rows = readAll(body, Format.AUTO);
        assertEquals(6, rows.size());
        assertFalse(rows.get(0).isBroken());
        assertEquals(new BigDecimal("1.25"), rows.get(1).values().get("amount"));
        assertTrue(rows.get(2).isBroken());
        assertEquals(3, rows.get(2).rowNumber());
        assertTrue(
                rows.get(2).error().contains("Integer, not a map"), rows.get(2).error());
        assertTrue(rows.get(3).error().contains("null"), rows.get(3).error());
        assertEquals(Map.of("id", 5L, "customer", "ACME"), rows.get(4).values());
        assertTrue(rows.get(5).isBroken());
        assertEquals(6, rows.get(5).rowNumber());
    }

    @Test
    void aFailingIteratorIsAnInputError() {
        Iterator<Map<String, Object>> it = new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                if (++n == 3) {
                    throw new IllegalStateException("broker gone");
                }
                return row("a", n);
            }
        };
        RowSource source = RowSource.open(it, Format.AUTO);
        source.next();
        source.next();
        RowSourceException e = assertThrows(RowSourceException.class, source::next);
        assertEquals(3, e.rowNumber());
        assertTrue(e.getMessage().contains("broker gone"));
    }

    @Test
    void unsupportedAndMissingBodiesAreClearErrors() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RowSource.open(42, Format.AUTO));
        assertTrue(
                e.getMessage().contains("java.lang.Integer") && e.getMessage().contains("List of Maps"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RowSource.open(null, Format.AUTO));
    }

    // ------------------------------------------------------------------ JSON

    @Test
    void jsonArrayKeepsNumbersExact() {
        List<RawRow> rows = readAll(
                "[{\"i\":1,\"l\":12345678901,\"big\":123456789012345678901234567,"
                        + "\"d\":1234567890.1234,\"b\":true,\"n\":null,\"s\":\"x\",\"nested\":{\"k\":[1]}}]",
                Format.JSON);
        Map<String, Object> v = rows.get(0).values();
        assertEquals(1, v.get("i"));
        assertEquals(12345678901L, v.get("l"));
        assertEquals(new java.math.BigInteger("123456789012345678901234567"), v.get("big"));
        assertEquals(new BigDecimal("1234567890.1234"), v.get("d"));
        assertEquals(true, v.get("b"));
        assertTrue(v.containsKey("n"));
        assertNull(v.get("n"));
        assertEquals(Map.of("k", List.of(1)), v.get("nested"));
    }

    @Test
    void jsonElementsThatAreNotObjectsAreRejectedRows() {
        List<RawRow> rows = readAll("[{\"a\":1}, 7, [1,2], \"x\", {\"a\":5}]", Format.AUTO);
        assertEquals(5, rows.size());
        assertTrue(
                rows.get(1).isBroken() && rows.get(1).error().contains("element 2 is a number"),
                rows.get(1).error());
        assertTrue(rows.get(2).error().contains("element 3 is an array"));
        assertTrue(rows.get(3).error().contains("element 4 is a string"));
        assertEquals(Map.of("a", 5), rows.get(4).values());
        assertEquals(5, rows.get(4).rowNumber());
    }

    @Test
    void malformedJsonStopsWithTheRowAndLine() {
        RowSource source = RowSource.open("[{\"a\":1},\n{\"a\":2},\n{\"a\" 3}]", Format.JSON);
        source.next();
        source.next();
        RowSourceException e = assertThrows(RowSourceException.class, source::hasNext);
        assertEquals(3, e.rowNumber());
        assertTrue(e.getMessage().contains("row 3") && e.getMessage().contains("line 3"), e.getMessage());
        source.close();
    }

    @Test
    void truncatedJsonArrayIsAnError() {
        RowSource source = RowSource.open("[{\"a\":1},", Format.JSON);
        source.next();
        RowSourceException e = assertThrows(RowSourceException.class, source::hasNext);
        assertTrue(e.getMessage().contains("cut short") || e.getMessage().contains("malformed"), e.getMessage());
    }

    @Test
    void textThatIsNotJsonIsAClearErrorWhenJsonWasChosen() {
        RowSourceException e = assertThrows(RowSourceException.class, () -> readAll("id,name\n1,x\n", Format.JSON));
        assertTrue(e.getMessage().contains("not JSON") && e.getMessage().contains("format"), e.getMessage());
        RowSourceException scalar = assertThrows(RowSourceException.class, () -> readAll("42", Format.JSON));
        assertTrue(scalar.getMessage().contains("not JSON"), scalar.getMessage());
    }

    @Test
    void prettyPrintedObjectsOneAfterAnotherAreJson() {
        List<RawRow> rows = readAll("{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n", Format.AUTO);
        assertEquals(2, rows.size());
        assertEquals(Map.of("a", 2), rows.get(1).values());
    }

    @Test
    void emptyInputHasNoRows() {
        assertEquals(0, readAll("", Format.AUTO).size());
        assertEquals(0, readAll("  \n", Format.AUTO).size());
        assertEquals(0, readAll("[]", Format.AUTO).size());
        assertEquals(0, readAll("", Format.CSV).size());
        assertEquals(0, readAll("", Format.NDJSON).size());
    }

    // ------------------------------------------------------------------ NDJSON

    @Test
    void ndjsonBadLinesAreRejectedRowsAndReadingGoesOn() {
        String ndjson = "{\"a\":1}\n\n{\"a\":2\n[1]\n{\"a\":4} {\"a\":5}\n{\"a\":6}\r\n";
        List<RawRow> rows = readAll(ndjson, Format.AUTO);
        assertEquals(5, rows.size(), "blank lines are not rows");
        assertFalse(rows.get(0).isBroken());
        assertTrue(rows.get(1).isBroken());
        assertEquals(2, rows.get(1).rowNumber());
        assertTrue(
                rows.get(1).error().contains("line 3 is not valid JSON"),
                rows.get(1).error());
        assertTrue(
                rows.get(2).error().contains("not a JSON object"), rows.get(2).error());
        assertTrue(
                rows.get(3).error().contains("more than one JSON value"),
                rows.get(3).error());
        assertEquals(Map.of("a", 6), rows.get(4).values());
        assertEquals(5, rows.get(4).rowNumber());
    }

    // ------------------------------------------------------------------ CSV

    @Test
    void csvWithHeaderGivesStringValues() {
        List<RawRow> rows = readAll("Id,Name,Amount\n1,\"Smith, J\",12.5\n2,\"line\nbreak\",\n", Format.CSV);
        assertEquals(2, rows.size());
        assertEquals(
                Map.of("Id", "1", "Name", "Smith, J", "Amount", "12.5"),
                rows.get(0).values());
        assertEquals("line\nbreak", rows.get(1).values().get("Name"));
        assertEquals("", rows.get(1).values().get("Amount"));
    }

    @Test
    void csvSeparatorBomAndHeaderSpacesAreHandled() {
        byte[] bom = "\uFEFFId;Name\r\n1;\"a;b\"\r\n".getBytes(StandardCharsets.UTF_8);
        List<RawRow> rows = readAll(bom, Format.AUTO);
        assertEquals(Map.of("Id", "1", "Name", "a;b"), rows.get(0).values());
        List<RawRow> tabs = readAll(" Id \t Name\n1\tx\n", Format.CSV);
        assertEquals(Map.of("Id", "1", "Name", "x"), tabs.get(0).values());
    }

    @Test
    void csvLinesWithTheWrongNumberOfValuesAreRejectedRows() {
        List<RawRow> rows = readAll("a,b,c\n1,2,3\n1,2\n1,2,3,4\n1,2,3,\n\n5,6,7\n", Format.CSV);
        assertEquals(5, rows.size(), "empty lines are skipped");
        assertFalse(rows.get(0).isBroken());
        assertTrue(
                rows.get(1).error().contains("2 values but the header names 3"),
                rows.get(1).error());
        assertEquals(2, rows.get(1).rowNumber());
        assertTrue(
                rows.get(2).error().contains("4 values but the header names 3"),
                rows.get(2).error());
        assertFalse(rows.get(3).isBroken(), "a trailing separator is not a value");
        assertEquals(Map.of("a", "5", "b", "6", "c", "7"), rows.get(4).values());
        assertEquals(5, rows.get(4).rowNumber());
    }

    @Test
    void csvHeaderProblemsAreClearErrors() {
        RowSourceException dup = assertThrows(RowSourceException.class, () -> readAll("a,A\n1,2\n", Format.CSV));
        assertTrue(dup.getMessage().contains("twice"), dup.getMessage());
        RowSourceException empty = assertThrows(RowSourceException.class, () -> readAll("a,,b\n1,2,3\n", Format.CSV));
        assertTrue(empty.getMessage().contains("column 2 of the CSV header has no name"), empty.getMessage());
    }

    @Test
    void csvWithAnUnclosedQuoteStopsWithTheRow() {
        RowSource source = RowSource.open("a,b\n1,2\n3,\"open\n4,5\n", Format.CSV);
        assertFalse(source.next().isBroken());
        RowSourceException e = assertThrows(RowSourceException.class, () -> {
            while (source.hasNext()) {
                source.next();
            }
        });
        assertEquals(2, e.rowNumber());
        assertTrue(e.getMessage().contains("unclosed quote"), e.getMessage());
        source.close();
    }

    @Test
    void charsetIsHonouredForBytes() {
        byte[] latin1 = "Name\nCaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        RowSource source = RowSource.open(latin1, Format.CSV, null, Charset.forName("windows-1252"));
        assertEquals("Caf\u00e9", readAll(source).get(0).values().get("Name"));
    }

    // ------------------------------------------------------------------ format detection

    @Test
    void autoDecidesByExtensionThenByFirstCharacter() throws Exception {
        Path csv = Files.writeString(dir.resolve("orders.csv"), "{a}\n1\n"); // the extension wins over the content
        assertEquals(
                Map.of("{a}", "1"), readAll(csv.toFile(), Format.AUTO).get(0).values());
        Path ndjson = Files.writeString(dir.resolve("orders.jsonl"), "{\"a\":1}\n{\"a\":2}\n");
        assertEquals(2, readAll(ndjson, Format.AUTO).size());
        Path json = Files.writeString(dir.resolve("orders.json"), "[{\"a\":1}]");
        assertEquals(1, readAll(json, Format.AUTO).size());
        Path noExt = Files.writeString(dir.resolve("orders.txt"), "  \n [{\"a\":1}]");
        assertEquals(1, readAll(noExt, Format.AUTO).size());

        assertInstanceOf(JsonRowSource.class, RowSource.open("\n [ ]", Format.AUTO));
        assertInstanceOf(NdjsonRowSource.class, RowSource.open("{\"a\":1}\n{\"a\":2}", Format.AUTO));
        assertInstanceOf(JsonRowSource.class, RowSource.open("{\n\"a\":1}", Format.AUTO));
        assertInstanceOf(CsvRowSource.class, RowSource.open("a,b\n1,2", Format.AUTO));
        assertInstanceOf(
                NdjsonRowSource.class,
                RowSource.open(
                        new ByteArrayInputStream("[1]".getBytes()), Format.AUTO, "x.ndjson", StandardCharsets.UTF_8));
        assertInstanceOf(CsvRowSource.class, RowSource.open(new StringReader("a\n1"), Format.AUTO));
    }

    @Test
    void aMissingFileIsAClearError() {
        RowSourceException e =
                assertThrows(RowSourceException.class, () -> RowSource.open(dir.resolve("nope.csv"), Format.AUTO));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void closingTheSourceClosesTheStream() {
        CountingInputStream in = new CountingInputStream(new ByteArrayInputStream("a\n1\n2\n".getBytes()));
        RowSource source = RowSource.open(in, Format.AUTO);
        source.next();
        source.close();
        assertTrue(in.closed);
    }

    // ------------------------------------------------------------------ streaming with bounded memory

    static final int BIG = 300_000;

    @Test
    void aBigCsvIsStreamedNotMaterialised() throws Exception {
        Path file = dir.resolve("big.csv");
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("Id,Customer,Amount,When\n");
            for (int i = 1; i <= BIG; i++) {
                w.write(i + ",customer number " + i + "," + (i % 1000) + ".25,2026-11-30T10:15:30Z\n");
            }
        }
        assertStreamed(file, Format.AUTO);
    }

    @Test
    void aBigNdjsonIsStreamedNotMaterialised() throws Exception {
        Path file = dir.resolve("big.ndjson");
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (int i = 1; i <= BIG; i++) {
                w.write("{\"Id\":" + i + ",\"Customer\":\"customer number " + i + "\",\"Amount\":" + (i % 1000)
                        + ".25}\n");
            }
        }
        assertStreamed(file, Format.AUTO);
    }

    @Test
    void aBigJsonArrayIsStreamedNotMaterialised() throws Exception {
        Path file = dir.resolve("big.json");
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("[");
            for (int i = 1; i <= BIG; i++) {
                w.write((i > 1 ? ",\n" : "") + "{\"Id\":" + i + ",\"Customer\":\"customer number " + i + "\"}");
            }
            w.write("]");
        }
        assertStreamed(file, Format.AUTO);
    }

    /** Rows come out while most of the input is still unread, and the reader stays a bounded distance ahead. */
    private static void assertStreamed(Path file, Format format) throws Exception {
        long size = Files.size(file);
        assertTrue(size > 8_000_000, "the input is big enough to matter: " + size);
        try (InputStream raw = Files.newInputStream(file)) {
            CountingInputStream in = new CountingInputStream(raw);
            long maxAhead = 0;
            long rows = 0;
            try (RowSource source = RowSource.open(in, format, null, StandardCharsets.UTF_8)) {
                while (source.hasNext()) {
                    RawRow row = source.next();
                    rows++;
                    assertFalse(row.isBroken(), row::error);
                    assertEquals(rows, row.rowNumber());
                    if (rows == 1) {
                        assertTrue(
                                in.bytesRead < 2_000_000,
                                "first row after reading " + in.bytesRead + " of " + size + " bytes");
                    }
                    if (rows % 10_000 == 0) {
                        long consumed = size * rows / BIG; // roughly where the parser stands
                        maxAhead = Math.max(maxAhead, in.bytesRead - consumed);
                    }
                }
                assertEquals(BIG, source.rowsRead());
            }
            assertEquals(BIG, rows);
            assertEquals(size, in.bytesRead);
            assertTrue(in.closed);
            assertTrue(maxAhead < 2_000_000, "the reader ran " + maxAhead + " bytes ahead of the rows it handed out");
        }
    }
}
