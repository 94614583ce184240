package io.camelpowerbi.push;

import io.camelpowerbi.FileRange;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.SequenceInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A CSV file cut into parts at line breaks, each readable on its own as a CSV text: the first part is the file's
 * beginning, every later one is the header line followed by its own lines. Under {@link InvalidRowPolicy#FAIL} nothing
 * may be sent before every row passed, so the check cannot overlap with sending; checking the parts on several cores
 * shortens that wait.
 *
 * <p>A cut is made after a line break, which may lie inside a quoted value: then the part before it ends inside that
 * value and reading it fails ("Missing closing quote"), and the caller checks the file the sequential way. Files are cut
 * only where every part can be read like the whole: a charset in which a line break is the byte 10 and nothing else
 * holds that byte, a format that is CSV, and a header line without quotes.
 */
final class CsvParts {

    /** Files smaller than two of these are read in one part: threads cost more than they save. */
    static final long MIN_PART_BYTES = 8L << 20;

    private static final Set<Charset> CUTTABLE =
            Set.of(StandardCharsets.UTF_8, StandardCharsets.US_ASCII, StandardCharsets.ISO_8859_1);
    private static final int HEADER_MAX_BYTES = 1 << 16;
    private static final int SCAN_BYTES = 1 << 16;

    /** Bytes {@code start} (inclusive) to {@code end} (exclusive) of the file, with {@code header} in front. */
    record Part(Path file, byte[] header, long start, long end) {

        /** The part as a CSV text of its own: the header line (none for the first part), then its lines. */
        InputStream open() throws IOException {
            InputStream range = FileRange.open(file, start, end - start);
            return header.length == 0 ? range : new SequenceInputStream(new ByteArrayInputStream(header), range);
        }
    }

    private CsvParts() {}

    /**
     * The parts of {@code file} for up to {@code maxParts} readers, each at least {@code minPartBytes} long; one part
     * (the whole file) when it cannot or need not be cut.
     */
    static List<Part> of(Path file, Format format, Charset charset, int maxParts, long minPartBytes)
            throws IOException {
        long size = Files.size(file);
        int parts = (int) Math.min(maxParts, size / Math.max(1, minPartBytes));
        List<Part> whole = List.of(new Part(file, new byte[0], 0, size));
        if (parts < 2 || !CUTTABLE.contains(charset) || !isCsv(file, format, charset)) {
            return whole;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] header = headerLine(in);
            if (header == null) {
                return whole;
            }
            List<Part> cut = new ArrayList<>();
            long start = 0;
            for (int i = 1; i <= parts; i++) {
                // a cut with no line break after it adds nothing: its rest goes to the last part, which ends the file
                long end = i == parts ? size : lineStartFrom(in, size * i / parts, size);
                if (end > start && (end < size || i == parts)) {
                    cut.add(new Part(file, start == 0 ? new byte[0] : header, start, end));
                    start = end;
                }
            }
            return cut;
        }
    }

    /** Whether the file is read as CSV: by the format option, else its name, else its first characters. */
    private static boolean isCsv(Path file, Format format, Charset charset) throws IOException {
        Format chosen =
                format == Format.AUTO ? Format.fromFileName(file.getFileName().toString()) : format;
        if (chosen != Format.AUTO) {
            return chosen == Format.CSV;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), charset))) {
            TextSniffer.skipBom(in);
            return TextSniffer.sniff(in) == Format.CSV;
        }
    }

    /**
     * The first line with its line break (a byte order mark left out), or null when it cannot stand in front of every
     * part: blank, longer than 64 KiB, with a quote (a quoted name may hold a line break) or with a CR alone.
     */
    private static byte[] headerLine(RandomAccessFile in) throws IOException {
        byte[] head = new byte[(int) Math.min(HEADER_MAX_BYTES, in.length())];
        in.seek(0);
        in.readFully(head);
        int from = head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF
                ? 3
                : 0;
        for (int i = from; i < head.length; i++) {
            byte b = head[i];
            if (b == '\n') {
                int content = i > from && head[i - 1] == '\r' ? i - 1 : i;
                return content > from ? Arrays.copyOfRange(head, from, i + 1) : null;
            }
            if (b == '"' || b == '\r' && (i + 1 >= head.length || head[i + 1] != '\n')) {
                return null;
            }
        }
        return null;
    }

    /** The position just after the first line break at or after {@code from}; {@code size} when there is none. */
    private static long lineStartFrom(RandomAccessFile in, long from, long size) throws IOException {
        byte[] buffer = new byte[SCAN_BYTES];
        long at = from;
        while (at < size) {
            in.seek(at);
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - at));
            if (n < 0) {
                return size;
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    return at + i + 1;
                }
            }
            at += n;
        }
        return size;
    }
}
