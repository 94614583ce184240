package io.camelpowerbi.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The executable jar with a managed identity, as on an App Service: a job run with
 * {@code camel.component.powerbi.credential-type=AZURE_IDENTITY} and {@code IDENTITY_ENDPOINT}/{@code IDENTITY_HEADER} in
 * its environment gets its token through azure-identity from the managed identity endpoint of a sandbox started with
 * {@code java -jar camel-powerbi.jar sandbox} (its connection file names both), and lists the workspaces of the host's
 * system-assigned identity. A process of its own: MSAL's environment and token cache are the process's.
 */
class ManagedIdentityJarIT {

    private static final Path JAR = Path.of("target", "camel-powerbi.jar").toAbsolutePath();

    @Test
    void aJobRunsAsTheHostsManagedIdentity() throws Exception {
        Path job = Files.createTempDirectory("camel-powerbi-managed-identity");
        Files.writeString(job.resolve("workspaces.camel.yaml"), """
                - route:
                    id: workspaces
                    from:
                      uri: timer:once?repeatCount=1
                      steps:
                        - to: powerbi:listWorkspaces
                        - log: "the identity sees ${header.CamelPowerBiResultCount} workspaces"
                """);
        // the sandbox's own log at INFO (the jar keeps it at WARN): it names the identity each token went to
        Files.writeString(job.resolve("sandbox-log4j2.xml"), """
                <Configuration status="WARN">
                  <Appenders><Console name="c" target="SYSTEM_ERR"><PatternLayout pattern="%c{1} - %msg%n"/></Console></Appenders>
                  <Loggers><Logger name="io.camelpowerbi.sandbox" level="INFO"/><Root level="WARN"><AppenderRef ref="c"/></Root></Loggers>
                </Configuration>
                """);
        Process sandbox = process(
                job,
                List.of(
                        java(),
                        "-Dlog4j2.configurationFile=" + job.resolve("sandbox-log4j2.xml"),
                        "-jar",
                        JAR.toString(),
                        "sandbox"),
                job.resolve("sandbox.log"));
        Path connection = job.resolve("data/sandbox/sandbox-connection.json");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(connection) || !sandbox.isAlive());
            assertTrue(sandbox.isAlive(), Files.readString(job.resolve("sandbox.log")));
            JsonNode file = new ObjectMapper().readTree(connection.toFile());

            ProcessBuilder run = new ProcessBuilder(
                    java(),
                    "-jar",
                    JAR.toString(),
                    "run",
                    "workspaces.camel.yaml",
                    "--powerbi.sandbox.connection-file=" + connection,
                    "--camel.component.powerbi.credential-type=AZURE_IDENTITY");
            // nothing of the machine's own Azure setup: the managed identity is the only credential found
            run.environment()
                    .keySet()
                    .removeIf(name -> name.startsWith("AZURE_")
                            || name.startsWith("IDENTITY_")
                            || name.startsWith("MSI_")
                            || name.startsWith("IMDS_"));
            run.environment()
                    .put("IDENTITY_ENDPOINT", file.path("identityEndpoint").asText());
            run.environment().put("IDENTITY_HEADER", file.path("identityHeader").asText());
            Path log = job.resolve("run.log");
            Process process = run.directory(job.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), out);
            assertTrue(out.contains("the identity sees 2 workspaces"), out);
            assertTrue(out.contains("result:         OK"), out);
            String sandboxLog = Files.readString(job.resolve("sandbox.log"));
            assertTrue(
                    sandboxLog.contains("managed identity token issued to 6a0d4b8e-2f1c-4e7a-9b3d-5c8e1f2a4d70"),
                    sandboxLog);
            assertTrue(!out.contains(file.path("identityHeader").asText()), "IDENTITY_HEADER is never printed");
        } finally {
            sandbox.destroy();
            sandbox.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Process process(Path dir, List<String> command, Path log) throws Exception {
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
