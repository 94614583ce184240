package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The consumers' one state encoding: what is written is read back, and anything else starts afresh. */
class StateCodecTest {

    static final Instant T = Instant.parse("2026-03-31T00:30:00.123Z");

    @Test
    void eachConsumersStateIsReadBackAsWritten() {
        var checkpoint = new ActivityEventsConsumer.Checkpoint(T, Set.of("a", "b"));
        assertEquals(
                checkpoint,
                ActivityEventsConsumer.Checkpoint.CODEC.decode(
                        ActivityEventsConsumer.Checkpoint.CODEC.encode(checkpoint)));

        var root = new RefreshesConsumer.Root(T, Set.of("d1", "d2"), Set.of("f1"));
        StateCodec<RefreshesConsumer.Root> roots = StateCodec.of(RefreshesConsumer.Root.class);
        assertEquals(root, roots.decode(roots.encode(root)));
        assertEquals(
                new RefreshesConsumer.Root(T, Set.of("d1"), Set.of()),
                roots.decode("{\"v\":1,\"state\":{\"since\":\"2026-03-31T00:30:00.123Z\",\"datasets\":[\"d1\"]}}"),
                "stored before dataflows were watched: read, with no dataflows");

        var scan = new ScanState(null, T, 100, Set.of(0, 2), Map.of(1, Set.of("w1", "w2")));
        assertEquals(scan, ScanState.CODEC.decode(ScanState.CODEC.encode(scan)));

        StateCodec<List<String>> list = StateCodec.of(new TypeReference<List<String>>() {});
        assertEquals(List.of("x", "y", "x"), list.decode(list.encode(List.of("x", "y", "x"))));
    }

    @Test
    void oneLineOfJsonWithItsVersion() {
        String text = ActivityEventsConsumer.Checkpoint.CODEC.encode(
                new ActivityEventsConsumer.Checkpoint(T, Set.of("id=1")));
        assertEquals("{\"v\":1,\"state\":{\"start\":\"2026-03-31T00:30:00.123Z\",\"delivered\":[\"id=1\"]}}", text);
    }

    @Test
    void missingClearedTornOrForeignValuesStartAfresh() {
        StateCodec<ScanState> codec = ScanState.CODEC;
        String written = codec.encode(ScanState.idle(T));
        assertNull(codec.decode(null));
        assertNull(codec.decode(""), "a cleared key");
        assertNull(codec.decode(written.substring(0, written.length() / 2)), "torn by a kill mid-write");
        assertNull(codec.decode(written.replace("\"v\":1", "\"v\":2")), "another version");
        assertNull(codec.decode("v1;2026-01-01T00:00:00Z;id1"), "the old hand-written form");
        assertNull(codec.decode("{\"v\":1,\"state\":{\"checkpoint\":\"not an instant\"}}"));
    }
}
