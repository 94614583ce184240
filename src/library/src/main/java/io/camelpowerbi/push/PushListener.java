package io.camelpowerbi.push;

import java.time.Duration;

/**
 * Hears what {@link PushPipeline} does, for metrics; never sees a row. Called on the pushing thread: implementations
 * must be quick and must not throw.
 */
public interface PushListener {

    PushListener NONE = new PushListener() {};

    /** Power BI accepted a batch of {@code rows} rows into dataset {@code datasetId}. */
    default void batchAccepted(String datasetId, int rows) {}

    /**
     * A batch waited {@code waited} for the dataset's rate limits (requests a minute, rows an hour, requests pending)
     * before it could be sent.
     */
    default void throttled(String datasetId, Duration waited) {}
}
