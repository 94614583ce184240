package io.camelpowerbi.push;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The rows of a message body, one at a time, numbered from 1. Files and streams are read as they are consumed, never
 * whole, so a body of any size costs one row of memory. A row that cannot be read comes out as a {@link RawRow} with
 * an error (it becomes a rejected row); an input that cannot be read on at all throws {@link RowSourceException}.
 * Close it: it closes what it opened (files, the body's stream).
 */
public interface RowSource extends Iterator<RawRow>, Closeable {

    /**
     * The longest row read, in characters: a CSV record, an NDJSON line, a JSON row object. Power BI's widest row (75
     * columns of 4,000 characters) is under a third of it. A longer row is rejected without being held in memory (a
     * single value that long stops the reading of CSV and JSON, whose parsers cannot find the next row after it).
     */
    int MAX_ROW_CHARS = 1 << 20;

    /** The most values a row may have: Excel's column limit (a Power BI table holds at most 75 columns). */
    int MAX_FIELDS = 16_384;

    /** Rows handed out so far. */
    long rowsRead();

    /** The number of rows, when known before reading (a List body); otherwise empty. */
    default OptionalLong knownTotal() {
        return OptionalLong.empty();
    }

    @Override
    void close();

    /** {@link #open(Object, Format, String, Charset)} for UTF-8 text without a file name. */
    static RowSource open(Object body, Format format) {
        return open(body, format, null, StandardCharsets.UTF_8);
    }

    /**
     * @param body     a {@code List}, {@code Collection} or array of rows, one row as a {@code Map}, an {@code Iterator},
     *                 {@code Iterable} or {@code Stream} of rows, or text: {@code File}, {@code Path},
     *                 {@code InputStream}, {@code Reader}, {@code byte[]} or {@code String}. A row is a {@code Map}
     *                 (or a JSON object text, or a bean Jackson can turn into a map)
     * @param format   how text is laid out; {@link Format#AUTO} decides by {@code fileName} then by the first character
     * @param fileName the body's file name (e.g. Camel's {@code CamelFileName}) for {@link Format#AUTO}, or null
     * @param charset  of text bodies given as bytes: decoded strictly, bytes that are not text in it stop the reading
     *                 with their row and byte offset (nothing is replaced)
     */
    static RowSource open(Object body, Format format, String fileName, Charset charset) {
        Format chosen = format == null ? Format.AUTO : format;
        Charset cs = charset == null ? StandardCharsets.UTF_8 : charset;
        if (body == null) {
            throw new IllegalArgumentException(
                    "the message body is empty: pushRows needs rows (a List of Maps, a Map, " + "JSON, NDJSON or CSV)");
        }
        if (body instanceof Map<?, ?> row) {
            return new ObjectRowSource(List.of(row).iterator(), 1, null);
        }
        if (body instanceof Collection<?> rows) {
            return new ObjectRowSource(rows.iterator(), rows.size(), null);
        }
        if (body instanceof Object[] rows) {
            return new ObjectRowSource(Arrays.asList(rows).iterator(), rows.length, null);
        }
        if (body instanceof Stream<?> rows) {
            return new ObjectRowSource(rows.iterator(), -1, rows);
        }
        if (body instanceof Iterator<?> rows) {
            return new ObjectRowSource(rows, -1, rows instanceof AutoCloseable c ? c : null);
        }
        // before Iterable: a Path is an Iterable of its name elements
        if (body instanceof File file) {
            return openPath(file.toPath(), chosen, cs);
        }
        if (body instanceof Path path) {
            return openPath(path, chosen, cs);
        }
        if (body instanceof Iterable<?> rows) {
            Iterator<?> it = rows.iterator();
            return new ObjectRowSource(it, -1, it instanceof AutoCloseable c ? c : null);
        }
        if (body instanceof InputStream in) {
            return openText(new StrictDecodingReader(in, cs), chosen, fileName);
        }
        if (body instanceof Reader reader) {
            return openText(reader, chosen, fileName);
        }
        if (body instanceof byte[] bytes) {
            return openText(new StrictDecodingReader(new ByteArrayInputStream(bytes), cs), chosen, fileName);
        }
        if (body instanceof CharSequence text) {
            return openText(new StringReader(text.toString()), chosen, fileName);
        }
        throw new IllegalArgumentException(
                "pushRows cannot read rows from a " + body.getClass().getName() + " body: "
                        + "give a List of Maps, a Map, an Iterator, Iterable or Stream of Maps, or JSON, NDJSON or CSV as File, "
                        + "Path, InputStream, byte[] or String");
    }

    private static RowSource openPath(Path path, Format format, Charset charset) {
        Format chosen =
                format == Format.AUTO ? Format.fromFileName(path.getFileName().toString()) : format;
        InputStream in;
        try {
            in = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new RowSourceException(0, "the file " + path + " does not exist", e);
        } catch (IOException e) {
            throw new RowSourceException(0, "cannot open " + path + ": " + e.getMessage(), e);
        }
        return openText(
                new StrictDecodingReader(in, charset),
                chosen,
                path.getFileName().toString());
    }

    private static RowSource openText(Reader reader, Format format, String fileName) {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
        try {
            TextSniffer.skipBom(in);
            Format chosen = format == Format.AUTO ? Format.fromFileName(fileName) : format;
            if (chosen == Format.AUTO) {
                chosen = TextSniffer.sniff(in);
            }
            return switch (chosen) {
                case JSON -> new JsonRowSource(in);
                case NDJSON -> new NdjsonRowSource(in);
                case CSV, AUTO -> new CsvRowSource(in);
            };
        } catch (IOException e) {
            closeQuietly(in);
            throw new RowSourceException(
                    0,
                    "cannot read the input"
                            + (e instanceof StrictDecodingReader.MalformedTextException ? " (its first line)" : "")
                            + ": " + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing read will be lost by this
        }
    }
}
