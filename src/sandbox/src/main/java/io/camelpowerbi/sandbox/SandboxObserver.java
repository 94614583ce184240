package io.camelpowerbi.sandbox;

/**
 * Told about every exchange the sandbox answers (or drops), just before the answer leaves: to record traffic, to
 * check it against a contract, to count it. Observers are found with {@link java.util.ServiceLoader} when a sandbox
 * starts (a {@code META-INF/services/io.camelpowerbi.sandbox.SandboxObserver} file on the classpath) and added with
 * {@link Sandbox#addObserver(SandboxObserver)}.
 *
 * <p>An observer runs on the sandbox's request thread, before the client sees the answer, so what it records is in
 * place when the client's call returns; keep it quick. What it throws is logged and does not change the answer. It sees
 * the exchange as sent, secrets included (bearer tokens, client secrets, assertions in token requests): never log
 * headers or bodies as they are.
 */
@FunctionalInterface
public interface SandboxObserver {

    void exchanged(ObservedExchange exchange);
}
