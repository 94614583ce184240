package io.camelpowerbi.push;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * One JSON object per line. Each line is parsed on its own, so a broken line is one rejected row and the lines after it
 * are read as usual. Blank lines are skipped and not counted.
 */
final class NdjsonRowSource extends ReadAheadRowSource {

    private final BufferedReader reader;
    private long rows;
    private long lines;

    NdjsonRowSource(BufferedReader reader) {
        this.reader = reader;
    }

    @Override
    protected RawRow advance() {
        String line;
        try {
            do {
                line = reader.readLine();
                if (line == null) {
                    return null;
                }
                lines++;
            } while (line.isBlank());
        } catch (IOException e) {
            throw new RowSourceException(rows + 1, "reading the NDJSON input failed after row " + rows + ": " + e, e);
        }
        rows++;
        try (JsonParser p = JsonRows.FACTORY.createParser(line)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                return RawRow.broken(rows, "line " + lines + " is " + JsonRows.describe(t) + ", not a JSON object: "
                        + "each line must be one {\"Column\": value, ...} object");
            }
            RawRow row = RawRow.of(rows, JsonRows.readObject(p));
            if (p.nextToken() != null) {
                return RawRow.broken(rows, "line " + lines + " holds more than one JSON value: put each row on a line of its own");
            }
            return row;
        } catch (JsonProcessingException e) {
            return RawRow.broken(rows, "line " + lines + " is not valid JSON (" + e.getOriginalMessage() + "): fix or remove the line");
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
