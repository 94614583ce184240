package io.camelpowerbi.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The file to import: a path (preferred: it is streamed from disk, and a retry reads it again) or bytes already in
 * memory with the name they would have on disk (the extension decides how Power BI reads them).
 */
public record ImportSource(Path path, byte[] bytes, String fileName) {

    public ImportSource {
        if ((path == null) == (bytes == null)) {
            throw new IllegalArgumentException("an import source is either a path or bytes");
        }
        if (path != null) {
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new IllegalArgumentException(
                        "the file to import does not exist or cannot be read: " + path.toAbsolutePath());
            }
            fileName = fileName == null ? String.valueOf(path.getFileName()) : fileName;
        }
        if (fileName == null || fileName.isBlank()) {
            throw new IllegalArgumentException(
                    "bytes to import need a file name with its extension (.pbix, .rdl or .xlsx)");
        }
    }

    public static ImportSource of(Path path) {
        return new ImportSource(path, null, null);
    }

    public static ImportSource of(byte[] bytes, String fileName) {
        return new ImportSource(null, Objects.requireNonNull(bytes, "bytes"), fileName);
    }

    public long size() {
        if (bytes != null) {
            return bytes.length;
        }
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + path, e);
        }
    }

    /** The extension in lower case without its dot, e.g. {@code pbix}; empty when there is none. */
    public String extension() {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "ImportSource[" + fileName + (bytes != null ? ", " + bytes.length + " bytes]" : ", " + path + "]");
    }
}
