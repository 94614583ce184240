package io.camelpowerbi.operations;

/**
 * A DAX query failed (Power BI answered 400) or its result was truncated. The message quotes the start of the query so
 * the failing one can be told apart in a log; {@link #truncated()} tells the two cases apart.
 */
public class DaxQueryException extends PowerBiOperationException {

    private final boolean truncated;

    public DaxQueryException(String message, boolean truncated, Throwable cause) {
        super(message, cause);
        this.truncated = truncated;
    }

    public boolean truncated() {
        return truncated;
    }
}
