package io.camelpowerbi.push;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the rows of a message body, read, checked and coerced exactly as {@link PushPipeline} does for pushRows (the
 * same body types, formats, charset, column types, {@link InvalidRowPolicy} and rejections), as a CSV file for a
 * Lakehouse load: a header line of the table's columns in the table's order, one line per valid row, comma separated,
 * UTF-8, RFC 4180 quoting; a null (or absent) value is an empty field. Numbers are written plainly (no exponent),
 * DateTime as ISO-8601 UTC, Boolean as {@code true}/{@code false}. The file is written as the body is read (one row of
 * memory): with FAIL nothing is handed on unless every row fits, with SKIP the valid rows are, the rejected ones
 * returned. A file body is watched: one that changes while it is read is refused, as pushRows refuses it.
 *
 * <p>The request's dataset is the lakehouse here; its batch size and rate limits do not apply (a load is one file).
 */
public final class RowsToCsv {

    private static final Logger LOG = LoggerFactory.getLogger(RowsToCsv.class);

    /**
     * The CSV written: delete it when it was uploaded.
     *
     * @param file        the CSV file, in the request's spool directory (or the temporary directory)
     * @param columns     its header's columns
     * @param rowsRead    rows read from the body
     * @param rowsWritten rows written (the valid ones)
     * @param rejected    the rejected rows (SKIP), with row number, column and reason
     * @param bytes       the file's size
     */
    public record Written(
            Path file, List<String> columns, long rowsRead, long rowsWritten, List<RejectedRow> rejected, long bytes) {}

    private RowsToCsv() {}

    /**
     * @throws InvalidRowsException rows do not fit and the policy is FAIL, or more than {@code maxRejectedRows} were
     *                              rejected with SKIP: no file is handed on
     * @throws PushException        the body could not be read, or a file body changed while it was read
     * @throws IllegalArgumentException a body of a kind that holds no rows, or a table whose columns are not known
     */
    public static Written write(PushRequest request) {
        if (!request.schema().columnsKnown()) {
            throw new IllegalArgumentException("datasetDefinition: loadRows writes the table's columns, so it needs "
                    + "them: set datasetDefinition to a definition file naming table '" + request.tableName() + "'");
        }
        Object body = request.body();
        Path filePath = body instanceof File f ? f.toPath() : body instanceof Path p ? p : null;
        InputFile watched = filePath == null ? null : InputFile.of(filePath);
        List<String> columns = List.copyOf(request.schema().columns().keySet());
        RowValidator validator = new RowValidator(request.schema(), request.ignoreUnknownColumns());
        RowRejections rejections = new RowRejections(request.policy(), request.maxRejectedRows());
        Path csv = createFile(request.spoolDirectory());
        long read = 0;
        long written = 0;
        boolean done = false;
        try {
            try (Writer out = new BufferedWriter(
                            new OutputStreamWriter(Files.newOutputStream(csv), StandardCharsets.UTF_8), 64 * 1024);
                    RowSource source = RowSource.open(
                            body,
                            request.format(),
                            filePath != null ? filePath.getFileName().toString() : request.fileName(),
                            request.charset())) {
                line(out, columns);
                while (source.hasNext()) {
                    RawRow raw = source.next();
                    read++;
                    RowOutcome outcome = validator.validate(raw);
                    if (outcome instanceof ValidRow valid) {
                        if (rejections.count() == 0 || request.policy() == InvalidRowPolicy.SKIP) {
                            row(out, columns, valid.values());
                            written++;
                        }
                    } else if (rejections.add((RejectedRow) outcome)) {
                        throw rejections.tooMany(request.tableName(), read);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot write the CSV file " + csv + " (disk full? set spoolDirectory)", e);
            } catch (RowSourceException e) {
                throw stopped(
                        request, e.rowNumber(), e.column(), "the input could not be read: " + e.getMessage(), "", e);
            }
            if (watched != null) {
                String change = watched.change();
                if (change != null) {
                    throw stopped(
                            request,
                            0,
                            null,
                            "the file " + watched.path() + " changed while it was read (" + change + ")",
                            "Load files once they are complete: with Camel's file consumer, "
                                    + "readLock=changed with a readLockMinAge, or a done file.",
                            null);
                }
            }
            if (request.policy() == InvalidRowPolicy.FAIL) {
                rejections.failIfAny(request.tableName(), read);
            }
            long bytes = size(csv);
            LOG.debug(
                    "{} of {} rows of table '{}' written as CSV to {} ({} bytes)",
                    written,
                    read,
                    request.tableName(),
                    csv,
                    bytes);
            done = true;
            return new Written(csv, columns, read, written, List.copyOf(rejections.rows()), bytes);
        } finally {
            if (!done) {
                delete(csv);
            }
        }
    }

    private static PushException stopped(
            PushRequest request, long row, String column, String what, String advice, Throwable cause) {
        return new PushException(
                "Loading rows into table '" + request.tableName() + "' stopped: " + what + ". Nothing was loaded."
                        + (advice.isEmpty() ? "" : " " + advice),
                request.datasetId(),
                request.tableName(),
                0,
                0,
                1,
                -1,
                row,
                column,
                cause);
    }

    /** Deletes a written file, quietly. */
    public static void delete(Path csv) {
        try {
            Files.deleteIfExists(csv);
        } catch (IOException e) {
            csv.toFile().deleteOnExit();
        }
    }

    private static Path createFile(Path directory) {
        try {
            return directory == null
                    ? Files.createTempFile("camel-powerbi-load-", ".csv")
                    : Files.createTempFile(directory, "camel-powerbi-load-", ".csv");
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the CSV file to load (set spoolDirectory to a writable " + "directory)", e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void line(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quote(fields.get(i)));
        }
        out.write('\n');
    }

    private static void row(Writer out, List<String> columns, Map<String, Object> values) throws IOException {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            Object v = values.get(columns.get(i));
            if (v != null) {
                out.write(quote(text(v)));
            }
        }
        out.write('\n');
    }

    /** A coerced value as CSV text: numbers without exponent, the rest as they are. */
    static String text(Object v) {
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(v);
    }

    /** RFC 4180: a field with a comma, quote, line break or edge space is quoted, its quotes doubled. */
    static String quote(String s) {
        boolean needs = s.isEmpty()
                ? false
                : s.indexOf(',') >= 0
                        || s.indexOf('"') >= 0
                        || s.indexOf('\n') >= 0
                        || s.indexOf('\r') >= 0
                        || Character.isWhitespace(s.charAt(0))
                        || Character.isWhitespace(s.charAt(s.length() - 1));
        return needs ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
