package io.camelpowerbi.push;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
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
 * CSV with a header row, streamed by jackson-dataformat-csv one line at a time; every value is a string, made to fit
 * its column later. Lines are read as arrays and matched to the header here rather than by a header schema, so that a
 * line with too few or too many values is one rejected row with a clear reason instead of a parser error that ends the
 * file. The separator (',', ';' or tab) is taken from the header line, as spreadsheets in many locales write ';'.
 */
final class CsvRowSource extends ReadAheadRowSource {

    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private final BufferedReader reader;
    private final MappingIterator<String[]> lines;
    private final String[] header;
    private long rows;

    CsvRowSource(BufferedReader reader) throws IOException {
        this.reader = reader;
        char separator = sniffSeparator(reader);
        ObjectReader csv = CSV.readerFor(String[].class).with(CsvSchema.emptySchema().withColumnSeparator(separator));
        this.lines = csv.readValues(reader);
        this.header = readHeader();
    }

    private String[] readHeader() {
        String[] names;
        try {
            if (!lines.hasNextValue()) {
                return new String[0]; // an empty input: no rows
            }
            names = lines.nextValue();
        } catch (IOException e) {
            throw new RowSourceException(0, "the CSV header row cannot be read: " + message(e), e);
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
                throw new RowSourceException(0, "column " + (i + 1) + " of the CSV header has no name: the first line "
                        + "must name every column of the table", null);
            }
            if (!seen.add(trimmed[i].toLowerCase(Locale.ROOT))) {
                throw new RowSourceException(0, "the CSV header names column '" + trimmed[i] + "' twice: each column "
                        + "may appear once", null);
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
            if (header.length == 0 || !lines.hasNextValue()) {
                return null;
            }
            values = lines.nextValue();
        } catch (IOException | RuntimeException e) {
            JsonLocation at = lines.getCurrentLocation();
            throw new RowSourceException(rows + 1, "the CSV cannot be read on at row " + (rows + 1)
                    + (at != null && at.getLineNr() > 0 ? " (line " + at.getLineNr() + ")" : "") + ": " + message(e)
                    + ". Check for an unclosed quote; rows after this point cannot be read", e);
        }
        rows++;
        int n = values.length;
        if (n > header.length) {
            for (int i = header.length; i < n; i++) {
                if (!values[i].isBlank()) {
                    return RawRow.broken(rows, "the line has " + n + " values but the header names " + header.length
                            + " columns: quote values that contain the separator, or remove the extra values");
                }
            }
            n = header.length; // trailing empty values from a trailing separator
        }
        if (n < header.length) {
            return RawRow.broken(rows, "the line has " + n + " value" + (n == 1 ? "" : "s") + " but the header names "
                    + header.length + " columns: add the missing values (empty for null) or quote values with line breaks");
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
