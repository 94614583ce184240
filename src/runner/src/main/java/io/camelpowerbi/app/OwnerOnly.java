package io.camelpowerbi.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * What the runner writes is its user's alone: the data directory 0700, its files 0600 (the database holds user ids and
 * client IPs, the rejected rows whatever the input held). On file systems without POSIX permissions this does nothing.
 */
final class OwnerOnly {

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnly() {}

    /**
     * Creates {@code dir} (and missing parents) if missing, the last one owner-only. An existing directory is left as
     * it is: it may be shared on purpose.
     */
    static Path directory(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                return dir;
            }
            Files.createDirectories(dir);
            if (POSIX) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** Makes an existing file readable and writable by its owner only. */
    static void file(Path file) {
        if (POSIX && Files.isRegularFile(file)) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot make " + file.toAbsolutePath() + " owner-only: " + e.getMessage(), e);
            }
        }
    }
}
