package io.camelpowerbi.push;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * The lines of a text, none held longer than a limit: a longer line is read to its end and dropped, and reported as
 * too long, so one 130 MB line costs the limit in memory, not 260 MB. Lines end at {@code \n}, {@code \r\n} or
 * {@code \r}, as {@link java.io.BufferedReader#readLine()} has it.
 */
final class BoundedLineReader implements Closeable {

    private final Reader in;
    private final int maxChars;
    private final char[] buffer = new char[1 << 16];
    private final StringBuilder line = new StringBuilder();
    private int pos;
    private int end;
    /** The last line ended with '\r': a '\n' right after it belongs to the same line break. */
    private boolean skipLf;

    private boolean tooLong;
    private long length;

    BoundedLineReader(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line without its line break; empty when it was too long (see {@link #tooLong()}); null at the end. */
    String next() throws IOException {
        line.setLength(0);
        length = 0;
        boolean any = false;
        while (true) {
            if (pos >= end && !fill()) {
                tooLong = length > maxChars;
                return any ? (tooLong ? "" : line.toString()) : null;
            }
            if (skipLf) {
                skipLf = false;
                if (buffer[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            int start = pos;
            while (pos < end && buffer[pos] != '\n' && buffer[pos] != '\r') {
                pos++;
            }
            int n = pos - start;
            any = true;
            if (length + n <= maxChars) {
                line.append(buffer, start, n);
            } else if (line.length() > 0) {
                line.setLength(0); // over the limit: keep nothing of it
            }
            length += n;
            if (pos < end) {
                skipLf = buffer[pos] == '\r';
                pos++;
                tooLong = length > maxChars;
                return tooLong ? "" : line.toString();
            }
        }
    }

    /** Whether the line {@link #next()} returned last was over the limit (and so dropped). */
    boolean tooLong() {
        return tooLong;
    }

    /** The length of the line {@link #next()} returned last, in characters, even when it was dropped. */
    long length() {
        return length;
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            pos = end = 0;
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
