package io.camelpowerbi.operations;

/** How an enhanced refresh commits its objects (Power BI's default is {@link #Transactional}). */
public enum CommitMode {
    /** Everything is committed at once, or nothing. */
    Transactional,
    /** Each batch is committed as it is done; a failure leaves the batches done so far. */
    PartialBatch
}
