package io.camelpowerbi.client;

import java.time.Duration;

/** Hears what {@link PowerBiClient} goes through, for metrics and health; never sees a token or a body. */
public interface CallListener {

    CallListener NONE = new CallListener() {
    };

    /** A call answered {@code status} (429 or 5xx) and is retried after {@code wait}. */
    default void retrying(int status, Duration wait) {
    }

    /** A call failed for good with {@code status} and Power BI's {@code errorCode} (may be null). */
    default void failed(int status, String errorCode) {
    }
}
