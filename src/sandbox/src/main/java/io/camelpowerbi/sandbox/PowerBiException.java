package io.camelpowerbi.sandbox;

import java.io.IOException;
import java.util.Map;

/** Carries a {@link PowerBiError} out of an API handler; the dispatcher writes it. */
public final class PowerBiException extends SandboxHttpException {

    private final PowerBiError error;

    public PowerBiException(PowerBiError error) {
        super("Power BI " + error.status() + " " + error.body());
        this.error = error;
    }

    public PowerBiError error() {
        return error;
    }

    @Override
    public int status() {
        return error.status();
    }

    @Override
    public void writeTo(SandboxExchange exchange) throws IOException {
        for (Map.Entry<String, String> h : error.headers().entrySet()) {
            exchange.setResponseHeader(h.getKey(), h.getValue());
        }
        exchange.sendJson(error.status(), error.body());
    }
}
