package io.camelpowerbi.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.TestClock;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportOperationsTest extends WireMockSupport {

    static final String REPORT = BASE + "/reports/" + R;
    static final byte[] PDF = "%PDF-1.7 exported".getBytes(StandardCharsets.US_ASCII);

    final TestClock time = new TestClock();

    ExportOperations ops() {
        return new ExportOperations(client, new Poller(time));
    }

    static String job(String id, String status, String extra) {
        return "{\"id\":\"" + id + "\",\"reportId\":\"" + R + "\",\"status\":\"" + status + "\",\"percentComplete\":0"
                + (extra == null ? "" : "," + extra) + "}";
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(
            int status, String body, String retryAfter) {
        var r = aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
        return retryAfter == null ? r : r.withHeader("Retry-After", retryAfter);
    }

    void file(String id) {
        wm.stubFor(get(urlPathEqualTo(REPORT + "/exports/" + id + "/file"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/pdf")
                        .withBody(PDF)));
    }

    @Test
    void startsPollsAsRetryAfterSaysAndStreamsTheFile() throws Exception {
        // Export ids are base64: '+' and '=' must be encoded in the path.
        String id = "Mi9C+PS4=";
        String encoded = "Mi9C%2BPS4%3D";
        wm.stubFor(post(urlPathEqualTo(REPORT + "/ExportTo"))
                .willReturn(json(202, job(id, "NotStarted", "\"reportName\":\"Sales Report\""), "3")));
        wm.stubFor(get(urlPathEqualTo(REPORT + "/exports/" + encoded))
                .inScenario("x")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("run")
                .willReturn(json(202, job(id, "Running", "\"percentComplete\":50"), "2")));
        wm.stubFor(get(urlPathEqualTo(REPORT + "/exports/" + encoded))
                .inScenario("x")
                .whenScenarioStateIs("run")
                .willReturn(json(
                        200,
                        job(id, "Succeeded", "\"reportName\":\"Sales Report\",\"resourceFileExtension\":\".pdf\""),
                        null)));
        file(encoded);
        ExportRequest request = new ExportRequest(
                ExportFormat.PDF,
                false,
                List.of(
                        new ExportRequest.Page("ReportSection1", "visual1", null),
                        new ExportRequest.Page("ReportSection2", null, "Q1")),
                "Default",
                null,
                "Store/Territory eq 'NC'",
                "en-US",
                null,
                null);

        try (ExportedFile exported = ops().export(
                                G,
                                R,
                                request,
                                new ExportWaitOptions(Duration.ofSeconds(5), Duration.ofMinutes(10), 3));
                InputStream body = exported.body()) {
            assertEquals("Sales Report.pdf", exported.fileName());
            assertEquals("application/pdf", exported.contentType());
            assertEquals(id, exported.exportId());
            assertArrayEquals(PDF, body.readAllBytes());
        }
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(2)), time.sleeps());
        wm.verify(
                postRequestedFor(urlPathEqualTo(REPORT + "/ExportTo"))
                        .withRequestBody(
                                equalToJson(
                                        "{\"format\":\"PDF\","
                                                + "\"powerBIReportConfiguration\":{\"settings\":{\"locale\":\"en-US\"},\"defaultBookmark\":{\"name\":\"Default\"},"
                                                + "\"reportLevelFilters\":[{\"filter\":\"Store/Territory eq 'NC'\"}],\"pages\":[{\"pageName\":\"ReportSection1\","
                                                + "\"visualName\":\"visual1\"},{\"pageName\":\"ReportSection2\",\"bookmark\":{\"name\":\"Q1\"}}]}}")));
        assertEquals(
                List.of(
                        "POST " + REPORT + "/ExportTo",
                        "GET " + REPORT + "/exports/" + encoded,
                        "GET " + REPORT + "/exports/" + encoded,
                        "GET " + REPORT + "/exports/" + encoded + "/file"),
                traffic());
    }

    @Test
    void aSlashInTheExportIdStaysInsideItsPathSegment() throws Exception {
        String id = "ab/cd==";
        String encoded = "ab%2Fcd%3D%3D";
        wm.stubFor(post(urlPathEqualTo(REPORT + "/ExportTo")).willReturn(json(202, job(id, "Succeeded", null), null)));
        file(encoded);

        try (ExportedFile exported = ops().export(
                        G, R, ExportRequest.report(ExportFormat.PDF), new ExportWaitOptions(Duration.ofMinutes(1)))) {
            assertEquals(
                    "export-ab_cd__.pdf", exported.fileName()); // no reportName: the id names the file, made safe too
            assertArrayEquals(PDF, exported.body().readAllBytes());
        }
        assertEquals(
                List.of("POST " + REPORT + "/ExportTo", "GET " + REPORT + "/exports/" + encoded + "/file"), traffic());
    }

    @Test
    void theFileIsFetchedFromTheResourceLocationPowerBiReturnsAcceptingAnyType() throws Exception {
        // The id is base64 and may hold '/': the file is where resourceLocation says, not at a path built from the id.
        String id = "Mi9C/PS4+x==";
        String location =
                wm.baseUrl() + "/v1.0/myorg/groups/" + G + "/reports/" + R + "/exports/Mi9C%2FPS4%2Bx%3D%3D/file";
        wm.stubFor(post(urlPathEqualTo(REPORT + "/ExportTo"))
                .willReturn(json(202, job(id, "Succeeded", "\"resourceLocation\":\"" + location + "\""), null)));
        wm.stubFor(
                get(urlPathEqualTo("/v1.0/myorg/groups/" + G + "/reports/" + R + "/exports/Mi9C%2FPS4%2Bx%3D%3D/file"))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/pdf")
                                .withBody(PDF)));

        try (ExportedFile exported = ops().export(
                        G, R, ExportRequest.report(ExportFormat.PDF), new ExportWaitOptions(Duration.ofMinutes(1)))) {
            assertArrayEquals(PDF, exported.body().readAllBytes());
        }
        // a file is not JSON: an Accept of application/json alone could be refused with 406
        wm.verify(getRequestedFor(urlPathEqualTo(
                        "/v1.0/myorg/groups/" + G + "/reports/" + R + "/exports/Mi9C%2FPS4%2Bx%3D%3D/file"))
                .withHeader("Accept", equalTo("*/*"))
                .withHeader("Authorization", equalTo("Bearer test-token")));
    }

    @Test
    void theFileIsFollowedWhereverResourceLocationPoints() throws Exception {
        // the service names the file under another id than the job's: the client goes where it says, not where it
        // would have built the path itself
        String file = REPORT + "/exports/file-of-e42/file";
        String location = wm.baseUrl() + file;
        wm.stubFor(post(urlPathEqualTo(REPORT + "/ExportTo"))
                .willReturn(json(202, job("e42", "Succeeded", "\"resourceLocation\":\"" + location + "\""), null)));
        wm.stubFor(get(urlPathEqualTo(file))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/pdf")
                        .withBody(PDF)));

        try (ExportedFile exported = ops().export(
                        G, R, ExportRequest.report(ExportFormat.PDF), new ExportWaitOptions(Duration.ofMinutes(1)))) {
            assertArrayEquals(PDF, exported.body().readAllBytes());
        }
        assertEquals(List.of("POST " + REPORT + "/ExportTo", "GET " + file), traffic());
    }

    @Test
    void pollIntervalIsUsedWhenPowerBiSendsNoRetryAfter() {
        wm.stubFor(
                post(urlPathEqualTo(REPORT + "/ExportTo")).willReturn(json(202, job("e1", "NotStarted", null), null)));
        wm.stubFor(get(urlPathEqualTo(REPORT + "/exports/e1"))
                .willReturn(json(
                        200,
                        job("e1", "Succeeded", "\"reportName\":\"R\",\"ResourceFileExtension\":\".pptx\""),
                        null)));
        file("e1");

        try (ExportedFile exported = ops().export(
                        G, R, ExportRequest.report(ExportFormat.PPTX), new ExportWaitOptions(Duration.ofMinutes(1)))) {
            assertEquals("R.pptx", exported.fileName()); // the swagger's capitalised spelling is read too
        }
        assertEquals(List.of(ExportWaitOptions.DEFAULT_POLL_INTERVAL), time.sleeps());
    }

    @Test
    void failedWithRetryAfterRestartsTheWholeExport() throws Exception {
        wm.stubFor(post(urlPathEqualTo(REPORT + "/ExportTo"))
                .inScenario("p")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("second")
                .willReturn(json(202, job("e1", "NotStarted", null), null)));
        wm.stubFor(post(urlPathEqualTo(REPORT + "/ExportTo"))
                .inScenario("p")
                .whenScenarioStateIs("second")
                .willReturn(json(202, job("e2", "NotStarted", null), null)));
        wm.stubFor(get(urlPathEqualTo(REPORT + "/exports/e1")).willReturn(json(200, job("e1", "Failed", null), "30")));
        wm.stubFor(get(urlPathEqualTo(REPORT + "/exports/e2"))
                .willReturn(json(
                        200,
                        job("e2", "Succeeded", "\"reportName\":\"Sales\",\"resourceFileExtension\":\".pdf\""),
                        null)));
        file("e2");

        try (ExportedFile exported = ops().export(
                        G,
                        R,
                        ExportRequest.report(ExportFormat.PDF),
                        new ExportWaitOptions(Duration.ofSeconds(1), Duration.ofMinutes(5), 3))) {
            assertEquals("e2", exported.exportId());
            assertArrayEquals(PDF, exported.body().readAllBytes());
        }
        wm.verify(2, postRequestedFor(urlPathEqualTo(REPORT + "/ExportTo")));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(1)), time.sleeps());
    }

    @Test
    void failedWithoutRetryAfterIsPermanent() {
        wm.stubFor(post(urlPathEqualTo(REPORT + "/ExportTo")).willReturn(json(202, job("e1", "Running", null), null)));
        wm.stubFor(get(urlPathEqualTo(REPORT + "/exports/e1"))
                .willReturn(json(
                        200,
                        job(
                                "e1",
                                "Failed",
                                "\"error\":{\"code\":\"ExportUnsupportedVisual\",\"message\":\"R visuals cannot be exported\"}"),
                        null)));

        ExportFailedException e = assertThrows(
                ExportFailedException.class,
                () -> ops().export(
                                G,
                                R,
                                ExportRequest.report(ExportFormat.PNG),
                                new ExportWaitOptions(Duration.ofMinutes(5))));

        assertEquals("e1", e.exportId());
        assertEquals("ExportUnsupportedVisual", e.errorCode());
        assertContains(e.getMessage(), "ended Failed: ExportUnsupportedVisual: R visuals cannot be exported", "Fix:");
        wm.verify(1, postRequestedFor(urlPathEqualTo(REPORT + "/ExportTo")));
        wm.verify(0, getRequestedFor(urlPathEqualTo(REPORT + "/exports/e1/file")));
    }

    @Test
    void restartsAreBounded() {
        wm.stubFor(
                post(urlPathEqualTo(REPORT + "/ExportTo")).willReturn(json(202, job("e1", "NotStarted", null), null)));
        wm.stubFor(get(urlPathEqualTo(REPORT + "/exports/e1")).willReturn(json(200, job("e1", "Failed", null), "10")));

        ExportFailedException e = assertThrows(
                ExportFailedException.class,
                () -> ops().export(
                                G,
                                R,
                                ExportRequest.report(ExportFormat.PDF),
                                new ExportWaitOptions(Duration.ofSeconds(1), Duration.ofHours(1), 2)));

        assertContains(e.getMessage(), "2 restarts were used, maxRestarts is 2");
        wm.verify(3, postRequestedFor(urlPathEqualTo(REPORT + "/ExportTo")));
    }

    @Test
    void timeoutEndsTheWait() {
        wm.stubFor(
                post(urlPathEqualTo(REPORT + "/ExportTo")).willReturn(json(202, job("e1", "NotStarted", null), null)));
        wm.stubFor(get(urlPathEqualTo(REPORT + "/exports/e1"))
                .willReturn(json(202, job("e1", "Running", "\"percentComplete\":40"), "4")));

        OperationTimeoutException e = assertThrows(
                OperationTimeoutException.class,
                () -> ops().export(
                                G,
                                R,
                                ExportRequest.report(ExportFormat.PDF),
                                new ExportWaitOptions(Duration.ofSeconds(5), Duration.ofSeconds(10), 3)));

        assertEquals("e1", e.jobId());
        assertEquals("Running", e.lastState());
        assertContains(e.getMessage(), "did not finish within PT10S", "40% done");
        // 5 s (no Retry-After yet), then 4 s, then the last 1 s: never past the timeout.
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(4), Duration.ofSeconds(1)), time.sleeps());
    }

    @Test
    void hostileNamesFromTheApiCannotLeaveTheTargetDirectory(@TempDir Path dir) throws Exception {
        String[][] hostile = {
            {"../../etc/passwd", ".pdf"},
            {"C:\\evil\\..\\boot", "..\\..\\exe"},
            {"\u0000", "/../../sh"},
            {"..", ".."},
            {"report\u202Efdp.exe", ".pdf"},
            {"CON", ".pdf"},
        };
        int n = 0;
        for (String[] h : hostile) {
            String id = "h" + n++;
            wm.stubFor(post(urlPathEqualTo(REPORT + "/ExportTo"))
                    .inScenario("h")
                    .whenScenarioStateIs(n == 1 ? Scenario.STARTED : "s" + (n - 1))
                    .willSetStateTo("s" + n)
                    .willReturn(json(202, job(id, "NotStarted", null), null)));
            wm.stubFor(get(urlPathEqualTo(REPORT + "/exports/" + id))
                    .willReturn(json(
                            200,
                            job(
                                    id,
                                    "Succeeded",
                                    "\"reportName\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(h[0])
                                            + ",\"resourceFileExtension\":"
                                            + com.fasterxml.jackson.databind.node.TextNode.valueOf(h[1])),
                            null)));
            file(id);
        }
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < hostile.length; i++) {
            try (ExportedFile exported = ops().export(
                            G,
                            R,
                            ExportRequest.report(ExportFormat.PDF),
                            new ExportWaitOptions(Duration.ofMinutes(1)))) {
                String name = exported.fileName();
                names.add(name);
                Path target = dir.resolve(name).normalize();
                assertEquals(dir, target.getParent(), name);
                assertTrue(
                        !name.contains("/") && !name.contains("\\") && !name.startsWith(".") && !name.contains(".."),
                        name);
                assertTrue(name.chars().noneMatch(c -> c < 0x20 || c == 0x202E), name);
                Files.copy(exported.body(), target);
                assertArrayEquals(PDF, Files.readAllBytes(target));
            }
        }
        assertEquals(
                List.of("passwd.pdf", "boot.exe", "export-h2.sh", "export-h3.pdf", "reportfdp.exe.pdf", "_CON.pdf"),
                names);
    }

    @Test
    void paginatedRequestBodyAndValidation() {
        ExportRequest paginated = new ExportRequest(
                ExportFormat.XLSX,
                true,
                null,
                null,
                null,
                null,
                null,
                Map.of("Year", "2025"),
                Map.of("OutputFormat", "XLSX"));
        assertEquals(
                Map.of(
                        "format",
                        "XLSX",
                        "paginatedReportConfiguration",
                        Map.of(
                                "formatSettings",
                                Map.of("OutputFormat", "XLSX"),
                                "parameterValues",
                                List.of(Map.of("name", "Year", "value", "2025")))),
                paginated.toJson());
        assertEquals(
                Map.of("format", "PDF"), ExportRequest.report(ExportFormat.PDF).toJson());

        assertContains(
                assertThrows(InvalidOptionException.class, () -> ExportRequest.paginated(ExportFormat.PNG, Map.of()))
                        .getMessage(),
                "not available for paginated reports");
        assertContains(
                assertThrows(InvalidOptionException.class, () -> ExportRequest.report(ExportFormat.XLSX))
                        .getMessage(),
                "set paginated=true");
        assertContains(
                assertThrows(
                                InvalidOptionException.class,
                                () -> new ExportRequest(
                                        ExportFormat.PDF, false, null, "a", "b", null, null, null, null))
                        .getMessage(),
                "give one of them");
        List<ExportRequest.Page> pages = java.util.stream.IntStream.range(0, 51)
                .mapToObj(i -> new ExportRequest.Page("p" + i))
                .toList();
        assertContains(
                assertThrows(
                                InvalidOptionException.class,
                                () -> new ExportRequest(
                                        ExportFormat.PDF, false, pages, null, null, null, null, null, null))
                        .getMessage(),
                "at most 50");
        assertContains(
                assertThrows(
                                InvalidOptionException.class,
                                () -> new ExportRequest(
                                        ExportFormat.PDF,
                                        true,
                                        List.of(new ExportRequest.Page("p")),
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null))
                        .getMessage(),
                "not to paginated reports");
    }
}
