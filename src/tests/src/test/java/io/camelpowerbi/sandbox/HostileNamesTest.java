package io.camelpowerbi.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The test-only configuration {@code hostile-names.yaml}: reports whose names are path traversals, reserved characters
 * or control characters come back unchanged in the API, and their exports still produce valid files, so clients can
 * test their file-name sanitising against it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileNamesTest {

    static final Path CONFIG =
            Path.of("src", "tests", "src", "test", "resources", "io", "camelpowerbi", "sandbox", "hostile-names.yaml");

    Sandbox sandbox;
    PowerBiCalls api;

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(
                SandboxConfig.load(CONFIG).with(SandboxConfig::stateDir, SandboxTestSupport.SHARED_STATE));
        api = new PowerBiCalls(sandbox);
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @Test
    void hostileReportNamesAreServedAsIsAndExportToValidFiles() {
        JsonNode reports = api.get(PowerBiCalls.SALES + "/reports").json().get("value");
        List<String> names = StreamSupport.stream(reports.spliterator(), false)
                .map(n -> n.get("name").asText())
                .toList();
        assertTrue(names.contains("../../evil"), names.toString());
        assertTrue(names.contains("CON: <quarterly> \"report\" | what? *all* \\ /"), names.toString());
        assertTrue(names.contains(".hidden\tname\r\nwith breaks "), names.toString());
        assertEquals(
                "Sales Analytics/../..",
                api.get("/groups").json().at("/value/0/name").asText());

        for (JsonNode report : reports) {
            String path = PowerBiCalls.SALES + "/reports/" + report.get("id").asText();
            var started = api.post(path + "/ExportTo", "{\"format\":\"PDF\"}");
            assertEquals(202, started.status(), started.toString());
            assertEquals(
                    report.get("name").asText(),
                    started.json().get("reportName").asText());
            String export = path + "/exports/"
                    + URLEncoder.encode(started.json().get("id").asText(), StandardCharsets.UTF_8);
            sandbox.clock().advance(Duration.ofSeconds(5));
            assertEquals("Succeeded", api.get(export).json().get("status").asText());
            var file = api.get(export + "/file");
            assertEquals(200, file.status());
            assertTrue(file.body().startsWith("%PDF-1.4"));
        }
    }
}
