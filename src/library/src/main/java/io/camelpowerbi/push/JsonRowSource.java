package io.camelpowerbi.push;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.io.Reader;
import java.util.Locale;
import java.util.Map;

/**
 * A JSON array of row objects, or row objects one after another, read with Jackson's streaming parser: one element
 * in memory at a time, never the whole tree. An element that is not an object is a rejected row; broken JSON syntax
 * stops the reading (a parser cannot find the next element after it), with the row and line where it broke.
 */
final class JsonRowSource extends ReadAheadRowSource {

    private final Reader reader;
    private final JsonParser parser;
    private int arrayDepth;
    private long rows;
    /** Whether the parser is inside row {@code rows}, so an error there is that row's, not the next one's. */
    private boolean inRow;

    JsonRowSource(Reader reader) throws IOException {
        this.reader = reader;
        this.parser = JsonRows.FACTORY.createParser(reader);
    }

    @Override
    protected RawRow advance() {
        try {
            while (true) {
                JsonToken t = parser.nextToken();
                if (t == null) {
                    if (arrayDepth > 0) {
                        throw new RowSourceException(
                                rows + 1,
                                "the JSON array ends before its closing ']' after row " + rows
                                        + ": the input was cut short; send it whole",
                                null);
                    }
                    return null;
                }
                if (t == JsonToken.START_ARRAY && arrayDepth == 0) {
                    arrayDepth = 1;
                    continue;
                }
                if (t == JsonToken.END_ARRAY && arrayDepth == 1) {
                    arrayDepth = 0;
                    continue;
                }
                rows++;
                if (t == JsonToken.START_OBJECT) {
                    inRow = true;
                    Map<String, Object> values = JsonRows.readObject(parser);
                    inRow = false;
                    return values != null
                            ? RawRow.of(rows, values)
                            : RawRow.broken(rows, "row " + rows + " is not read: " + JsonRows.tooLarge());
                }
                if (rows == 1 && arrayDepth == 0 && t != JsonToken.START_ARRAY) {
                    throw notJson("its first value is " + JsonRows.describe(t), null);
                }
                parser.skipChildren();
                return RawRow.broken(
                        rows,
                        "element " + rows + " is " + JsonRows.describe(t) + ", not an object of "
                                + "column names and values: send {\"Column\": value, ...} for each row");
            }
        } catch (StreamConstraintsException e) {
            long row = inRow ? rows : rows + 1;
            throw new RowSourceException(
                    row,
                    column(),
                    "the JSON cannot be read on at row " + row + ": " + e.getOriginalMessage()
                            + String.format(
                                    Locale.ROOT,
                                    " (a value of more than %,d characters, more than a row may have). ",
                                    RowSource.MAX_ROW_CHARS)
                            + "Rows after this point cannot be read; NDJSON, one object per "
                            + "line, lets a bad line be skipped as a rejected row",
                    e);
        } catch (JsonProcessingException e) {
            if (rows == 0) {
                throw notJson(e.getOriginalMessage(), e);
            }
            JsonLocation at = e.getLocation();
            long row = inRow ? rows : rows + 1;
            throw new RowSourceException(
                    row,
                    "the JSON is malformed at row " + row
                            + (at != null ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : "")
                            + ": "
                            + e.getOriginalMessage()
                            + ". Fix the input (rows after this point cannot be read); NDJSON, one "
                            + "object per line, lets a bad line be skipped as a rejected row",
                    e);
        } catch (StrictDecodingReader.MalformedTextException e) {
            long row = inRow ? rows : rows + 1;
            throw new RowSourceException(
                    row,
                    column(),
                    "the JSON cannot be read on at row " + row + (column() != null ? ", column '" + column() + "'" : "")
                            + ": " + e.getMessage(),
                    e);
        } catch (IOException e) {
            throw new RowSourceException(rows + 1, "reading the JSON input failed after row " + rows + ": " + e, e);
        }
    }

    /** The field whose value was being read, when inside a row. */
    private String column() {
        try {
            return inRow ? parser.currentName() : null;
        } catch (Exception e) { // the parser broke: the name is a nicety

            return null;
        }
    }

    private RowSourceException notJson(String what, Throwable cause) {
        return new RowSourceException(
                0,
                "the input is not JSON rows (" + what + "): JSON must be an array of objects "
                        + "[{\"Column\": value}, ...] or objects one after another; for CSV or NDJSON set the format option",
                cause);
    }

    @Override
    public long rowsRead() {
        return rows;
    }

    @Override
    public void close() {
        try {
            parser.close();
            reader.close();
        } catch (IOException ignored) {
            // closing a read-only input loses nothing
        }
    }
}
