package io.camelpowerbi.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README's main command, run as a newcomer would after cloning: the {@code java -jar ...} part of the first command
 * block (the {@code mvn package} part is what built the jar this integration test runs after), in a directory that
 * holds only what a checkout holds ({@code config/}, {@code routes/}) and the built jar. Runs in {@code verify} after
 * {@code package}, through failsafe.
 */
class ReadmeRunIT {

    private static final Pattern MAIN_COMMAND = Pattern.compile("```sh\\n(mvn [^\\n]*&& (java -jar [^\\n]+))\\n```");

    @Test
    void readmesRunCommandCompletesTheSampleJobWithACorrectSummaryInUnderTwoMinutes() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = MAIN_COMMAND.matcher(readme);
        assertTrue(m.find(), "README's first command block must be 'mvn ... && java -jar ...'");
        String command = m.group(2).trim();

        Path checkout = Path.of("target", "readme-run").toAbsolutePath();
        deleteTree(checkout);
        copyTree(Path.of("config"), checkout.resolve("config"));
        copyTree(Path.of("routes"), checkout.resolve("routes"));
        Files.createDirectories(checkout.resolve("target"));
        Files.copy(Path.of("target", "camel-powerbi.jar"), checkout.resolve("target/camel-powerbi.jar"));

        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command)
                .directory(checkout.toFile())
                .redirectErrorStream(true)
                .redirectOutput(checkout.resolve("run.log").toFile());
        // the JDK running the tests, as `java` on the PATH
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        long start = System.nanoTime();
        Process process = pb.start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        String out = Files.readString(checkout.resolve("run.log"), StandardCharsets.UTF_8);
        System.out.println(out);
        assertTrue(finished, "README's run command did not finish within 2 minutes:\n" + out);
        assertEquals(0, process.exitValue(), out);
        assertTrue(seconds < 120, "took " + seconds + " s");

        String summary = out.substring(out.lastIndexOf("Summary ("));
        assertTrue(summary.contains("rows pushed:    100,000 (1 push)"), summary);
        assertTrue(summary.contains("rows rejected:  " + RunnerSampleData.BAD_ROWS.length), summary);
        assertTrue(summary.contains("refresh:        Completed"), summary);
        // the last day of the sandbox's activity log, in the embedded H2 file under data/
        assertTrue(
                Pattern.compile("database rows:  [1-9][0-9,]* written \\(jdbc:h2:file:" + "\\./data/database/powerbi;")
                        .matcher(summary)
                        .find(),
                summary);
        assertTrue(summary.contains("the routes' work is done"), summary);
        assertTrue(summary.contains("result:         OK"), summary);
        // every file the summary names exists, and the sample routes wrote the kinds README promises
        List<String> files = summary.lines()
                .map(String::trim)
                .filter(l -> l.startsWith("data/"))
                .toList();
        for (String f : files) {
            assertTrue(Files.isRegularFile(checkout.resolve(f)), "the summary names " + f + ", which does not exist");
        }
        assertTrue(files.stream().anyMatch(f -> f.startsWith("data/out/") && f.endsWith(".csv")), summary);
        assertTrue(files.stream().anyMatch(f -> f.startsWith("data/exports/") && f.endsWith(".pdf")), summary);
        assertTrue(files.stream().anyMatch(f -> f.startsWith("data/rejected/")), summary);
        assertTrue(Files.exists(checkout.resolve("data/inbox/done/orders.csv")), "the orders file moved to done/");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p :
                    paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
