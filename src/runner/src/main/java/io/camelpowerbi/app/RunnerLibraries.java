package io.camelpowerbi.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Other Camel components (and their dependencies) for the runner: the jars in {@code lib/} beside the executable jar
 * and in {@code lib/} of the working directory, put on a class loader that Camel uses to find components, data
 * formats, languages and bean classes the way it finds its own ({@code META-INF/services/org/apache/camel/...}).
 */
final class RunnerLibraries {

    static final String DIRECTORY = "lib";

    private RunnerLibraries() {}

    /** The jars of {@code lib/} in each of {@code dirs} (missing ones skipped), each jar once, sorted by name per dir. */
    static List<Path> jars(List<Path> dirs) {
        Set<Path> jars = new LinkedHashSet<>();
        for (Path dir : dirs) {
            Path lib = dir.resolve(DIRECTORY);
            if (!Files.isDirectory(lib)) {
                continue;
            }
            try (Stream<Path> files = Files.list(lib)) {
                files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                        .sorted()
                        .forEach(f -> jars.add(f.toAbsolutePath().normalize()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + lib.toAbsolutePath() + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(jars);
    }

    /** Where to look: beside the executable jar (when running from one), then the working directory. */
    static List<Path> directories() {
        List<Path> dirs = new ArrayList<>();
        try {
            Path code = Path.of(RunnerLibraries.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (Files.isRegularFile(code)) {
                dirs.add(code.toAbsolutePath().getParent());
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // not from a jar file: only the working directory
        }
        dirs.add(Path.of("").toAbsolutePath());
        return dirs;
    }

    /** A class loader over {@code jars} whose parent is {@code parent}; {@code parent} itself when there are none. */
    static ClassLoader loader(List<Path> jars, ClassLoader parent) {
        if (jars.isEmpty()) {
            return parent;
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("not a jar path: " + jars.get(i), e);
            }
        }
        return new URLClassLoader("camel-powerbi-lib", urls, parent);
    }
}
