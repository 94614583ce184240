package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.camelpowerbi.IsolatedClassLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that embeds the library without Micrometer (it is optional in the pom): the component pushes rows and
 * answers its health checks, and never loads its Micrometer class. Runs {@link WithoutMicrometerScenario} in a class
 * loader that holds the test class path minus Micrometer, Prometheus and camel-micrometer.
 */
class WithoutMicrometerTest {

    @TempDir
    Path dir;

    @Test
    void theComponentWorksAndStaysQuietWithoutMicrometer() throws Exception {
        try (IsolatedClassLoader loader =
                IsolatedClassLoader.without("/io/micrometer/", "/io/prometheus/", "camel-micrometer")) {
            assertThrows(
                    ClassNotFoundException.class,
                    () -> loader.loadClass("io.micrometer.core.instrument.MeterRegistry"));
            @SuppressWarnings("unchecked")
            Callable<String> scenario = (Callable<String>) loader.loadClass(WithoutMicrometerScenario.class.getName())
                    .getConstructor(Path.class)
                    .newInstance(dir);
            // Camel finds its factories through the context class loader
            Thread thread = Thread.currentThread();
            ClassLoader before = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                assertEquals("rows pushed: 250; powerbi-api-reachable UP; powerbi-token-engine UP", scenario.call());
            } finally {
                thread.setContextClassLoader(before);
            }
            assertNull(loader.loaded(MicrometerMetrics.class.getName()), "MicrometerMetrics was loaded");
        }
    }
}
