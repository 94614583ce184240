package io.camelpowerbi.push;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * CSV with a header row, streamed by jackson-dataformat-csv one value at a time; every value is a string, made to fit
 * its column later. Lines are read as arrays and matched to the header here rather than by a header schema, so that a
 * line with too few or too many values is one rejected row with a clear reason instead of a parser error that ends the
 * file. The separator (',', ';' or tab) is taken from the header line, as spreadsheets in many locales write ';'.
 *
 * <p>A record longer than {@link RowSource#MAX_ROW_CHARS} or with more than {@link RowSource#MAX_FIELDS} values is a
 * rejected row, its values dropped as they are read; a single value longer than that (an unclosed quote, usually)
 * stops the reading, as the parser cannot find the next record after it.
 */
final class CsvRowSource extends ReadAheadRowSource {

    private static final CsvFactory CSV = CsvFactory.builder()
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(MAX_ROW_CHARS)
                    .build())
            .build();
    private static final String[] TOO_LARGE = new String[0];

    private final BufferedReader reader;
    private final CsvParser lines;
    private final String[] header;
    private final List<String> values = new ArrayList<>();
    private long rows;
    /** Characters and values of the record {@link #nextRecord()} read last, when it was {@link #TOO_LARGE}. */
    private long recordChars;

    private int recordValues;

    CsvRowSource(BufferedReader reader) throws IOException {
        this.reader = reader;
        char separator = sniffSeparator(reader);
        this.lines = (CsvParser) CSV.createParser(reader);
        lines.setSchema(CsvSchema.emptySchema().withColumnSeparator(separator));
        this.header = readHeader();
    }

    /** The next record's values, {@link #TOO_LARGE} when it is over the limits, or null at the end of the input. */
    private String[] nextRecord() throws IOException {
        JsonToken t = lines.nextToken();
        if (t == null) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            throw new IOException("unexpected " + t + " from the CSV parser");
        }
        values.clear();
        recordChars = 0;
        recordValues = 0;
        while ((t = lines.nextToken()) == JsonToken.VALUE_STRING) {
            String value = lines.getText();
            recordChars += value.length() + 1;
            recordValues++;
            if (recordChars <= MAX_ROW_CHARS && recordValues <= MAX_FIELDS) {
                values.add(value);
            } else if (!values.isEmpty()) {
                values.clear(); // over the limits: keep nothing of it, read on to its end
            }
        }
        if (t != JsonToken.END_ARRAY) {
            throw new IOException("unexpected " + t + " in a CSV record");
        }
        return recordChars > MAX_ROW_CHARS || recordValues > MAX_FIELDS ? TOO_LARGE : values.toArray(new String[0]);
    }

    private String tooLarge(String what) {
        return what + " has "
                + (recordValues > MAX_FIELDS
                        ? String.format(
                                Locale.ROOT,
                                "%,d values, more than the %,d a " + "row may have",
                                recordValues,
                                MAX_FIELDS)
                        : String.format(
                                Locale.ROOT, "more than %,d characters, more " + "than a row may have", MAX_ROW_CHARS))
                + " (a Power BI table holds at most 75 columns of 4,000 characters)";
    }

    private String[] readHeader() {
        String[] names;
        try {
            names = nextRecord();
            if (names == null) {
                return new String[0]; // an empty input: no rows
            }
        } catch (IOException e) {
            throw new RowSourceException(0, "the CSV header row cannot be read: " + message(e), e);
        }
        if (names == TOO_LARGE) {
            throw new RowSourceException(
                    0, tooLarge("the CSV header row") + ": is this a CSV file with a header row?", null);
        }
        int n = names.length;
        while (n > 0 && names[n - 1].isBlank()) {
            n--; // "a,b," is a trailing separator, not a third column
        }
        String[] trimmed = new String[n];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            trimmed[i] = names[i].trim();
            if (trimmed[i].isEmpty()) {
                throw new RowSourceException(
                        0,
                        "column " + (i + 1) + " of the CSV header has no name: the first line "
                                + "must name every column of the table",
                        null);
            }
            if (!seen.add(trimmed[i].toLowerCase(Locale.ROOT))) {
                throw new RowSourceException(
                        0,
                        "the CSV header names column '" + trimmed[i] + "' twice: each column " + "may appear once",
                        null);
            }
        }
        return trimmed;
    }

    /** The separator the header line uses most, outside quotes; ',' when it shows none. */
    private static char sniffSeparator(BufferedReader in) throws IOException {
        in.mark(TextSniffer.LOOKAHEAD);
        int comma = 0;
        int semicolon = 0;
        int tab = 0;
        try {
            boolean quoted = false;
            boolean content = false;
            int c;
            int read = 0;
            while (++read < TextSniffer.LOOKAHEAD && (c = in.read()) != -1) {
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && (c == '\n' || c == '\r')) {
                    if (content) {
                        break;
                    }
                } else if (!quoted) {
                    content = true;
                    if (c == ',') {
                        comma++;
                    } else if (c == ';') {
                        semicolon++;
                    } else if (c == '\t') {
                        tab++;
                    }
                }
            }
        } finally {
            in.reset();
        }
        if (semicolon > comma && semicolon >= tab) {
            return ';';
        }
        return tab > comma ? '\t' : ',';
    }

    @Override
    protected RawRow advance() {
        String[] values;
        try {
            if (header.length == 0 || (values = nextRecord()) == null) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            JsonLocation at = lines.currentLocation();
            String column = recordValues < header.length ? header[recordValues] : null; // the value being read
            String where = "row " + (rows + 1) + (column != null ? ", column '" + column + "'" : "")
                    + (at != null && at.getLineNr() > 0 ? " (line " + at.getLineNr() + ")" : "");
            if (e instanceof StrictDecodingReader.MalformedTextException) {
                throw new RowSourceException(
                        rows + 1, column, "the CSV cannot be read on at " + where + ": " + e.getMessage(), e);
            }
            throw new RowSourceException(
                    rows + 1,
                    column,
                    "the CSV cannot be read on at " + where + ": " + message(e)
                            + (e instanceof StreamConstraintsException
                                    ? " (a value of more than " + String.format(Locale.ROOT, "%,d", MAX_ROW_CHARS)
                                            + " characters: more than a row may have)"
                                    : "")
                            + ". Check for an unclosed quote; rows after this point cannot be read",
                    e);
        }
        rows++;
        if (values == TOO_LARGE) {
            return RawRow.broken(rows, tooLarge("the record") + ": split or shorten it; the rows after it are read on");
        }
        int n = values.length;
        if (n > header.length) {
            for (int i = header.length; i < n; i++) {
                if (!values[i].isBlank()) {
                    return RawRow.broken(
                            rows,
                            "the line has " + n + " values but the header names " + header.length
                                    + " columns: quote values that contain the separator, or remove the extra values");
                }
            }
            n = header.length; // trailing empty values from a trailing separator
        }
        if (n < header.length) {
            return RawRow.broken(
                    rows,
                    "the line has " + n + " value" + (n == 1 ? "" : "s") + " but the header names " + header.length
                            + " columns: add the missing values (empty for null) or quote values with line breaks");
        }
        return RawRow.of(rows, new FieldRow(header, values.length == n ? values : Arrays.copyOf(values, n)));
    }

    /** The header, trimmed, as matched to the table's columns. */
    List<String> header() {
        return new ArrayList<>(List.of(header));
    }

    private static String message(Exception e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e.getMessage());
    }

    @Override
    public long rowsRead() {
        return rows;
    }

    @Override
    public void close() {
        try {
            lines.close();
            reader.close();
        } catch (IOException ignored) {
            // closing a read-only input loses nothing
        }
    }
}
