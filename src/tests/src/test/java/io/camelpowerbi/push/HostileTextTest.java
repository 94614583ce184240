package io.camelpowerbi.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Text no reader may hold whole or read loosely: rows over {@link RowSource#MAX_ROW_CHARS} or
 * {@link RowSource#MAX_FIELDS}, single values over the row limit, and bytes that are not text in the charset. Every one
 * ends as a rejected row or a stop naming the row (and the byte offset); what memory and time they take is checked in
 * a heap-limited JVM by {@code HostileInputProcessesTest}.
 */
class HostileTextTest {

    static final int OVER = RowSource.MAX_ROW_CHARS + 10;

    static List<RawRow> readAll(Object body, Format format) {
        List<RawRow> rows = new ArrayList<>();
        try (RowSource source = RowSource.open(body, format)) {
            source.forEachRemaining(rows::add);
        }
        return rows;
    }

    static RowSourceException stops(Object body, Format format, Charset charset) {
        return assertThrows(RowSourceException.class, () -> {
            try (RowSource source = RowSource.open(body, format, null, charset)) {
                source.forEachRemaining(row -> {});
            }
        });
    }

    // ------------------------------------------------------------------ rows over the limits

    @Test
    void anNdjsonLineOverTheLimitIsARejectedRowAndTheNextLinesAreRead() {
        String ndjson = "{\"a\":1}\n{\"a\":\"" + "x".repeat(OVER) + "\"}\n{\"a\":3}\n";
        List<RawRow> rows = readAll(ndjson, Format.NDJSON);
        assertEquals(3, rows.size());
        assertTrue(rows.get(1).isBroken());
        assertEquals(2, rows.get(1).rowNumber());
        assertTrue(
                rows.get(1).error().contains("line 2 is " + String.format("%,d", OVER + 8) + " characters long")
                        && rows.get(1).error().contains("more than the 1,048,576"),
                rows.get(1).error());
        assertEquals(Map.of("a", 3), rows.get(2).values());
    }

    @Test
    void anNdjsonObjectWithTooManyFieldsIsARejectedRow() {
        StringBuilder wide = new StringBuilder("{");
        for (int i = 0; i <= RowSource.MAX_FIELDS; i++) {
            wide.append(i == 0 ? "" : ",").append("\"c").append(i).append("\":1");
        }
        List<RawRow> rows = readAll(wide + "}\n{\"a\":2}\n", Format.NDJSON);
        assertTrue(
                rows.get(0).error().contains("larger than a row may be")
                        && rows.get(0).error().contains("16,384"),
                rows.get(0).error());
        assertEquals(Map.of("a", 2), rows.get(1).values());
    }

    @Test
    void aJsonRowOverTheLimitIsSkippedToItsEndAndTheNextRowsAreRead() {
        String half = "y".repeat(RowSource.MAX_ROW_CHARS / 2);
        String json = "[{\"a\":1},{\"a\":\"" + half + "\",\"b\":\"" + half + "\",\"c\":[1,{\"d\":\"" + half
                + "\"}]},{\"a\":3}]";
        List<RawRow> rows = readAll(json, Format.JSON);
        assertEquals(3, rows.size());
        assertTrue(
                rows.get(1).error().contains("row 2 is not read")
                        && rows.get(1).error().contains("1,048,576"),
                rows.get(1).error());
        assertEquals(Map.of("a", 3), rows.get(2).values());
    }

    @Test
    void aJsonRowWithAHugeNestedArrayIsARejectedRow() {
        StringBuilder json = new StringBuilder("[{\"a\":[");
        for (int i = 0; i <= RowSource.MAX_FIELDS; i++) {
            json.append(i == 0 ? "" : ",").append(i);
        }
        List<RawRow> rows = readAll(json + "]},{\"a\":2}]", Format.JSON);
        assertTrue(rows.get(0).isBroken(), rows.get(0).toString());
        assertEquals(Map.of("a", 2), rows.get(1).values());
    }

    @Test
    void aJsonValueOverTheLimitStopsNamingTheRow() {
        String json = "[{\"a\":1},{\"a\":2},{\"a\":\"" + "z".repeat(OVER) + "\"},{\"a\":4}]";
        RowSourceException e = stops(json, Format.JSON, StandardCharsets.UTF_8);
        assertEquals(3, e.rowNumber());
        assertTrue(
                e.getMessage().contains("row 3") && e.getMessage().contains("more than 1,048,576 characters"),
                e.getMessage());
    }

    @Test
    void aCsvRecordOverTheLimitIsARejectedRowAndTheNextRecordsAreRead() {
        String cell = "w".repeat(2_000);
        StringBuilder csv = new StringBuilder("a,b\n1,2\n");
        for (int i = 0; i < 600; i++) { // 1.2 million characters in 600 values
            csv.append(i == 0 ? "" : ",").append(cell);
        }
        csv.append("\n3,4\n");
        List<RawRow> rows = readAll(csv.toString(), Format.CSV);
        assertEquals(3, rows.size());
        assertTrue(
                rows.get(1).error().contains("more than 1,048,576 characters"),
                rows.get(1).error());
        assertEquals(Map.of("a", "3", "b", "4"), rows.get(2).values());
    }

    @Test
    void aCsvRecordWithTooManyValuesIsARejectedRow() {
        String csv = "a,b\n" + ",".repeat(RowSource.MAX_FIELDS + 5) + "\n3,4\n";
        List<RawRow> rows = readAll(csv, Format.CSV);
        assertTrue(
                rows.get(0).error().contains("16,390 values, more than the 16,384"),
                rows.get(0).error());
        assertEquals(Map.of("a", "3", "b", "4"), rows.get(1).values());
    }

    @Test
    void aCsvValueOverTheLimitStopsNamingTheRow() {
        String csv = "a,b\n1,2\n3,\"" + "q".repeat(OVER) + "\"\n5,6\n";
        RowSourceException e = stops(csv, Format.CSV, StandardCharsets.UTF_8);
        assertEquals(2, e.rowNumber());
        assertTrue(
                e.getMessage().contains("row 2") && e.getMessage().contains("more than 1,048,576 characters"),
                e.getMessage());
    }

    @Test
    void aCsvHeaderOverTheLimitIsAClearError() {
        RowSourceException e = stops(",".repeat(RowSource.MAX_FIELDS + 1) + "\n", Format.CSV, StandardCharsets.UTF_8);
        assertTrue(e.getMessage().contains("header row has 16,386 values"), e.getMessage());
    }

    // ------------------------------------------------------------------ bytes that are not text

    static byte[] bytes(String before, byte[] bad, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bad);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static final byte[] CAF_BROKEN = {'C', 'a', 'f', (byte) 0xc3, 0x28, (byte) 0xff, (byte) 0xfe};

    @Test
    void invalidUtf8InCsvStopsWithTheRowAndTheByteOffsetAndIsNeverReplaced() {
        String head = "Id,Name\n1,ok\n2,fine\n3,";
        RowSourceException e = stops(bytes(head, CAF_BROKEN, "\n4,after\n"), Format.CSV, StandardCharsets.UTF_8);
        assertEquals(3, e.rowNumber(), e.getMessage());
        int offset = head.length() + 3;
        assertTrue(
                e.getMessage().contains("row 3")
                        && e.getMessage().contains("byte C3 at byte offset " + offset)
                        && e.getMessage().contains("not valid UTF-8")
                        && e.getMessage().contains("set the charset option"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\uFFFD"));
    }

    @Test
    void invalidUtf8InNdjsonAndJsonStopsWithTheRowAndTheByteOffset() {
        String head = "{\"a\":\"1\"}\n{\"a\":\"";
        RowSourceException nd = stops(bytes(head, CAF_BROKEN, "\"}\n"), Format.NDJSON, StandardCharsets.UTF_8);
        assertEquals(2, nd.rowNumber(), nd.getMessage());
        assertTrue(nd.getMessage().contains("at byte offset " + (head.length() + 3)), nd.getMessage());

        String array = "[{\"a\":\"1\"},{\"a\":\"";
        RowSourceException json = stops(bytes(array, CAF_BROKEN, "\"}]"), Format.JSON, StandardCharsets.UTF_8);
        assertEquals(2, json.rowNumber(), json.getMessage());
        assertTrue(json.getMessage().contains("at byte offset " + (array.length() + 3)), json.getMessage());
    }

    @Test
    void aCharacterCutShortAtTheEndIsRefusedToo() {
        RowSourceException e =
                stops(bytes("Name\nCaf", new byte[] {(byte) 0xc3}, ""), Format.CSV, StandardCharsets.UTF_8);
        assertTrue(
                e.getMessage().contains("byte C3 at byte offset 8")
                        && e.getMessage().contains("ends inside"),
                e.getMessage());
    }

    @Test
    void theRightCharsetReadsTheSameBytes() {
        byte[] cp1252 = bytes("Name\n", new byte[] {'C', 'a', 'f', (byte) 0xe9, (byte) 0x80}, "\n");
        try (RowSource source = RowSource.open(cp1252, Format.CSV, null, Charset.forName("windows-1252"))) {
            assertEquals("Caf\u00e9\u20ac", source.next().values().get("Name"));
        }
        RowSourceException utf8 = stops(cp1252, Format.CSV, StandardCharsets.UTF_8);
        assertTrue(
                utf8.getMessage().contains("bytes E9 80 at byte offset 8")
                        || utf8.getMessage().contains("byte E9 at byte offset 8"),
                utf8.getMessage());
    }

    @Test
    void supplementaryCharactersSurviveOneCharacterReads() throws Exception {
        String text = "a\uD83D\uDE00b";
        try (StrictDecodingReader reader = new StrictDecodingReader(
                new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)) {
            StringBuilder read = new StringBuilder();
            for (int c = reader.read(); c >= 0; c = reader.read()) {
                read.append((char) c);
            }
            assertEquals(text, read.toString());
        }
    }
}
