package io.camelpowerbi.component;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the {@code powerbi:scan} consumer keeps in its {@code StateRepository} (the run's workspace list is kept apart,
 * under its own key, written once per run).
 *
 * @param checkpoint  modifiedSince of the next (or current) run; null: a full scan
 * @param runStarted  when the current run called workspaces/modified (its checkpoint once complete); null: no run
 * @param batchSize   how the current run's list is cut into getInfo batches (kept, so a restart cuts it the same way)
 * @param doneBatches indices of the batches whose workspaces were all delivered
 * @param partial     ids delivered so far of batches not yet done, per batch index (normally at most one batch)
 */
record ScanState(
        Instant checkpoint,
        Instant runStarted,
        int batchSize,
        Set<Integer> doneBatches,
        Map<Integer, Set<String>> partial) {

    ScanState {
        doneBatches = Collections.unmodifiableSet(new TreeSet<>(doneBatches));
        Map<Integer, Set<String>> copy = new LinkedHashMap<>();
        partial.forEach((batch, ids) -> copy.put(batch, Collections.unmodifiableSet(new LinkedHashSet<>(ids))));
        partial = Collections.unmodifiableMap(copy);
    }

    /** No run in progress; the next one lists the workspaces modified since {@code checkpoint} (null: all). */
    static ScanState idle(Instant checkpoint) {
        return new ScanState(checkpoint, null, 0, Set.of(), Map.of());
    }

    boolean running() {
        return runStarted != null;
    }

    ScanState started(Instant modifiedSince, Instant at, int size) {
        return new ScanState(modifiedSince, at, size, Set.of(), Map.of());
    }

    boolean delivered(int batch, String workspaceId) {
        return doneBatches.contains(batch)
                || partial.getOrDefault(batch, Set.of()).contains(workspaceId);
    }

    ScanState withDelivered(int batch, String workspaceId) {
        Map<Integer, Set<String>> p = new LinkedHashMap<>(partial);
        Set<String> ids = new LinkedHashSet<>(p.getOrDefault(batch, Set.of()));
        ids.add(workspaceId);
        p.put(batch, ids);
        return new ScanState(checkpoint, runStarted, batchSize, doneBatches, p);
    }

    ScanState withBatchDone(int batch) {
        Set<Integer> done = new TreeSet<>(doneBatches);
        done.add(batch);
        Map<Integer, Set<String>> p = new LinkedHashMap<>(partial);
        p.remove(batch);
        return new ScanState(checkpoint, runStarted, batchSize, done, p);
    }

    /** The run is over: its start becomes the checkpoint. */
    ScanState completed() {
        return idle(runStarted);
    }

    static final StateCodec<ScanState> CODEC = StateCodec.of(ScanState.class);
}
