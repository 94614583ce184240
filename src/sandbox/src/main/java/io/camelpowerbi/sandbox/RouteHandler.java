package io.camelpowerbi.sandbox;

/** Serves one route. Throw a {@link SandboxHttpException} to answer with an error in the endpoint's own shape. */
@FunctionalInterface
public interface RouteHandler {
    void handle(SandboxExchange exchange) throws Exception;
}
