package io.camelpowerbi.component;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A {@link StateRepository} kept in one file of {@code key=value} lines that is replaced whole on every change: the
 * new content goes to a temporary file beside it, which is then moved over it atomically. A process killed at any
 * moment leaves the previous or the new content, never a torn line.
 *
 * <p>Why not Camel's {@code FileStateRepository}: it appends each change in several writes and, past 1 MB and on every
 * stop, truncates the file in place before rewriting it, so a kill can leave a half line (the next start fails to
 * parse it) or an empty file (the checkpoint is gone and a whole history is delivered again). This class reads the
 * files it writes (the last line of a key wins), so existing state files keep working.
 *
 * <p>Survives a crash of the process; it does not fsync, so a power loss may lose the latest changes (they are then
 * delivered again). Made for a few keys with values of some kilobytes: every change writes the whole file.
 */
public final class AtomicFileStateRepository extends ServiceSupport implements StateRepository<String, String> {

    private final Path file;
    private final Map<String, String> cache = new LinkedHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();

    public AtomicFileStateRepository(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    public Path file() {
        return file;
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(file.getParent());
        lock.lock();
        try {
            cache.clear();
            if (Files.isRegularFile(file)) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                if (!text.isEmpty() && !text.endsWith("\n")) {
                    // a line torn by a kill in Camel's FileStateRepository: the key's previous line holds its value
                    text = text.substring(0, text.lastIndexOf('\n') + 1);
                }
                for (String line : text.split("\n")) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        cache.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setState(String key, String value) {
        if (key.indexOf('=') >= 0 || key.indexOf('\n') >= 0 || key.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("state key must not contain '=' or a line break: " + key);
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("state value of " + key + " must not contain a line break");
        }
        lock.lock();
        try {
            cache.put(key, value);
            write();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String getState(String key) {
        lock.lock();
        try {
            return cache.get(key);
        } finally {
            lock.unlock();
        }
    }

    private void write() {
        StringBuilder text = new StringBuilder();
        cache.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            // a FileOutputStream, not an NIO channel: a consumer being stopped is interrupted, and an interrupted
            // channel closes and drops the write of the event that was just delivered
            try (OutputStream out = new FileOutputStream(tmp.toFile())) {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort; the next write makes another
                }
            }
            throw new UncheckedIOException("cannot write the state file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void doStop() {
        // every change is already on disk
    }

    @Override
    public String toString() {
        return "AtomicFileStateRepository[" + file + "]";
    }
}
