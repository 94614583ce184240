package io.camelpowerbi.operations;

/** A refresh ended Failed, Cancelled, Disabled or TimedOut; the outcome holds Power BI's errors and messages. */
public class RefreshFailedException extends PowerBiOperationException {

    private final RefreshOutcome outcome;

    public RefreshFailedException(String message, RefreshOutcome outcome) {
        super(message);
        this.outcome = outcome;
    }

    public RefreshOutcome outcome() {
        return outcome;
    }
}
