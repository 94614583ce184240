package io.camelpowerbi.push;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes a reader has pulled so far, and whether it was closed: proves streaming and closing. */
final class CountingInputStream extends FilterInputStream {

    long bytesRead;
    boolean closed;

    CountingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            bytesRead++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            bytesRead += n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        super.close();
    }
}
