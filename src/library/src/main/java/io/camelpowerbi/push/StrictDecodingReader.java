package io.camelpowerbi.push;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.HexFormat;

/**
 * Decodes bytes into text and refuses bytes that are not text in the charset, where {@link java.io.InputStreamReader}
 * would put U+FFFD in their place and let {@code Caf\xc3\x28} reach Power BI as {@code Caf�(}. The refusal, a
 * {@link MalformedTextException}, names the byte offset and the bytes; it comes only once every character before them
 * was handed out, so a reader that fails on it knows which row held them.
 */
final class StrictDecodingReader extends Reader {

    private final InputStream in;
    private final Charset charset;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
    /** Bytes read from the stream so far; the stream offset of {@code bytes.position()} is this minus the remaining. */
    private long bytesRead;

    private boolean eof;
    private boolean flushed;
    /** The second half of a surrogate pair that did not fit a one-character read. */
    private int pending = -1;

    StrictDecodingReader(InputStream in, Charset charset) {
        this.in = in;
        this.charset = charset;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pending >= 0) {
            cbuf[off] = (char) pending;
            pending = -1;
            return 1;
        }
        if (len == 1) { // a supplementary character needs two: decode into a pair and keep the second
            char[] pair = new char[2];
            int n = read(pair, 0, 2);
            if (n == 2) {
                pending = pair[1];
            }
            if (n > 0) {
                cbuf[off] = pair[0];
                return 1;
            }
            return n;
        }
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (true) {
            CoderResult result = decoder.decode(bytes, out, eof);
            int decoded = out.position() - off;
            if (result.isError()) {
                if (decoded > 0) {
                    return decoded; // the characters before the bad bytes first; the next read reports them
                }
                throw malformed(result.length());
            }
            if (result.isOverflow() || decoded > 0 && !eof) {
                return decoded;
            }
            if (eof) {
                if (!flushed) {
                    decoder.flush(out);
                    flushed = true;
                    decoded = out.position() - off;
                }
                return decoded > 0 ? decoded : -1;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            eof = true;
        } else {
            bytesRead += n;
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    private MalformedTextException malformed(int length) {
        long offset = bytesRead - bytes.remaining();
        byte[] bad = new byte[Math.min(length, 8)];
        bytes.get(bytes.position(), bad);
        return new MalformedTextException(
                offset,
                "byte" + (length == 1 ? " " : "s ")
                        + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bad) + " at byte offset " + offset + " "
                        + (length == 1 ? "is" : "are") + " not valid " + charset.name() + " ("
                        + (eof ? "the input ends inside a " + "character" : "nothing is replaced")
                        + "): set the charset option to the input's encoding, e.g. "
                        + "windows-1252 or ISO-8859-1, or fix the bytes");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Bytes that are not text in the charset: where they are and what they are. */
    static final class MalformedTextException extends IOException {

        private final long byteOffset;

        MalformedTextException(long byteOffset, String message) {
            super(message);
            this.byteOffset = byteOffset;
        }

        /** Where the bytes start, counted from 0 at the first byte of the input. */
        long byteOffset() {
            return byteOffset;
        }
    }
}
