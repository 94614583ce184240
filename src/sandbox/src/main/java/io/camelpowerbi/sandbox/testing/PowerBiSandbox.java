package io.camelpowerbi.sandbox.testing;

import io.camelpowerbi.component.PowerBiComponent;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxClock;
import io.camelpowerbi.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A sandbox for the tests of one class, as a JUnit 5 extension: started before the first test (on a free port, its key
 * material in a temporary directory), stopped and removed after the last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static PowerBiSandbox powerBi = PowerBiSandbox.create();
 *
 * // in the test: point the context's powerbi component at it, then run your routes
 * powerBi.configure(context);
 * }</pre>
 *
 * {@link #startingAt(Instant)} runs its clock from a fixed instant (its seeded activity log has quiet nights and one-day
 * windows), {@link #withConfig(UnaryOperator)} changes its configuration, {@link #sandbox()} reads what arrived and
 * injects faults.
 */
public final class PowerBiSandbox implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final UnaryOperator<SandboxConfig> config;
    private final Instant start;
    private Sandbox sandbox;
    private Path stateDir;

    private PowerBiSandbox(UnaryOperator<SandboxConfig> config, Instant start) {
        this.config = config;
        this.start = start;
    }

    /** The default sandbox: the development tenant, app and content; the system clock. */
    public static PowerBiSandbox create() {
        return new PowerBiSandbox(UnaryOperator.identity(), null);
    }

    /** The same with its clock starting at {@code instant} (it runs on from there). */
    public PowerBiSandbox startingAt(Instant instant) {
        return new PowerBiSandbox(config, instant);
    }

    /** The same with its configuration changed, e.g. {@code c -> c.with(SandboxConfig::extraWorkspaces, 10)}. */
    public PowerBiSandbox withConfig(UnaryOperator<SandboxConfig> change) {
        return new PowerBiSandbox(c -> change.apply(config.apply(c)), start);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startOnce();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        startOnce(); // registered on an instance field: it starts with the first test
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** The running sandbox: its state, clock, faults and content. */
    public Sandbox sandbox() {
        startOnce();
        return sandbox;
    }

    /** Points {@code configuration} at the sandbox: authority, API, the development app's certificate, TLS, clock. */
    public PowerBiConfiguration configure(PowerBiConfiguration configuration) {
        return new LocalSandbox(sandbox()).configure(configuration);
    }

    /** Points the {@code powerbi} component of {@code context} at the sandbox (added when the context has none). */
    public CamelContext configure(CamelContext context) {
        PowerBiComponent component = context.getComponent("powerbi", PowerBiComponent.class);
        configure(component.getConfiguration());
        return context;
    }

    private synchronized void startOnce() {
        if (sandbox != null) {
            return;
        }
        try {
            stateDir = Files.createTempDirectory("camel-powerbi-sandbox");
            SandboxConfig c = config.apply(SandboxConfig.defaults().with(SandboxConfig::stateDir, stateDir));
            sandbox = Sandbox.start(c, start == null ? Clock.systemUTC() : SandboxClock.startingAt(start));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Power BI sandbox: " + e.getMessage(), e);
        }
    }

    private synchronized void close() {
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
        if (stateDir != null) {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temporary directory: what is left is the OS's to clear
            }
            stateDir = null;
        }
    }
}
