package io.camelpowerbi.operations;

import java.time.Duration;

/**
 * How an import is waited for.
 *
 * @param pollInterval time between {@code GET imports/{id}} calls
 * @param timeout      the whole wait (the upload itself is not counted)
 */
public record ImportWaitOptions(Duration pollInterval, Duration timeout) {

    public ImportWaitOptions {
        Api.requirePositive(pollInterval, "pollInterval");
        Api.requirePositive(timeout, "waitTimeout");
    }

    /** Poll every 5 s for up to 30 minutes. */
    public static ImportWaitOptions defaults() {
        return new ImportWaitOptions(Duration.ofSeconds(5), Duration.ofMinutes(30));
    }
}
