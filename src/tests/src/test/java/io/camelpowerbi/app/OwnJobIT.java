package io.camelpowerbi.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * README's "Write your own job", as a newcomer follows it with the built jar: its files written into a directory outside
 * the repository (nothing of the sample there), its command run. Runs in {@code verify} after {@code package}.
 */
class OwnJobIT {

    private static final Path JAR = Path.of("target", "camel-powerbi.jar").toAbsolutePath();
    private static final Pattern FILE =
            Pattern.compile("File `([^`]+)`[^\\n]*:\\n\\n```[a-z]*\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern COMMAND =
            Pattern.compile("```sh\\n(java -jar \"\\$CAMEL_POWERBI_JAR\" run [^\\n]+)\\n```");

    @Test
    void readmesOwnJobRunsFromAnyDirectoryWithNothingOfTheSample() throws Exception {
        Readme readme = readme();
        Path job = jobDirectory(readme);

        long start = System.nanoTime();
        Run run = bash(job, readme.command, Duration.ofSeconds(60));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertEquals(0, run.status, run.out);
        assertTrue(seconds < 60, "took " + seconds + " s");
        assertTrue(run.out.contains("the routes' work is done") && run.out.contains("result:         OK"), run.out);

        // its log: steps are visible, at INFO under the route id
        assertTrue(run.out.contains("INFO  orders - orders.csv: 4 rows pushed, 0 rejected"), run.out);
        assertTrue(run.out.contains("INFO  orders - the top 3 orders are in out/top-orders.csv"), run.out);
        // its CSV: the three largest orders of README's file, read back from the sandbox through DAX
        List<String> csv = Files.readAllLines(job.resolve("out/top-orders.csv"));
        assertEquals("OrderId,OrderedAt,Customer,Amount", csv.get(0));
        assertEquals(
                topThreeCustomers(readme.files.get("inbox/orders.csv")),
                csv.subList(1, csv.size()).stream().map(l -> l.split(",")[2]).toList(),
                csv.toString());
        assertTrue(Files.exists(job.resolve("inbox/done/orders.csv")));

        // nothing of the sample: no broker, no database, no sample data
        assertFalse(
                run.out.contains("Artemis") || run.out.contains("AMQ") || run.out.contains("[camel-powerbi] database"),
                run.out);
        assertFalse(
                Files.exists(job.resolve("data/broker"))
                        || Files.exists(job.resolve("data/database"))
                        || Files.exists(job.resolve("data/inbox")),
                "only data/sandbox is created");
    }

    @Test
    void readmesOwnJobAgainstASeparatelyStartedSandboxLeavesItsRowsThere() throws Exception {
        Readme readme = readme();
        Path job = jobDirectory(readme);
        Process sandbox = new ProcessBuilder(java(), "-jar", JAR.toString(), "sandbox")
                .directory(job.toFile())
                .redirectErrorStream(true)
                .redirectOutput(job.resolve("sandbox.log").toFile())
                .start();
        Path connection = job.resolve("data/sandbox/sandbox-connection.json");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(connection) || !sandbox.isAlive());
            assertTrue(sandbox.isAlive(), Files.readString(job.resolve("sandbox.log")));

            Run run = bash(
                    job, readme.command + " --powerbi.sandbox.connection-file=" + connection, Duration.ofSeconds(60));
            assertEquals(0, run.status, run.out);
            assertTrue(run.out.contains("using the sandbox at"), run.out);

            JsonNode file = new ObjectMapper().readTree(connection.toFile());
            HttpClient http = HttpClient.newBuilder()
                    .sslContext(trusting(
                            Path.of(file.path("tlsTrustStoreFile").asText()),
                            file.path("tlsTrustStorePassword").asText()))
                    .build();
            JsonNode state = new ObjectMapper()
                    .readTree(http.send(
                                    HttpRequest.newBuilder(URI.create(
                                                    file.path("baseUrl").asText() + "/_sandbox/state"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
            List<Integer> rows = new ArrayList<>();
            state.findValues("datasets")
                    .forEach(ds -> ds.forEach(d -> {
                        if (d.path("name").asText().equals("Orders")) {
                            d.path("tables")
                                    .forEach(t -> rows.add(t.path("rowCount").asInt()));
                        }
                    }));
            assertEquals(List.of(4), rows, "the user's four rows are in the sandbox's Orders table");
        } finally {
            sandbox.destroy(); // SIGTERM, as Ctrl-C
            sandbox.waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(Files.exists(connection), "the connection file goes with its sandbox");
    }

    @Test
    void aComponentJarInLibIsFoundLikeCamelsOwn() throws Exception {
        Path job = Files.createTempDirectory("camel-powerbi-lib-job");
        Files.writeString(job.resolve("seda.camel.yaml"), """
                - route:
                    id: producer
                    from:
                      uri: timer:once?repeatCount=1
                      steps:
                        - setBody: { constant: "through seda" }
                        - to: seda:hand-over
                - route:
                    id: consumer
                    from:
                      uri: seda:hand-over
                      steps:
                        - log: "received ${body}"
                """);
        Run without = bash(job, "java -jar \"$CAMEL_POWERBI_JAR\" run seda.camel.yaml", Duration.ofSeconds(60));
        assertEquals(1, without.status, without.out);
        assertTrue(
                without.out.contains("seda") && without.out.contains("in lib/ beside camel-powerbi.jar"), without.out);

        Path seda = localRepository().resolve("org/apache/camel/camel-seda/4.18.0/camel-seda-4.18.0.jar");
        assertTrue(Files.isRegularFile(seda), "camel-seda is in the local Maven repository: " + seda);
        Files.createDirectories(job.resolve("lib"));
        Files.copy(seda, job.resolve("lib").resolve(seda.getFileName()));
        Run with = bash(job, "java -jar \"$CAMEL_POWERBI_JAR\" run seda.camel.yaml", Duration.ofSeconds(60));
        assertEquals(0, with.status, with.out);
        assertTrue(with.out.contains("1 jar(s) from lib/: camel-seda-4.18.0.jar"), with.out);
        assertTrue(with.out.contains("INFO  consumer - received through seda"), with.out);
    }

    private record Readme(Map<String, String> files, String command) {}

    private static Readme readme() throws IOException {
        String text = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int from = text.indexOf("## Write your own job");
        assertTrue(from >= 0, "README has a 'Write your own job' section");
        String section = text.substring(from, text.indexOf("\n## ", from + 5));
        Map<String, String> files = new LinkedHashMap<>();
        Matcher m = FILE.matcher(section);
        while (m.find()) {
            files.put(m.group(1), m.group(2));
        }
        assertEquals(
                List.of("inbox/orders.csv", "orders.dataset.yaml", "my-job.camel.yaml"), List.copyOf(files.keySet()));
        Matcher c = COMMAND.matcher(section);
        assertTrue(c.find(), "the section runs its route file");
        return new Readme(files, c.group(1));
    }

    /** A new directory outside the repository with README's files and nothing else. */
    private static Path jobDirectory(Readme readme) throws IOException {
        Path job = Files.createTempDirectory("camel-powerbi-own-job");
        assertFalse(job.toAbsolutePath().startsWith(Path.of("").toAbsolutePath()), "outside the repository: " + job);
        for (Map.Entry<String, String> f : readme.files.entrySet()) {
            Path target = job.resolve(f.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, f.getValue());
        }
        return job;
    }

    private record Run(int status, String out) {}

    private static Run bash(Path dir, String command, Duration timeout) throws Exception {
        Path log = Files.createTempFile(dir, "run", ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        pb.environment().put("CAMEL_POWERBI_JAR", JAR.toString());
        Process process = pb.start();
        boolean finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(out);
        assertTrue(finished, "did not finish within " + timeout + ":\n" + out);
        return new Run(process.exitValue(), out);
    }

    /** The customers of the three largest amounts of README's CSV, largest first. */
    private static List<String> topThreeCustomers(String csv) {
        return csv.lines()
                .skip(1)
                .map(l -> l.split(";"))
                .sorted(Comparator.comparing((String[] r) -> new BigDecimal(r[3]))
                        .reversed())
                .limit(3)
                .map(r -> r[2])
                .toList();
    }

    private static SSLContext trusting(Path trustStore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(trustStore)) {
            store.load(in, password.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}
