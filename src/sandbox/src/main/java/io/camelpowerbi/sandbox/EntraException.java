package io.camelpowerbi.sandbox;

import java.io.IOException;

/** Carries an {@link EntraError} out of the token endpoint's validation code. */
public final class EntraException extends SandboxHttpException {

    private final EntraError error;

    public EntraException(EntraError error) {
        super(error.description());
        this.error = error;
    }

    public EntraError error() {
        return error;
    }

    @Override
    public int status() {
        return error.status();
    }

    @Override
    public void writeTo(SandboxExchange exchange) throws IOException {
        EntraEndpoints.standardHeaders(exchange);
        exchange.sendJson(error.status(), error.toJson(exchange.requestId(), exchange.correlationId(), exchange.now()));
    }
}
