package io.camelpowerbi.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cutting a CSV file into parts that are each read on their own, for FAIL's check on several cores. */
class CsvPartsTest {

    @TempDir
    Path dir;

    @Test
    void partsStartAtLineStartsAndTogetherHoldEveryRowOfTheFileOnceInOrder() throws IOException {
        Random random = new Random(7);
        for (String lineBreak : List.of("\n", "\r\n")) {
            for (boolean bom : List.of(false, true)) {
                StringBuilder csv = new StringBuilder(bom ? "\uFEFF" : "")
                        .append("Id;Name;Note")
                        .append(lineBreak);
                for (int i = 1; i <= 2_000; i++) {
                    csv.append(i)
                            .append(';')
                            .append("name ")
                            .append(random.nextInt(1000))
                            .append(';');
                    csv.append(i % 7 == 0 ? "\"a; quoted, value\"" : "plain é ü " + i)
                            .append(lineBreak);
                    if (i % 500 == 0) {
                        csv.append(lineBreak); // an empty line, skipped alike
                    }
                }
                Path file = Files.writeString(dir.resolve("rows-" + bom + lineBreak.length() + ".csv"), csv);
                List<Map<String, Object>> whole = rows(RowSource.open(file, Format.AUTO));
                assertEquals(2_000, whole.size());
                for (int parts : List.of(2, 3, 4, 9)) {
                    List<CsvParts.Part> cut = CsvParts.of(file, Format.AUTO, StandardCharsets.UTF_8, parts, 1);
                    assertEquals(parts, cut.size(), "a file of 2,000 lines is cut " + parts + " ways");
                    byte[] bytes = Files.readAllBytes(file);
                    List<Map<String, Object>> joined = new ArrayList<>();
                    long start = 0;
                    for (CsvParts.Part part : cut) {
                        assertEquals(start, part.start(), "the parts follow each other");
                        assertTrue(
                                part.start() == 0 || bytes[(int) part.start() - 1] == '\n', "cut after a line break");
                        start = part.end();
                        try (InputStream in = part.open()) {
                            joined.addAll(rows(RowSource.open(in, Format.CSV, null, StandardCharsets.UTF_8)));
                        }
                    }
                    assertEquals(bytes.length, start, "the parts cover the file");
                    assertEquals(whole, joined, parts + " parts, BOM " + bom + ", line break " + lineBreak.length());
                }
            }
        }
    }

    @Test
    void aFileThatCannotBeReadInPartsLikeTheWholeIsOnePart() throws IOException {
        String rows = "1,a\n2,b\n3,c\n4,d\n5,e\n6,f\n7,g\n8,h\n";
        assertWhole(Files.writeString(dir.resolve("quoted-header.csv"), "\"Id\",Name\n" + rows), Format.AUTO, UTF8);
        assertWhole(Files.writeString(dir.resolve("blank-first.csv"), "\nId,Name\n" + rows), Format.AUTO, UTF8);
        assertWhole(Files.writeString(dir.resolve("cr-alone.csv"), "Id,Name\r1,a\r2,b\r3,c\r4,d\r"), Format.AUTO, UTF8);
        Path utf16 = dir.resolve("utf16.csv");
        Files.writeString(utf16, "Id,Name\n" + rows, StandardCharsets.UTF_16LE);
        assertWhole(utf16, Format.AUTO, StandardCharsets.UTF_16LE);
        Path ndjson = Files.writeString(dir.resolve("rows.txt"), "{\"Id\":1}\n{\"Id\":2}\n{\"Id\":3}\n{\"Id\":4}\n");
        assertWhole(ndjson, Format.AUTO, UTF8);
        Path csv = Files.writeString(dir.resolve("rows.csv"), "Id,Name\n" + rows);
        assertWhole(csv, Format.NDJSON, UTF8);
        assertEquals(
                1,
                CsvParts.of(csv, Format.AUTO, UTF8, 4, Files.size(csv) / 2 + 1).size(),
                "a file shorter than two parts is read whole");
        assertEquals(4, CsvParts.of(csv, Format.AUTO, UTF8, 4, 1).size(), "the same file is cut when allowed");
        Path oneLongLine = Files.writeString(dir.resolve("long-last.csv"), "Id,Name\n1," + "x".repeat(10_000));
        assertWhole(oneLongLine, Format.AUTO, UTF8);
    }

    private static final Charset UTF8 = StandardCharsets.UTF_8;

    private static void assertWhole(Path file, Format format, Charset charset) throws IOException {
        List<CsvParts.Part> parts = CsvParts.of(file, format, charset, 4, 1);
        assertEquals(1, parts.size(), file.getFileName() + " is read in one part");
        assertEquals(0, parts.get(0).start());
        assertEquals(Files.size(file), parts.get(0).end());
    }

    private static List<Map<String, Object>> rows(RowSource source) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (source) {
            while (source.hasNext()) {
                RawRow row = source.next();
                assertEquals(null, row.error(), "row " + row.rowNumber());
                rows.add(row.values());
            }
        }
        return rows;
    }
}
