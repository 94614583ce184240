package io.camelpowerbi.component;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * One run of the {@code powerbi:scan} consumer in memory: the modified workspaces cut into getInfo batches, and where
 * each batch is: waiting to be sent, scanning, or scanned with a result to deliver. A run outlives a failed poll (a
 * result already fetched is delivered from memory on the next one); after a restart it is rebuilt from the stored list.
 */
final class ScanRun {

    /** A getInfo scan of one batch. */
    static final class Scan {
        final int batch;
        final List<String> workspaceIds;
        final String id;
        final long startedNanos;
        long nextPollNanos;
        JsonNode result;

        Scan(int batch, List<String> workspaceIds, String id, long startedNanos, long nextPollNanos) {
            this.batch = batch;
            this.workspaceIds = workspaceIds;
            this.id = id;
            this.startedNanos = startedNanos;
            this.nextPollNanos = nextPollNanos;
        }
    }

    final Instant modifiedSince;
    final Instant started;
    final int workspaceCount;
    final List<List<String>> batches = new ArrayList<>();
    final Deque<Integer> waiting = new ArrayDeque<>();
    final List<Scan> scanning = new ArrayList<>();
    final Deque<Scan> ready = new ArrayDeque<>();
    /** Batches whose scan failed: sent again on the next poll, not in a loop within this one. */
    final List<Integer> retryNextPoll = new ArrayList<>();

    /** @param done batches already delivered (after a restart) */
    ScanRun(Instant modifiedSince, Instant started, List<String> workspaceIds, int batchSize, Set<Integer> done) {
        this.modifiedSince = modifiedSince;
        this.started = started;
        this.workspaceCount = workspaceIds.size();
        for (int from = 0; from < workspaceIds.size(); from += batchSize) {
            int batch = batches.size();
            batches.add(List.copyOf(workspaceIds.subList(from, Math.min(workspaceIds.size(), from + batchSize))));
            if (!done.contains(batch)) {
                waiting.add(batch);
            }
        }
    }

    /** Nothing left to do in this poll (failed batches may still wait for the next). */
    boolean drained() {
        return waiting.isEmpty() && scanning.isEmpty() && ready.isEmpty();
    }

    /** Every batch delivered. */
    boolean complete() {
        return drained() && retryNextPoll.isEmpty();
    }
}
