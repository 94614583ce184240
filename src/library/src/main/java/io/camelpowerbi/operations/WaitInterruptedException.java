package io.camelpowerbi.operations;

/**
 * The thread was interrupted (typically Camel shutting down) while an operation waited for Power BI. The interrupt flag
 * is set again before this is thrown, so callers further up still see it. The Power BI job itself keeps running.
 */
public class WaitInterruptedException extends PowerBiOperationException {

    public WaitInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
