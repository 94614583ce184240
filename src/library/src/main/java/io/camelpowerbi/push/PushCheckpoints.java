package io.camelpowerbi.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * How far Power BI accepted the pushes of files, so that a push cut short by a crash resumes after the rows it had
 * sent: one small file per input file in a directory, rewritten after every accepted batch so that a kill leaves the
 * previous or the new record, never a torn one (no fsync, so a power loss may lose the latest). A push of the same,
 * unchanged file (same path, size, modification time and head, see {@link InputFile}) skips the rows recorded; a crash
 * therefore repeats at most the batch that was on the wire. A checkpoint stays after a complete push, so a file pushed
 * whole and not yet moved away is not pushed twice, until {@link #forget(Path)}.
 */
public final class PushCheckpoints {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What was accepted of one file.
     *
     * @param rowsAccepted rows of the file Power BI accepted, over every push of it
     * @param lastRow      the input row number of the last of them: every valid row up to it was accepted
     */
    public record Checkpoint(String path, long size, long modifiedNanos, String head, long rowsAccepted, long lastRow) {

        boolean isFor(InputFile file) {
            return path.equals(file.path().toString())
                    && size == file.size()
                    && modifiedNanos == file.modifiedNanos()
                    && head.equals(file.head());
        }
    }

    private final Path directory;

    /** @param directory where the checkpoints are kept; created when the first one is written */
    public PushCheckpoints(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    public Path directory() {
        return directory;
    }

    /** The checkpoint of this file as it is now, or null when there is none (or one for another content). */
    public Checkpoint find(InputFile file) {
        Path entry = entry(file.path());
        try {
            Checkpoint checkpoint = JSON.readValue(Files.readAllBytes(entry), Checkpoint.class);
            return checkpoint.isFor(file) ? checkpoint : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the push checkpoint " + entry + " (" + e.getMessage() + "): delete it to push "
                            + file.path() + " from its first row",
                    e);
        }
    }

    /** A recorder of one push of {@code file}, after every accepted batch. Close it when the push ends. */
    public Recorder recorder(InputFile file) {
        return new Recorder(file, entry(file.path()));
    }

    /**
     * Records the progress of one push of a file. Its first record replaces any earlier checkpoint of the file whole (a
     * new file renamed over it); the later ones overwrite it in place with one positioned write of at most
     * {@value #IN_PLACE_BYTES} bytes, padded with spaces to the record it replaces: a single write that small, within
     * one page, is never torn by a killed process, and it costs a system call instead of the five a rename takes,
     * after each of hundreds of batches. A longer record (a very long path) takes the first way every time.
     */
    public final class Recorder implements AutoCloseable {

        /** Within one page of the page cache. */
        static final int IN_PLACE_BYTES = 4096;

        private final InputFile file;
        private final Path entry;
        /** Not an NIO channel: an interrupted thread's channel closes and drops the write. */
        private RandomAccessFile inPlace;

        private int written;

        private Recorder(InputFile file, Path entry) {
            this.file = file;
            this.entry = entry;
        }

        /** Every valid row of the file up to {@code lastRow} was accepted, {@code rowsAccepted} in all. */
        public void accepted(long rowsAccepted, long lastRow) {
            byte[] json;
            try {
                json = JSON.writeValueAsBytes(new Checkpoint(
                        file.path().toString(), file.size(), file.modifiedNanos(), file.head(), rowsAccepted, lastRow));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the push checkpoint " + entry + ": " + e.getMessage(), e);
            }
            if (inPlace != null && Math.max(json.length, written) <= IN_PLACE_BYTES) {
                byte[] record = Arrays.copyOf(json, Math.max(json.length, written));
                Arrays.fill(record, json.length, record.length, (byte) ' '); // JSON ends at its last brace
                try {
                    inPlace.seek(0);
                    inPlace.write(record);
                    written = record.length;
                    return;
                } catch (IOException e) {
                    close(); // and write it the whole-file way
                }
            }
            replace(json);
            written = json.length;
            if (inPlace == null && json.length <= IN_PLACE_BYTES) {
                try {
                    inPlace = new RandomAccessFile(entry.toFile(), "rw");
                } catch (IOException e) {
                    // the next record replaces the file whole again
                }
            }
        }

        private void replace(byte[] json) {
            Path tmp = null;
            try {
                Files.createDirectories(directory);
                tmp = Files.createTempFile(
                        directory, entry.getFileName().toString(), ".tmp"); // owner-only, as it names files
                // a FileOutputStream, not an NIO channel: an interrupted channel closes and drops the write
                try (OutputStream out = new FileOutputStream(tmp.toFile())) {
                    out.write(json);
                }
                Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                deleteQuietly(tmp);
                throw new UncheckedIOException("cannot write the push checkpoint " + entry + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (inPlace != null) {
                try {
                    inPlace.close();
                } catch (IOException ignored) {
                    // written already: closing loses nothing
                }
                inPlace = null;
            }
        }
    }

    /** Drops the checkpoint of {@code file}: its next push starts from its first row. */
    public void forget(Path file) {
        deleteQuietly(entry(file.toAbsolutePath().normalize()));
    }

    /** One file per input path, named by a hash of it: paths may hold any character and be long. */
    private Path entry(Path file) {
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256").digest(file.toString().getBytes(StandardCharsets.UTF_8));
            return directory.resolve("push-" + HexFormat.of().formatHex(hash, 0, 16) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a stale checkpoint names content that is gone: it never matches again
            }
        }
    }
}
