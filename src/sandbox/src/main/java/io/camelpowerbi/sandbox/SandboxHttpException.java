package io.camelpowerbi.sandbox;

import java.io.IOException;

/**
 * An error answer in the shape of the service that gives it (Entra or Power BI). Thrown anywhere below a route
 * handler; the dispatcher writes it. No stack trace: these are expected outcomes, not bugs.
 */
public abstract class SandboxHttpException extends RuntimeException {

    protected SandboxHttpException(String message) {
        super(message, null, false, false);
    }

    /** HTTP status of the answer. */
    public abstract int status();

    /** Writes the answer (status, headers and body). */
    public abstract void writeTo(SandboxExchange exchange) throws IOException;

    /** A plain answer: {@code {"error":{"code":code,"message":message}}} with {@code status}. */
    public static SandboxHttpException of(int status, String code, String message) {
        return new SandboxHttpException(message) {
            @Override
            public int status() {
                return status;
            }

            @Override
            public void writeTo(SandboxExchange exchange) throws IOException {
                com.fasterxml.jackson.databind.node.ObjectNode body = Json.object();
                body.putObject("error").put("code", code).put("message", message);
                exchange.sendJson(status, body);
            }
        };
    }
}
