package io.camelpowerbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The jars as built: the library holds the component and nothing of the sandbox or the runner; all carry the license. */
class LibraryJarIT {

    static Path jar(String prefix) throws Exception {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> found = files.filter(
                            p -> p.getFileName().toString().matches(prefix + "-[0-9][^-]*(-SNAPSHOT)?\\.jar"))
                    .toList();
            assertEquals(1, found.size(), prefix + " jars in target/: " + found);
            return found.get(0);
        }
    }

    static List<String> entries(Path jar) throws Exception {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(e -> e.getName()).toList();
        }
    }

    @Test
    void theLibraryJarHoldsTheComponentAndNothingOfTheSandboxOrTheRunner() throws Exception {
        List<String> entries = entries(jar("camel-powerbi"));
        assertTrue(entries.contains("io/camelpowerbi/component/PowerBiComponent.class"), "the component");
        assertTrue(entries.contains("META-INF/io/camelpowerbi/component/powerbi.json"), "the catalog");
        assertTrue(entries.contains("kamelets/powerbi-push-rows-sink.kamelet.yaml"), "the Kamelets");
        List<String> foreign = entries.stream()
                .filter(e -> e.startsWith("io/camelpowerbi/sandbox/")
                        || e.startsWith("io/camelpowerbi/app/")
                        || e.endsWith("log4j2.xml")
                        || e.endsWith("log4j2-test.xml")
                        || e.startsWith("META-INF/services/org/apache/camel/dataformat/"))
                .toList();
        assertEquals(List.of(), foreign, "sandbox, runner or logging configuration in the library jar");
    }

    @Test
    void everyJarCarriesTheLicenseAndNotice() throws Exception {
        for (Path jar :
                List.of(jar("camel-powerbi"), jar("camel-powerbi-sandbox"), Path.of("target", "camel-powerbi.jar"))) {
            List<String> entries = entries(jar);
            assertTrue(
                    entries.contains("META-INF/LICENSE") && entries.contains("META-INF/NOTICE"),
                    jar + ": "
                            + entries.stream()
                                    .filter(e -> e.startsWith("META-INF/L") || e.startsWith("META-INF/N"))
                                    .toList());
        }
    }

    @Test
    void theSandboxJarHoldsTheEmulatorAndItsTestSupportOnly() throws Exception {
        List<String> entries = entries(jar("camel-powerbi-sandbox"));
        assertTrue(entries.contains("io/camelpowerbi/sandbox/Sandbox.class"));
        assertTrue(entries.contains("io/camelpowerbi/sandbox/testing/PowerBiSandbox.class"));
        assertEquals(
                List.of(),
                entries.stream()
                        .filter(e -> e.startsWith("io/camelpowerbi/")
                                && !e.equals("io/camelpowerbi/")
                                && !e.startsWith("io/camelpowerbi/sandbox/"))
                        .toList());
    }
}
