package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.PowerBiCalls.SALES;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertError;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertPowerBiHeaders;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertThrottled;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Reports and export to file: Microsoft Learn. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportsTest {

    static final String SALES_REPORT = SALES + "/reports/" + Sandbox.REPORT_SALES;
    static final String INVOICE = SALES + "/reports/" + Sandbox.REPORT_INVOICE;
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    Sandbox sandbox;
    PowerBiCalls api;

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(SandboxTestSupport.config());
        api = new PowerBiCalls(sandbox);
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @BeforeEach
    void fresh() {
        sandbox.reset();
    }

    JsonNode startExport(String report, String body) {
        PowerBiCalls.Response r = api.post(report + "/ExportTo", body);
        assertEquals(202, r.status(), r.toString());
        assertPowerBiHeaders(r);
        return r.json();
    }

    String exportPath(String report, JsonNode export) {
        return report + "/exports/" + URLEncoder.encode(export.get("id").asText(), StandardCharsets.UTF_8);
    }

    /** Polls until the job has ended (the sandbox clock is moved on, so nobody waits). */
    PowerBiCalls.Response finish(String report, JsonNode export) {
        sandbox.clock().advance(Duration.ofSeconds(5));
        PowerBiCalls.Response r = api.get(exportPath(report, export));
        assertEquals(200, r.status(), r.toString());
        return r;
    }

    byte[] download(String report, JsonNode export, String contentType) {
        PowerBiCalls.Response file = api.get(exportPath(report, export) + "/file");
        assertEquals(200, file.status(), file.toString());
        assertEquals(contentType, file.header("Content-Type"));
        return file.bytes();
    }

    @Test
    void reportsAreListed() {
        PowerBiCalls.Response r = api.get(SALES + "/reports");
        assertEquals(200, r.status(), r.toString());
        JsonNode sales = r.json().at("/value/0");
        assertEquals("Sales Report", sales.get("name").asText());
        assertEquals("PowerBIReport", sales.get("reportType").asText());
        assertEquals(Sandbox.DATASET_FINANCE_MODEL, sales.get("datasetId").asText());
        JsonNode invoice = r.json().at("/value/1");
        assertEquals("PaginatedReport", invoice.get("reportType").asText());
        assertFalse(invoice.has("datasetId"), "paginated reports have no datasetId");
        assertEquals("Invoice", api.get(INVOICE).json().get("name").asText());
        assertError(api.get(SALES + "/reports/" + java.util.UUID.randomUUID()), 404, "PowerBIEntityNotFound");
        assertEquals(
                0,
                api.get(PowerBiCalls.FINANCE + "/reports").json().get("value").size());
    }

    @Test
    void exportIdsHoldSlashesAndResourceLocationStillNamesTheFile() {
        // Live ids are opaque base64; the sandbox's always hold '/' and '+', so building paths from them is caught.
        JsonNode export = startExport(SALES_REPORT, "{\"format\":\"PDF\"}");
        String id = export.get("id").asText();
        assertTrue(id.contains("/") && id.contains("+"), id);
        String location =
                finish(SALES_REPORT, export).json().get("resourceLocation").asText();
        assertFalse(
                location.substring(location.indexOf("/exports/") + 9)
                        .replace("/file", "")
                        .contains("/"),
                location);

        PowerBiCalls.Response file = api.send(api.request(location).GET().build());
        assertEquals(200, file.status(), file.toString());
        assertEquals("application/pdf", file.header("Content-Type"));
    }

    @Test
    void row23And24And25PdfExportRunsThenSucceedsWithAValidFile() throws IOException {
        JsonNode export = startExport(SALES_REPORT, "{\"format\":\"PDF\"}");
        assertEquals("NotStarted", export.get("status").asText());
        assertEquals(0, export.get("percentComplete").asInt());
        assertEquals(Sandbox.REPORT_SALES, export.get("reportId").asText());
        assertEquals("Sales Report", export.get("reportName").asText());
        assertNotNull(Instant.parse(export.get("createdDateTime").asText()));
        assertNotNull(Instant.parse(export.get("lastActionDateTime").asText()));
        assertFalse(export.has("resourceLocation"));

        // polling in real time: 202 + Retry-After while running, percentComplete rising, then 200 Succeeded
        List<Integer> percents = new ArrayList<>();
        PowerBiCalls.Response done = await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            PowerBiCalls.Response r = api.get(exportPath(SALES_REPORT, export));
                            if (r.status() == 202) {
                                assertEquals("1", r.header("Retry-After"));
                                assertTrue(List.of("NotStarted", "Running")
                                        .contains(r.json().get("status").asText()));
                                percents.add(r.json().get("percentComplete").asInt());
                            }
                            return r;
                        },
                        r -> r.status() == 200);
        assertFalse(percents.isEmpty());
        for (int i = 1; i < percents.size(); i++) {
            assertTrue(percents.get(i) >= percents.get(i - 1), percents.toString());
        }
        JsonNode succeeded = done.json();
        assertEquals("Succeeded", succeeded.get("status").asText());
        assertEquals(100, succeeded.get("percentComplete").asInt());
        assertEquals(".pdf", succeeded.get("resourceFileExtension").asText());
        assertNull(done.header("Retry-After"));
        String location = succeeded.get("resourceLocation").asText();
        assertTrue(location.endsWith("/file") && location.contains("/exports/"), location);
        Instant completed = Instant.parse(succeeded.get("lastActionDateTime").asText());
        assertEquals(
                completed.plus(Duration.ofHours(24)),
                Instant.parse(succeeded.get("expirationTime").asText()));

        PowerBiCalls.Response file = api.send(api.request(location).GET().build());
        assertEquals(200, file.status(), file.toString());
        assertEquals("application/pdf", file.header("Content-Type"));
        byte[] pdf = file.bytes();
        String text = new String(pdf, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("%PDF-1.4"), text.substring(0, 20));
        assertTrue(text.contains("(Sales Report) Tj"));
        assertTrue(text.trim().endsWith("%%EOF"));
        assertEquals(2, text.split("/Type /Page ", -1).length - 1, "one page per report page");

        // the file is gone after its expiration time (row 25)
        sandbox.clock().advance(Duration.ofHours(25));
        PowerBiCalls later = new PowerBiCalls(sandbox);
        assertError(later.get(exportPath(SALES_REPORT, export) + "/file"), 404, "PowerBIEntityNotFound");
    }

    @Test
    void row25FilesHaveTheRightMagicAndContentType() throws IOException {
        JsonNode pptx = startExport(SALES_REPORT, "{\"format\":\"pptx\"}");
        JsonNode onePng = startExport(
                SALES_REPORT,
                "{\"format\":\"PNG\",\"powerBIReportConfiguration\":{\"pages\":"
                        + "[{\"pageName\":\"ReportSection1\"}]}}");
        JsonNode allPng = startExport(SALES_REPORT, "{\"format\":\"PNG\"}");
        JsonNode xlsx = startExport(INVOICE, "{\"format\":\"XLSX\"}");
        JsonNode docx = startExport(INVOICE, "{\"format\":\"DOCX\"}");
        JsonNode tiff = startExport(INVOICE, "{\"format\":\"IMAGE\"}");
        JsonNode jpeg = startExport(
                INVOICE,
                "{\"format\":\"IMAGE\",\"paginatedReportConfiguration\":"
                        + "{\"formatSettings\":{\"OutputFormat\":\"jpeg\"}}}");
        JsonNode csv = startExport(INVOICE, "{\"format\":\"CSV\"}");

        assertEquals(
                ".pptx",
                finish(SALES_REPORT, pptx).json().get("resourceFileExtension").asText());
        byte[] pptxBytes = download(
                SALES_REPORT, pptx, "application/vnd.openxmlformats-officedocument.presentationml.presentation");
        List<String> parts = zipEntries(pptxBytes);
        assertEquals("[Content_Types].xml", parts.get(0));
        assertTrue(
                parts.containsAll(List.of(
                        "_rels/.rels",
                        "ppt/presentation.xml",
                        "ppt/slides/slide1.xml",
                        "ppt/slides/slide2.xml",
                        "ppt/slideMasters/slideMaster1.xml",
                        "ppt/slideLayouts/slideLayout1.xml",
                        "ppt/theme/theme1.xml")),
                parts.toString());

        assertEquals(
                ".png",
                api.get(exportPath(SALES_REPORT, onePng))
                        .json()
                        .get("resourceFileExtension")
                        .asText());
        byte[] png = download(SALES_REPORT, onePng, "image/png");
        assertArrayEquals(PNG, Arrays.copyOf(png, 8));
        assertNotNull(ImageIO.read(new ByteArrayInputStream(png)));

        assertEquals(
                ".zip",
                api.get(exportPath(SALES_REPORT, allPng))
                        .json()
                        .get("resourceFileExtension")
                        .asText(),
                "two pages of PNG come as a zip");
        byte[] zip = download(SALES_REPORT, allPng, "application/zip");
        assertEquals(List.of("Page1.png", "Page2.png"), zipEntries(zip));

        assertEquals(
                "[Content_Types].xml",
                zipEntries(download(INVOICE, xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
                        .get(0));
        assertTrue(zipEntries(download(
                        INVOICE, docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
                .contains("word/document.xml"));
        assertEquals(
                ".tiff",
                api.get(exportPath(INVOICE, tiff))
                        .json()
                        .get("resourceFileExtension")
                        .asText());
        assertNotNull(ImageIO.read(new ByteArrayInputStream(download(INVOICE, tiff, "image/tiff"))));
        byte[] jpg = download(INVOICE, jpeg, "image/jpeg");
        assertEquals((byte) 0xFF, jpg[0]);
        assertEquals((byte) 0xD8, jpg[1]);
        assertTrue(new String(download(INVOICE, csv, "text/csv; charset=utf-8"), StandardCharsets.UTF_8)
                .contains("Invoice"));
    }

    static List<String> zipEntries(byte[] zip) throws IOException {
        assertEquals('P', zip[0]);
        assertEquals('K', zip[1]);
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        return names;
    }

    @Test
    void row24TransientFailureCarriesRetryAfterAndPermanentFailureDoesNot() {
        PowerBiCalls.Response set = api.control(
                "POST", "/_sandbox/reports/" + Sandbox.REPORT_SALES + "/exportBehaviour", "{\"transientFailures\": 1}");
        assertEquals(204, set.status(), set.toString());
        JsonNode busy = startExport(SALES_REPORT, "{\"format\":\"PDF\"}");
        PowerBiCalls.Response failed = finish(SALES_REPORT, busy);
        assertEquals("Failed", failed.json().get("status").asText());
        assertEquals("2", failed.header("Retry-After"));
        assertFalse(failed.json().has("resourceLocation"));
        assertError(api.get(exportPath(SALES_REPORT, busy) + "/file"), 400, "InvalidRequest");

        // the retried export succeeds
        JsonNode retried = startExport(SALES_REPORT, "{\"format\":\"PDF\"}");
        assertEquals(
                "Succeeded", finish(SALES_REPORT, retried).json().get("status").asText());

        sandbox.report(Sandbox.REPORT_SALES).setExportBehaviour(0, "Failed");
        JsonNode broken = startExport(SALES_REPORT, "{\"format\":\"PDF\"}");
        PowerBiCalls.Response permanent = finish(SALES_REPORT, broken);
        assertEquals("Failed", permanent.json().get("status").asText());
        assertNull(permanent.header("Retry-After"), "a permanent failure has no Retry-After");
    }

    @Test
    void row26FormatsPagesAndConcurrencyAreLimited() {
        assertError(api.post(INVOICE + "/ExportTo", "{\"format\":\"PNG\"}"), 400, "InvalidRequest");
        assertError(api.post(SALES_REPORT + "/ExportTo", "{\"format\":\"XLSX\"}"), 400, "InvalidRequest");
        assertError(api.post(SALES_REPORT + "/ExportTo", "{}"), 400, "InvalidRequest");
        StringBuilder pages = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            pages.append(i == 0 ? "" : ",")
                    .append("{\"pageName\":\"p")
                    .append(i)
                    .append("\"}");
        }
        assertError(
                api.post(
                        SALES_REPORT + "/ExportTo",
                        "{\"format\":\"PDF\",\"powerBIReportConfiguration\":" + "{\"pages\":[" + pages + "]}}"),
                400,
                "InvalidRequest");

        sandbox.setLimits(sandbox.limits().merge(Map.of("exportsPerCapacity", 2)));
        startExport(SALES_REPORT, "{\"format\":\"PDF\"}");
        startExport(INVOICE, "{\"format\":\"PDF\"}");
        long retryAfter = assertThrottled(api.post(SALES_REPORT + "/ExportTo", "{\"format\":\"PDF\"}"));
        assertTrue(retryAfter <= 2, "until the first running export ends: " + retryAfter);
        sandbox.clock().advance(Duration.ofSeconds(5));
        startExport(SALES_REPORT, "{\"format\":\"PDF\"}");
        assertError(api.get(SALES_REPORT + "/exports/bm9wZQ%3D%3D"), 404, "PowerBIEntityNotFound");
    }

    @Test
    void fileDownloadCanRedirectToABlobHostThatRefusesBearerTokens() {
        sandbox.setSettings(sandbox.settings().merge(Map.of("exports", Map.of("redirectFileDownload", true))));
        JsonNode export = startExport(SALES_REPORT, "{\"format\":\"PDF\"}");
        finish(SALES_REPORT, export);
        PowerBiCalls.Response redirect = api.get(exportPath(SALES_REPORT, export) + "/file");
        assertEquals(307, redirect.status(), redirect.toString());
        String location = redirect.header("Location");
        assertFalse(
                URI.create(location)
                        .getHost()
                        .equals(URI.create(sandbox.apiBaseUrl()).getHost()),
                "the blob lives on another host name: " + location);

        PowerBiCalls.Response withToken = api.send(api.request(location).GET().build());
        assertEquals(400, withToken.status(), withToken.toString());
        assertTrue(withToken.body().contains("<Code>InvalidAuthenticationInfo</Code>"), withToken.body());
        PowerBiCalls.Response plain = api.sendPlain("GET", location, null, Map.of());
        assertEquals(200, plain.status(), plain.toString());
        assertEquals("application/pdf", plain.header("Content-Type"));
        assertTrue(plain.body().startsWith("%PDF-"));
        PowerBiCalls.Response forged =
                api.sendPlain("GET", location.replaceAll("sig=[^&]+", "sig=forged"), null, Map.of());
        assertEquals(403, forged.status(), forged.toString());
    }

    @Test
    void stateShowsExports() {
        JsonNode export = startExport(SALES_REPORT, "{\"format\":\"PDF\"}");
        JsonNode state = api.control("GET", "/_sandbox/state", null).json();
        JsonNode report = state.at("/tenants/0/workspaces/0/reports/0");
        assertEquals(Sandbox.REPORT_SALES, report.get("id").asText());
        assertEquals(export.get("id").asText(), report.at("/exports/0/id").asText());
        assertEquals("PDF", report.at("/exports/0/format").asText());
        assertEquals(".pdf", report.at("/exports/0/fileExtension").asText());
    }
}
