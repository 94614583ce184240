package io.camelpowerbi.push;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.util.Locale;
import java.util.Map;

/**
 * One JSON object per line. Each line is parsed on its own, so a broken line is one rejected row and the lines after it
 * are read as usual; so is a line longer than {@link RowSource#MAX_ROW_CHARS}, dropped as it is read. Blank lines are
 * skipped and not counted.
 */
final class NdjsonRowSource extends ReadAheadRowSource {

    private final BoundedLineReader reader;
    private long rows;
    private long lines;

    NdjsonRowSource(Reader reader) {
        this.reader = new BoundedLineReader(reader, MAX_ROW_CHARS);
    }

    @Override
    protected RawRow advance() {
        String line;
        try {
            do {
                line = reader.next();
                if (line == null) {
                    return null;
                }
                lines++;
            } while (!reader.tooLong() && line.isBlank());
        } catch (StrictDecodingReader.MalformedTextException e) {
            throw new RowSourceException(
                    rows + 1,
                    "the NDJSON cannot be read on at row " + (rows + 1) + " (line " + (lines + 1) + "): "
                            + e.getMessage(),
                    e);
        } catch (IOException e) {
            throw new RowSourceException(rows + 1, "reading the NDJSON input failed after row " + rows + ": " + e, e);
        }
        rows++;
        if (reader.tooLong()) {
            return RawRow.broken(
                    rows,
                    String.format(
                            Locale.ROOT,
                            "line %d is %,d characters long, more than the %,d a "
                                    + "row may have (a Power BI table holds at most 75 columns of 4,000 characters): split or shorten "
                                    + "it; the lines after it are read on",
                            lines,
                            reader.length(),
                            MAX_ROW_CHARS));
        }
        try (JsonParser p = JsonRows.FACTORY.createParser(line)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                return RawRow.broken(
                        rows,
                        "line " + lines + " is " + JsonRows.describe(t) + ", not a JSON object: "
                                + "each line must be one {\"Column\": value, ...} object");
            }
            Map<String, Object> values = JsonRows.readObject(p);
            if (values == null) {
                return RawRow.broken(rows, "line " + lines + " is not read: " + JsonRows.tooLarge());
            }
            if (p.nextToken() != null) {
                return RawRow.broken(
                        rows, "line " + lines + " holds more than one JSON value: put each row on a line of its own");
            }
            return RawRow.of(rows, values);
        } catch (JsonProcessingException e) {
            return RawRow.broken(
                    rows,
                    "line " + lines + " is not valid JSON (" + e.getOriginalMessage() + "): fix or remove the line");
        } catch (IOException e) {
            return RawRow.broken(rows, "line " + lines + " cannot be read: " + e.getMessage());
        }
    }

    @Override
    public long rowsRead() {
        return rows;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException ignored) {
            // closing a read-only input loses nothing
        }
    }
}
