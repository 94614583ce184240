package io.camelpowerbi.push;

/** What checking one row against the table gave: a row ready to send, or a rejected row with its reason. */
public sealed interface RowOutcome permits ValidRow, RejectedRow {

    long rowNumber();
}
