package io.camelpowerbi.sandbox;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The files and directories of one Lakehouse in OneLake, written the way the DFS (ADLS Gen2) Path API writes them:
 * create an empty file, append data at positions (uncommitted), flush at the total length (the appended ranges must be
 * contiguous from the file's committed end; Microsoft Learn, "Path - Update": "To flush, the previously uploaded data
 * must be contiguous, the position parameter must be specified and equal to the length of the file after all data has
 * been written"). Only flushed data is read. An append at a position already appended replaces that range (a resent
 * append); one before the committed end is refused (guess: InvalidFlushPosition). Paths are case-sensitive and relative
 * to the item ({@code Files/landing/orders.csv}); parents are created with a file, as in an account with a hierarchical
 * namespace.
 */
final class OneLakeFiles {

    /** A file or a directory. */
    static final class Entry {
        final boolean directory;
        byte[] committed = new byte[0];
        final TreeMap<Long, byte[]> uncommitted = new TreeMap<>();
        Instant lastModified;
        String etag;

        Entry(boolean directory, Instant now) {
            this.directory = directory;
            touch(now);
        }

        void touch(Instant now) {
            lastModified = now;
            etag = "\"0x" + Long.toHexString(now.toEpochMilli())
                    + UUID.randomUUID().toString().substring(0, 4).toUpperCase() + "\"";
        }

        long length() {
            return committed.length;
        }
    }

    private final Map<String, Entry> entries = new TreeMap<>();

    /** Creates (or, as the service does without {@code If-None-Match: *}, overwrites) a file or a directory. */
    synchronized Entry create(String path, boolean directory, boolean ifNoneMatch, Instant now) {
        Entry existing = entries.get(path);
        if (existing != null && ifNoneMatch) {
            throw StorageError.pathAlreadyExists();
        }
        if (existing != null && existing.directory != directory) {
            throw new StorageError(
                    409,
                    "PathConflict",
                    "The specified path, or an element of the path, exists and its "
                            + "resource type is invalid for this operation.");
        }
        if (existing != null && directory) {
            existing.touch(now);
            return existing;
        }
        for (String parent = parent(path); parent != null; parent = parent(parent)) {
            Entry p = entries.get(parent);
            if (p != null && !p.directory) {
                throw new StorageError(
                        409,
                        "PathConflict",
                        "The specified path, or an element of the path, exists and "
                                + "its resource type is invalid for this operation.");
            }
            entries.putIfAbsent(parent, new Entry(true, now));
        }
        Entry entry = new Entry(directory, now);
        entries.put(path, entry);
        return entry;
    }

    synchronized void append(String path, long position, byte[] data, Instant now) {
        Entry e = file(path);
        if (position < e.length()) {
            throw StorageError.invalidFlushPosition();
        }
        e.uncommitted.put(position, data);
        e.lastModified = now;
    }

    synchronized Entry flush(String path, long position, Instant now) {
        Entry e = file(path);
        long end = e.length();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(e.committed);
        for (Map.Entry<Long, byte[]> block : e.uncommitted.entrySet()) {
            if (block.getKey() != end) {
                throw StorageError.invalidFlushPosition();
            }
            out.writeBytes(block.getValue());
            end += block.getValue().length;
        }
        if (end != position) {
            throw StorageError.invalidFlushPosition();
        }
        e.committed = out.toByteArray();
        e.uncommitted.clear();
        e.touch(now);
        return e;
    }

    /** The flushed content of a file. */
    synchronized byte[] read(String path) {
        return file(path).committed.clone();
    }

    synchronized Entry entry(String path) {
        Entry e = entries.get(path);
        if (e == null) {
            throw StorageError.pathNotFound();
        }
        return e;
    }

    synchronized boolean exists(String path) {
        return entries.containsKey(path);
    }

    /** Deletes a file, or a directory with (recursive) or without what is in it. */
    synchronized void delete(String path, boolean recursive) {
        Entry e = entry(path);
        List<String> below = children(path, true);
        if (e.directory && !below.isEmpty() && !recursive) {
            throw new StorageError(
                    409,
                    "DirectoryNotEmpty",
                    "The recursive query parameter value must be true to " + "delete a non-empty directory.");
        }
        below.forEach(entries::remove);
        entries.remove(path);
    }

    /** The files (not directories) directly in {@code directory}, or anywhere below it when {@code recursive}. */
    synchronized List<String> files(String directory, boolean recursive) {
        return children(directory, recursive).stream()
                .filter(p -> !entries.get(p).directory)
                .toList();
    }

    synchronized List<String> paths() {
        return List.copyOf(entries.keySet());
    }

    private List<String> children(String directory, boolean recursive) {
        String prefix = directory + "/";
        List<String> out = new ArrayList<>();
        for (String p : entries.keySet()) {
            if (p.startsWith(prefix) && (recursive || p.indexOf('/', prefix.length()) < 0)) {
                out.add(p);
            }
        }
        return out;
    }

    private Entry file(String path) {
        Entry e = entries.get(path);
        if (e == null || e.directory) {
            throw StorageError.pathNotFound();
        }
        return e;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? null : path.substring(0, slash);
    }
}
