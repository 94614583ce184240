package io.camelpowerbi.operations;

import io.camelpowerbi.CamelPowerBiException;

/**
 * The common type of what an operation raises when Power BI accepted a request but the job behind it did not end well
 * (a failed refresh, export or import, a truncated query, a timeout). Routes can catch this one type with
 * {@code onException}. Refusals of a request itself stay {@link io.camelpowerbi.client.PowerBiException}s, unless an
 * operation knows better (for example {@link RefreshAlreadyRunningException}, {@link DaxQueryException}).
 */
public class PowerBiOperationException extends CamelPowerBiException {

    public PowerBiOperationException(String message) {
        super(message);
    }

    public PowerBiOperationException(String message, Throwable cause) {
        super(message, cause);
    }
}
