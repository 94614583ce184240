package io.camelpowerbi.sandbox;

import static io.camelpowerbi.sandbox.PowerBiCalls.FINANCE;
import static io.camelpowerbi.sandbox.PowerBiCalls.SALES;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertError;
import static io.camelpowerbi.sandbox.PowerBiCalls.assertPowerBiHeaders;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Imports and temporary upload locations: Microsoft Learn. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportsTest {

    Sandbox sandbox;
    PowerBiCalls api;
    byte[] pbix;

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(SandboxTestSupport.config());
        api = new PowerBiCalls(sandbox);
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("[Content_Types].xml", "<Types/>".getBytes(StandardCharsets.UTF_8));
        byte[] model = new byte[100_000];
        new java.util.Random(42).nextBytes(model);
        parts.put("DataModel", model);
        pbix = ExportFiles.zip(parts);
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @BeforeEach
    void fresh() {
        sandbox.reset();
    }

    /** A multipart/form-data POST of one file, as the .NET SDK and pbipy send it. */
    PowerBiCalls.Response upload(String workspace, String query, String fileName, byte[] content) {
        String boundary = "----sandbox" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return api.send(api.request(workspace + "/imports" + query)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
    }

    static String q(String displayName, String conflict) {
        return "?datasetDisplayName="
                + URLEncoder.encode(displayName, StandardCharsets.UTF_8).replace("+", "%20")
                + (conflict == null ? "" : "&nameConflict=" + conflict);
    }

    /** Waits in real time for the import to reach {@code state}. */
    JsonNode awaitImport(String workspace, String id, String state) {
        return await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> api.get(workspace + "/imports/" + id).json(),
                        n -> n.get("importState").asText().equals(state));
    }

    /** Moves the sandbox clock past the import's duration and expects {@code state}. */
    JsonNode finishImport(String workspace, String id, String state) {
        sandbox.clock().advance(Duration.ofSeconds(2));
        JsonNode json = api.get(workspace + "/imports/" + id).json();
        assertEquals(state, json.get("importState").asText(), json.toString());
        return json;
    }

    List<String> names(String list) {
        return StreamSupport.stream(api.get(SALES + list).json().get("value").spliterator(), false)
                .map(n -> n.get("name").asText())
                .toList();
    }

    @Test
    void row27PbixImportPublishesThenSucceedsWithDatasetAndReport() {
        PowerBiCalls.Response r = upload(SALES, q("Sales Cube.pbix", "Abort"), "Sales Cube.pbix", pbix);
        assertEquals(202, r.status(), r.toString());
        assertPowerBiHeaders(r);
        assertEquals(1, r.json().size(), "only the id: " + r);
        String id = r.json().get("id").asText();

        JsonNode publishing = api.get(SALES + "/imports/" + id).json();
        assertEquals("Publishing", publishing.get("importState").asText());
        assertEquals(0, publishing.get("datasets").size());
        assertFalse(names("/datasets").contains("Sales Cube"), "not published yet");

        JsonNode done = awaitImport(SALES, id, "Succeeded");
        assertEquals("Sales Cube", done.get("name").asText());
        String datasetId = done.at("/datasets/0/id").asText();
        assertEquals("Sales Cube", done.at("/datasets/0/name").asText());
        assertEquals("Sales Cube", done.at("/reports/0/name").asText());
        assertTrue(Instant.parse(done.get("updatedDateTime").asText())
                .isAfter(Instant.parse(done.get("createdDateTime").asText())));
        assertTrue(names("/datasets").contains("Sales Cube"));
        JsonNode report =
                api.get(SALES + "/reports/" + done.at("/reports/0/id").asText()).json();
        assertEquals(datasetId, report.get("datasetId").asText());
        assertEquals(
                pbix.length,
                sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS)
                        .importJob(id)
                        .orElseThrow()
                        .fileSize(),
                "the file's size, read from the multipart body");
        // the imported model is refreshable
        assertEquals(
                202,
                api.post(SALES + "/datasets/" + datasetId + "/refreshes", null).status());

        // name conflicts
        JsonNode abort = assertError(
                upload(SALES, q("Sales Cube.pbix", "Abort"), "x.pbix", pbix), 400, "DuplicatePackageFoundError");
        assertEquals(
                "DuplicatePackageFoundError", abort.at("/error/pbi.error/code").asText());
        String overwrite = upload(SALES, q("Sales Cube.pbix", "Overwrite"), "x.pbix", pbix)
                .json()
                .get("id")
                .asText();
        assertEquals(
                datasetId,
                finishImport(SALES, overwrite, "Succeeded").at("/datasets/0/id").asText());
        String unique = upload(SALES, q("Sales Cube.pbix", "GenerateUniqueName"), "x.pbix", pbix)
                .json()
                .get("id")
                .asText();
        assertEquals(
                "Sales Cube (2)",
                finishImport(SALES, unique, "Succeeded").at("/datasets/0/name").asText());
        JsonNode missing = assertError(
                upload(SALES, q("Nothing.pbix", "Overwrite"), "x.pbix", pbix), 404, "DuplicatePackageNotFoundError");
        assertTrue(missing.at("/error/pbi.error/parameters").has("DuplicatePackagesFullMatch"));
        String created = upload(SALES, q("Nothing.pbix", "CreateOrOverwrite"), "x.pbix", pbix)
                .json()
                .get("id")
                .asText();
        assertNotEquals(
                datasetId,
                finishImport(SALES, created, "Succeeded").at("/datasets/0/id").asText());

        JsonNode list = api.get(SALES + "/imports").json();
        assertEquals(4, list.get("value").size());
    }

    @Test
    void row27InvalidFilesEndFailedAndBadRequestsAre400() {
        String notZip = upload(
                        SALES, q("Broken.pbix", null), "Broken.pbix", "not a zip".getBytes(StandardCharsets.UTF_8))
                .json()
                .get("id")
                .asText();
        JsonNode failed = finishImport(SALES, notZip, "Failed");
        // Import documents no error property: a failed import says Failed, and no more
        assertFalse(failed.has("error"), failed::toString);
        assertEquals(0, failed.get("datasets").size());
        assertFalse(names("/datasets").contains("Broken"));
        String empty = upload(SALES, q("Empty.pbix", null), "Empty.pbix", new byte[0])
                .json()
                .get("id")
                .asText();
        assertEquals(0, finishImport(SALES, empty, "Failed").get("datasets").size());

        assertError(upload(SALES, "?nameConflict=Abort", "a.pbix", pbix), 400, "InvalidRequest");
        assertError(upload(SALES, q("a.pbix", "Sometimes"), "a.pbix", pbix), 400, "InvalidRequest");
        assertError(
                upload(SALES, q("model.json", null), "model.json", "{}".getBytes(StandardCharsets.UTF_8)),
                400,
                "InvalidRequest");
        assertError(upload(SALES, q("a.pbix", null) + "&skipReport=false", "a.pbix", pbix), 400, "InvalidRequest");
        assertError(
                api.send(api.request(SALES + "/imports" + q("a.pbix", null))
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(pbix))
                        .build()),
                400,
                "InvalidRequest");
        assertError(
                upload("/groups/" + Sandbox.WORKSPACE_EXECUTIVE_BOARD, q("a.pbix", null), "a.pbix", pbix),
                401,
                "PowerBINotAuthorizedException");
    }

    @Test
    void row27RdlCreatesAPaginatedReportAndSkipReportCreatesOnlyTheDataset() {
        byte[] rdl = "\uFEFF<?xml version=\"1.0\"?><Report/>".getBytes(StandardCharsets.UTF_8);
        assertError(upload(SALES, q("Invoice 2.rdl", "Ignore"), "Invoice 2.rdl", rdl), 400, "InvalidRequest");
        assertError(upload(SALES, q("Invoice 2", "Abort"), "Invoice 2.rdl", rdl), 400, "InvalidRequest");
        String id = upload(SALES, q("Invoice 2.rdl", "Abort"), "Invoice 2.rdl", rdl)
                .json()
                .get("id")
                .asText();
        JsonNode done = finishImport(SALES, id, "Succeeded");
        assertEquals(0, done.get("datasets").size());
        assertEquals("PaginatedReport", done.at("/reports/0/reportType").asText());
        assertTrue(names("/reports").contains("Invoice 2"));

        String skip = upload(SALES, q("Lonely.pbix", null) + "&skipReport=true", "Lonely.pbix", pbix)
                .json()
                .get("id")
                .asText();
        JsonNode lonely = finishImport(SALES, skip, "Succeeded");
        assertEquals(1, lonely.get("datasets").size());
        assertEquals(0, lonely.get("reports").size());
    }

    @Test
    void row28LargeFileThroughATemporaryUploadLocation() {
        PowerBiCalls.Response location = api.post(SALES + "/imports/createTemporaryUploadLocation", null);
        assertEquals(200, location.status(), location.toString());
        assertPowerBiHeaders(location);
        String url = location.json().get("Url").asText();
        Instant expires = Instant.parse(location.json().get("ExpirationTime").asText());
        assertTrue(expires.isAfter(Instant.now().plus(Duration.ofMinutes(50))), expires.toString());
        assertTrue(url.contains("/_sandbox/blob/") && url.contains("sig=") && url.contains("sv="), url);
        assertNotEquals(
                URI.create(sandbox.apiBaseUrl()).getHost(),
                URI.create(url).getHost(),
                "blob storage is another host, so a host-scoped bearer token is not sent there");

        Map<String, String> blockBlob = Map.of("x-ms-blob-type", "BlockBlob");
        PowerBiCalls.Response leaked = api.send(api.request(url)
                .header("x-ms-blob-type", "BlockBlob")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(pbix))
                .build());
        assertEquals(400, leaked.status(), leaked.toString());
        assertEquals("InvalidAuthenticationInfo", leaked.header("x-ms-error-code"));
        assertTrue(
                leaked.body().startsWith("<?xml") && leaked.body().contains("<Code>InvalidAuthenticationInfo</Code>"));
        PowerBiCalls.Response noType = api.sendPlain("PUT", url, pbix, Map.of());
        assertEquals(400, noType.status(), noType.toString());
        assertEquals("MissingRequiredHeader", noType.header("x-ms-error-code"));
        PowerBiCalls.Response forged = api.sendPlain("PUT", url.replaceAll("sig=[^&]+", "sig=AAAA"), pbix, blockBlob);
        assertEquals(403, forged.status(), forged.toString());
        assertEquals("AuthenticationFailed", forged.header("x-ms-error-code"));

        // blob storage can be faulted like any endpoint
        sandbox.faults()
                .add(FaultRule.status("^/_sandbox/blob/", 503)
                        .onMethod("PUT")
                        .withRetryAfter(1)
                        .times(1));
        assertEquals(503, api.sendPlain("PUT", url, pbix, blockBlob).status());
        PowerBiCalls.Response put = api.sendPlain("PUT", url, pbix, blockBlob);
        assertEquals(201, put.status(), put.toString());
        PowerBiCalls.Response r = api.post(
                SALES + "/imports" + q("Big Model.pbix", "CreateOrOverwrite"), "{\"fileUrl\": \"" + url + "\"}");
        assertEquals(202, r.status(), r.toString());
        String id = r.json().get("id").asText();
        assertEquals(
                "Big Model",
                finishImport(SALES, id, "Succeeded").at("/datasets/0/name").asText());
        assertEquals(
                pbix.length,
                sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS)
                        .importJob(id)
                        .orElseThrow()
                        .fileSize());
    }

    @Test
    void row28BlockUploadsAndRefusals() {
        String url = api.post(SALES + "/imports/createTemporaryUploadLocation", null)
                .json()
                .get("Url")
                .asText();
        String first = Base64.getEncoder().encodeToString("block-1".getBytes(StandardCharsets.UTF_8));
        String second = Base64.getEncoder().encodeToString("block-2".getBytes(StandardCharsets.UTF_8));
        byte[] a = java.util.Arrays.copyOfRange(pbix, 0, 1000);
        byte[] b = java.util.Arrays.copyOfRange(pbix, 1000, pbix.length);
        assertEquals(
                201,
                api.sendPlain("PUT", url + "&comp=block&blockid=" + enc(first), a, Map.of())
                        .status());
        assertEquals(
                201,
                api.sendPlain("PUT", url + "&comp=block&blockid=" + enc(second), b, Map.of())
                        .status());
        String list = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList><Latest>" + first + "</Latest><Latest>"
                + second + "</Latest></BlockList>";
        assertEquals(
                400,
                api.sendPlain(
                                "PUT",
                                url + "&comp=blocklist",
                                list.replace(second, "bm9wZQ==").getBytes(StandardCharsets.UTF_8),
                                Map.of())
                        .status());
        assertEquals(
                201,
                api.sendPlain("PUT", url + "&comp=blocklist", list.getBytes(StandardCharsets.UTF_8), Map.of())
                        .status());
        String id = api.post(SALES + "/imports" + q("Blocks.pbix", null), "{\"fileUrl\":\"" + url + "\"}")
                .json()
                .get("id")
                .asText();
        finishImport(SALES, id, "Succeeded");
        assertEquals(
                pbix.length,
                sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS)
                        .importJob(id)
                        .orElseThrow()
                        .fileSize());

        // an upload location nobody uploaded to, a foreign URL, shared capacity, an expired SAS
        String unused = api.post(SALES + "/imports/createTemporaryUploadLocation", null)
                .json()
                .get("Url")
                .asText();
        assertError(
                api.post(SALES + "/imports" + q("x.pbix", null), "{\"fileUrl\":\"" + unused + "\"}"),
                400,
                "InvalidRequest");
        assertError(
                api.post(SALES + "/imports" + q("x.pbix", null), "{\"fileUrl\":\"https://example.org/x\"}"),
                400,
                "InvalidRequest");
        assertError(api.post(FINANCE + "/imports/createTemporaryUploadLocation", null), 400, "InvalidRequest");
        sandbox.clock().advance(Duration.ofHours(2));
        PowerBiCalls.Response expired = api.sendPlain("PUT", unused, pbix, Map.of("x-ms-blob-type", "BlockBlob"));
        assertEquals(403, expired.status(), expired.toString());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void stateShowsImports() throws IOException {
        String id = upload(SALES, q("Seen.pbix", null), "Seen.pbix", pbix)
                .json()
                .get("id")
                .asText();
        JsonNode state = api.control("GET", "/_sandbox/state", null).json();
        JsonNode job = state.at("/tenants/0/workspaces/0/imports/0");
        assertEquals(id, job.get("id").asText());
        assertEquals("Publishing", job.get("importState").asText());
        assertEquals("Seen.pbix", job.get("fileName").asText());
        JsonNode unpublished = StreamSupport.stream(
                        state.at("/tenants/0/workspaces/0/datasets").spliterator(), false)
                .filter(d -> d.get("name").asText().equals("Seen"))
                .findFirst()
                .orElseThrow();
        assertFalse(unpublished.get("published").asBoolean());
    }
}
