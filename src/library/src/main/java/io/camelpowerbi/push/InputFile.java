package io.camelpowerbi.push;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A file being pushed, as the push found it: its size, modification time and a hash of its first 64 KiB. It tells
 * whether the file changed while it was read (a writer still at work, a file replaced under the same name), and whether
 * a file met after a crash is the one a {@link PushCheckpoints checkpoint} was written for.
 *
 * @param path          absolute and normalised
 * @param size          in bytes
 * @param modifiedNanos modification time, nanoseconds since the epoch (as precise as the file system keeps it)
 * @param head          SHA-256 of the first {@value #HEAD_BYTES} bytes, hex, first 16 bytes of it
 */
public record InputFile(Path path, long size, long modifiedNanos, String head) {

    static final int HEAD_BYTES = 64 * 1024;

    /** The file as it is now. */
    public static InputFile of(Path file) {
        Path path = file.toAbsolutePath().normalize();
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            byte[] head;
            try (InputStream in = Files.newInputStream(path)) {
                head = in.readNBytes(HEAD_BYTES);
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return new InputFile(
                    path,
                    attributes.size(),
                    attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                    HexFormat.of().formatHex(sha.digest(head), 0, 16));
        } catch (NoSuchFileException e) {
            throw new RowSourceException(0, "the file " + path + " does not exist", e);
        } catch (IOException e) {
            throw new RowSourceException(0, "cannot open " + path + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * What changed since, or null when its size and modification time are still the same. One {@code stat}: cheap
     * enough for every batch.
     */
    String change() {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return "it was deleted or moved away";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look at " + path + " again: " + e.getMessage(), e);
        }
        if (now.size() != size) {
            return String.format(Locale.ROOT, "its size went from %,d to %,d bytes", size, now.size());
        }
        long modified = now.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        if (modified != modifiedNanos) {
            return "it was modified at " + Instant.ofEpochSecond(0, modified) + " (it was "
                    + Instant.ofEpochSecond(0, modifiedNanos) + ")";
        }
        return null;
    }
}
