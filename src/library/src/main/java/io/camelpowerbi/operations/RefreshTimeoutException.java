package io.camelpowerbi.operations;

import java.time.Duration;

/** A refresh was still running when the wait ran out; {@link #cancelled()} tells whether it was cancelled. */
public class RefreshTimeoutException extends OperationTimeoutException {

    private final boolean cancelled;

    public RefreshTimeoutException(
            String message, String refreshId, String lastState, Duration timeout, boolean cancelled) {
        super(message, refreshId, lastState, timeout);
        this.cancelled = cancelled;
    }

    public boolean cancelled() {
        return cancelled;
    }
}
