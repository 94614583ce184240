package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint file of the consumers: what a restart reads back, and what an earlier crash may have left. */
class AtomicFileStateRepositoryTest {

    @TempDir
    Path dir;

    @Test
    void aRestartReadsBackTheLatestValueOfEachKey() throws Exception {
        Path file = dir.resolve("state/activity.dat");
        AtomicFileStateRepository first = new AtomicFileStateRepository(file);
        first.start();
        first.setState("a", "v1;2026-01-01T00:00:00Z;id1");
        first.setState("b", "other");
        first.setState("a", "v1;2026-01-01T00:00:00Z;id1,id2");
        first.stop();

        AtomicFileStateRepository second = new AtomicFileStateRepository(file);
        second.start();
        assertEquals("v1;2026-01-01T00:00:00Z;id1,id2", second.getState("a"));
        assertEquals("other", second.getState("b"));
        assertNull(second.getState("c"));
        assertEquals(
                List.of("a=v1;2026-01-01T00:00:00Z;id1,id2", "b=other"),
                Files.readAllLines(file, StandardCharsets.UTF_8),
                "one line a key, no history");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void readsAFileLeftByCamelsFileStateRepositoryIncludingATornLastLine() throws Exception {
        // appended history (the last line of a key wins) and the half line a kill during an append can leave
        Path file = dir.resolve("old.dat");
        Files.writeString(file, "a=v1;2026-01-01T00:00:00Z;\na=v1;2026-01-01T00:00:00Z;id1\nb=x\npowerbi-act");
        AtomicFileStateRepository repo = new AtomicFileStateRepository(file);
        repo.start();
        assertEquals("v1;2026-01-01T00:00:00Z;id1", repo.getState("a"));
        assertEquals("x", repo.getState("b"));

        // torn inside a value: the key's previous line wins, not the fragment
        Files.writeString(file, "a=v1;2026-01-01T00:00:00Z;id1\na=v1;2026-01-0");
        AtomicFileStateRepository again = new AtomicFileStateRepository(file);
        again.start();
        assertEquals("v1;2026-01-01T00:00:00Z;id1", again.getState("a"));
    }

    @Test
    void refusesKeysAndValuesTheLineFormatCannotHold() throws Exception {
        AtomicFileStateRepository repo = new AtomicFileStateRepository(dir.resolve("s.dat"));
        repo.start();
        assertThrows(IllegalArgumentException.class, () -> repo.setState("a=b", "v"));
        assertThrows(IllegalArgumentException.class, () -> repo.setState("a", "v\nw"));
    }
}
