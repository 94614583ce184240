package io.camelpowerbi.push;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;

/** Tells JSON, NDJSON and CSV apart by their first characters, reading ahead and then rewinding. */
final class TextSniffer {

    /** How far ahead the sniffer may read: a leading blank run or first NDJSON line longer than this reads as JSON. */
    static final int LOOKAHEAD = 1 << 20;

    private TextSniffer() {}

    /** Skips a UTF-8 byte order mark, which Excel and Windows tools put in front of CSV files. */
    static void skipBom(BufferedReader in) throws IOException {
        in.mark(1);
        if (in.read() != '\uFEFF') {
            in.reset();
        }
    }

    /**
     * {@code [} is a JSON array; {@code {} is NDJSON when the first line is a whole object, else JSON (a pretty-printed
     * object); anything else is CSV (an empty input too: it has no rows).
     */
    static Format sniff(BufferedReader in) throws IOException {
        in.mark(LOOKAHEAD);
        int c;
        int read = 0;
        do {
            c = in.read();
            read++;
        } while (c != -1 && Character.isWhitespace(c) && read < LOOKAHEAD - 1);
        in.reset();
        if (c == '[') {
            return Format.JSON;
        }
        if (c == '{') {
            return firstLineIsObject(in) ? Format.NDJSON : Format.JSON;
        }
        return Format.CSV;
    }

    private static boolean firstLineIsObject(BufferedReader in) throws IOException {
        in.mark(LOOKAHEAD);
        StringBuilder line = new StringBuilder();
        try {
            int c;
            int read = 0;
            while (++read < LOOKAHEAD && (c = in.read()) != -1) {
                if (c == '\n' || c == '\r') {
                    if (line.toString().isBlank()) {
                        line.setLength(0);
                        continue;
                    }
                    break;
                }
                line.append((char) c);
            }
        } finally {
            in.reset();
        }
        try (JsonParser p = JsonRows.FACTORY.createParser(line.toString())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
