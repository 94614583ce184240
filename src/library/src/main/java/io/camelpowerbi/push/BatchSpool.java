package io.camelpowerbi.push;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Ready-to-send batches parked in a temporary file (one {@code {"rows":[...]}} body per line, so it is NDJSON) while
 * an input that can be read only once is being validated: nothing may be sent before every row passed, yet the rows
 * must not sit in memory. Only each batch's row range and byte extent are kept in memory. The file is deleted on close.
 */
final class BatchSpool implements Closeable {

    private record Entry(int number, long firstRow, long lastRow, int rows, int length) {}

    private final Path file;
    private final OutputStream out;
    private final List<Entry> entries = new ArrayList<>();
    private boolean writing = true;
    private FileChannel reading;

    BatchSpool(Path directory) throws IOException {
        this.file = directory == null
                ? Files.createTempFile("camel-powerbi-push-", ".ndjson")
                : Files.createTempFile(directory, "camel-powerbi-push-", ".ndjson");
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    void append(Batch batch) {
        try {
            out.write(batch.body());
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the spool file " + file + " (disk full?)", e);
        }
        entries.add(new Entry(batch.number(), batch.firstRow(), batch.lastRow(), batch.rows(), batch.body().length));
    }

    int batches() {
        return entries.size();
    }

    /** The spooled batches, in order, read back one at a time. Call once, after the last append. */
    Iterator<Batch> replay() throws IOException {
        if (writing) {
            out.close();
            writing = false;
        }
        FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        reading = in;
        return new Iterator<>() {
            private int next;
            private long position;

            @Override
            public boolean hasNext() {
                boolean more = next < entries.size();
                if (!more) {
                    closeQuietly(in);
                }
                return more;
            }

            @Override
            public Batch next() {
                if (next >= entries.size()) {
                    throw new NoSuchElementException();
                }
                Entry e = entries.get(next++);
                try {
                    // straight into an array of the body's size: InputStream.readNBytes gathers 8 KiB pieces and
                    // copies them, several times the cost of the read in profiles
                    byte[] body = new byte[e.length()];
                    ByteBuffer buffer = ByteBuffer.wrap(body);
                    while (buffer.hasRemaining()) {
                        if (in.read(buffer, position + buffer.position()) < 0) {
                            throw new EOFException("the spool file " + file + " was cut short");
                        }
                    }
                    position += e.length() + 1; // and the line break
                    return new Batch(e.number(), e.firstRow(), e.lastRow(), e.rows(), body);
                } catch (IOException ex) {
                    closeQuietly(in);
                    throw new UncheckedIOException("cannot read the spool file " + file, ex);
                }
            }
        };
    }

    @Override
    public void close() {
        try {
            if (writing) {
                out.close();
                writing = false;
            }
        } catch (IOException ignored) {
            // being deleted anyway
        }
        if (reading != null) {
            closeQuietly(reading);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // read-only
        }
    }
}
