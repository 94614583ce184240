package io.camelpowerbi.operations;

/** A dataflow refresh ended without success (failed or cancelled); the transaction says how. */
public class DataflowRefreshFailedException extends PowerBiOperationException {

    private final transient DataflowTransaction transaction;

    public DataflowRefreshFailedException(String message, DataflowTransaction transaction) {
        super(message);
        this.transaction = transaction;
    }

    public DataflowTransaction transaction() {
        return transaction;
    }
}
