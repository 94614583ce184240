package io.camelpowerbi.push;

import io.camelpowerbi.CamelPowerBiException;

/** The table's schema cannot be had or read: the message says what exists and what to configure. */
public class SchemaException extends CamelPowerBiException {

    public SchemaException(String message) {
        super(message);
    }

    public SchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
