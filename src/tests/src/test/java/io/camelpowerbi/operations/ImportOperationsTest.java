package io.camelpowerbi.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.TestClock;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportOperationsTest extends WireMockSupport {

    static final String IMPORTS = BASE + "/imports";
    static final byte[] PBIX = {
        'P', 'K', 3, 4, 0, (byte) 0xFF, (byte) 0x80, '\r', '\n', '-', '-', 'x', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
    };
    static final ImportWaitOptions WAIT = new ImportWaitOptions(Duration.ofSeconds(5), Duration.ofMinutes(5));

    final TestClock time = new TestClock();

    ImportOperations ops(long largeFileThreshold, long singlePutLimit, long blockSize) {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return new ImportOperations(
                client,
                new Poller(time),
                largeFileThreshold,
                new BlobUploader(http, singlePutLimit, blockSize, new Poller(time)));
    }

    ImportOperations ops() {
        return ops(
                ImportOperations.DEFAULT_LARGE_FILE_THRESHOLD,
                BlobUploader.DEFAULT_SINGLE_PUT_LIMIT,
                BlobUploader.DEFAULT_BLOCK_SIZE);
    }

    @BeforeEach
    void noImportsByDefault() {
        // every import first lists the workspace's imports (to find it should the answer be lost)
        wm.stubFor(get(urlPathEqualTo(IMPORTS)).atPriority(10).willReturn(okJson("{\"value\":[]}")));
    }

    void accepted(String id) {
        wm.stubFor(post(urlPathEqualTo(IMPORTS))
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"" + id + "\"}")));
    }

    void publishingThen(String id, String last) {
        wm.stubFor(get(urlPathEqualTo(IMPORTS + "/" + id))
                .inScenario("i")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("done")
                .willReturn(okJson("{\"id\":\"" + id + "\",\"name\":\"Sales\",\"importState\":\"Publishing\"}")));
        wm.stubFor(get(urlPathEqualTo(IMPORTS + "/" + id))
                .inScenario("i")
                .whenScenarioStateIs("done")
                .willReturn(okJson(last)));
    }

    static final String I1 = "44444444-4444-4444-4444-444444444444";
    static final String SUCCEEDED =
            "{\"id\":\"" + I1 + "\",\"name\":\"Sales\",\"importState\":\"Succeeded\"," + "\"datasets\":[{\"id\":\"" + D
                    + "\",\"name\":\"Sales\"}],\"reports\":[{\"id\":\"" + R + "\",\"name\":\"Sales\"}]}";

    @Test
    void pbixIsPostedAsMultipartAndFollowedToSucceeded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Sales.pbix");
        Files.write(file, PBIX);
        accepted(I1);
        publishingThen(I1, SUCCEEDED);

        ImportResult result = ops().importFile(G, file, null, NameConflict.CreateOrOverwrite, true, WAIT);

        assertEquals(
                new ImportResult(
                        I1,
                        "Sales",
                        "Succeeded",
                        List.of(Map.of("id", D, "name", "Sales")),
                        List.of(Map.of("id", R, "name", "Sales"))),
                result);
        wm.verify(postRequestedFor(urlPathEqualTo(IMPORTS))
                .withQueryParam("datasetDisplayName", equalTo("Sales"))
                .withQueryParam("nameConflict", equalTo("CreateOrOverwrite"))
                .withQueryParam("skipReport", equalTo("true"))
                .withHeader("Content-Type", containing("multipart/form-data; boundary="))
                .withHeader("Authorization", equalTo("Bearer test-token"))
                .withRequestBodyPart(aMultipart()
                        .withName("file")
                        .withBody(binaryEqualTo(PBIX))
                        .build()));
        LoggedRequest post =
                wm.findAll(postRequestedFor(urlPathEqualTo(IMPORTS))).get(0);
        assertTrue(indexOf(post.getBody(), PBIX) >= 0, "the multipart body carries the file's bytes unchanged");
        assertTrue(new String(post.getBody(), StandardCharsets.ISO_8859_1).contains("filename=\"Sales.pbix\""));
        wm.verify(2, getRequestedFor(urlPathEqualTo(IMPORTS + "/" + I1)));
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5)), time.sleeps());
    }

    @Test
    void rdlBytesKeepTheirExtensionAndDefaultToAbort() {
        accepted("44444442-4444-4444-4444-444444444444");

        ImportResult result = ops().importFile(
                        G,
                        ImportSource.of("<Report/>".getBytes(StandardCharsets.UTF_8), "Invoice.rdl"),
                        "Invoice",
                        null,
                        false,
                        null);

        assertEquals("44444442-4444-4444-4444-444444444444", result.id());
        assertNull(result.importState());
        wm.verify(postRequestedFor(urlPathEqualTo(IMPORTS))
                .withQueryParam("datasetDisplayName", equalTo("Invoice.rdl"))
                .withQueryParam("nameConflict", equalTo("Abort"))
                .withQueryParam("skipReport", absent())
                .withRequestBodyPart(aMultipart()
                        .withName("file")
                        .withBody(binaryEqualTo("<Report/>".getBytes(StandardCharsets.UTF_8)))
                        .build()));
        assertEquals(
                List.of("GET " + IMPORTS, "POST " + IMPORTS + "?datasetDisplayName=Invoice.rdl&nameConflict=Abort"),
                traffic()); // the list read before the submit, then not waited for
    }

    @Test
    void anImportAnswered500IsFoundByNameAndFollowedNotImportedAgain() {
        // The service took the file, but answered 500: with nameConflict Ignore a second POST makes a second dataset.
        wm.stubFor(post(urlPathEqualTo(IMPORTS)).willReturn(aResponse().withStatus(500)));
        String older =
                "{\"id\":\"44444440-4444-4444-4444-444444444444\",\"name\":\"Sales\",\"importState\":\"Succeeded\",\"createdDateTime\":\"2025-01-01T08:00:00Z\"}";
        wm.stubFor(get(urlPathEqualTo(IMPORTS))
                .inScenario("list")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("before")
                .willReturn(okJson("{\"value\":[" + older + "]}"))); // before the submit
        wm.stubFor(get(urlPathEqualTo(IMPORTS))
                .inScenario("list")
                .whenScenarioStateIs("before")
                .willSetStateTo("there")
                .willReturn(okJson("{\"value\":[" + older + "]}"))); // not listed yet
        wm.stubFor(get(urlPathEqualTo(IMPORTS))
                .inScenario("list")
                .whenScenarioStateIs("there")
                .willReturn(okJson("{\"value\":[" + older
                        + ",{\"id\":\"44444441-4444-4444-4444-444444444444\",\"name\":\"Sales\",\"importState\":\"Publishing\","
                        + "\"createdDateTime\":\"2025-01-02T08:00:00Z\"}]}")));
        publishingThen("44444441-4444-4444-4444-444444444444", SUCCEEDED);

        ImportResult result = ops().importFile(G, ImportSource.of(PBIX, "Sales.pbix"), null, null, false, WAIT);

        assertEquals(
                "44444441-4444-4444-4444-444444444444", result.id(), "the new import of that name, not the older one");
        assertEquals("Succeeded", result.importState());
        wm.verify(1, postRequestedFor(urlPathEqualTo(IMPORTS)));
    }

    @Test
    void anImportThatDidNotHappenIsSentOnceMoreAfterTheWindow() {
        wm.stubFor(post(urlPathEqualTo(IMPORTS))
                .inScenario("post")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("ok")
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        wm.stubFor(post(urlPathEqualTo(IMPORTS))
                .inScenario("post")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"44444442-4444-4444-4444-444444444444\"}")));

        ImportResult result = ops().importFile(G, ImportSource.of(PBIX, "Sales.pbix"), null, null, false, null);

        assertEquals("44444442-4444-4444-4444-444444444444", result.id());
        wm.verify(2, postRequestedFor(urlPathEqualTo(IMPORTS)));
        assertEquals(ImportOperations.RECONCILE_WINDOW, time.slept());
    }

    @Test
    void failedImportRaisesWithPowerBisError() {
        accepted(I1);
        publishingThen(
                I1,
                "{\"id\":\"" + I1
                        + "\",\"importState\":\"Failed\",\"error\":{\"code\":\"PowerBIModelNotFoundException\","
                        + "\"details\":\"The model could not be read\"}}");

        ImportFailedException e = assertThrows(
                ImportFailedException.class,
                () -> ops().importFile(
                                G, ImportSource.of(PBIX, "Sales.pbix"), "Sales", NameConflict.Abort, false, WAIT));

        assertEquals(I1, e.importId());
        assertContains(
                e.getMessage(),
                "import " + I1 + " of Sales.pbix failed: PowerBIModelNotFoundException The model could not be read");
    }

    @Test
    void publishingTooLongTimesOut() {
        accepted(I1);
        wm.stubFor(get(urlPathEqualTo(IMPORTS + "/" + I1))
                .willReturn(okJson("{\"id\":\"" + I1 + "\",\"importState\":\"Publishing\"}")));

        OperationTimeoutException e = assertThrows(
                OperationTimeoutException.class,
                () -> ops().importFile(
                                G,
                                ImportSource.of(PBIX, "Sales.pbix"),
                                null,
                                null,
                                false,
                                new ImportWaitOptions(Duration.ofSeconds(4), Duration.ofSeconds(10))));

        assertEquals("Publishing", e.lastState());
        assertEquals(List.of(Duration.ofSeconds(4), Duration.ofSeconds(4), Duration.ofSeconds(2)), time.sleeps());
    }

    @Test
    void largeFileGoesThroughTheTemporaryUploadLocationWithoutTheToken(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Big.pbix");
        Files.write(file, PBIX);
        String sas = wm.baseUrl() + "/blob/imports/big.pbix?sv=2021-08-06&sr=b&sig=SECRET-SIGNATURE";
        wm.stubFor(post(urlPathEqualTo(IMPORTS + "/createTemporaryUploadLocation"))
                .willReturn(okJson("{\"Url\":\"" + sas + "\",\"ExpirationTime\":\"2030-01-01T00:00:00Z\"}")));
        wm.stubFor(put(urlPathEqualTo("/blob/imports/big.pbix"))
                .willReturn(aResponse().withStatus(201)));
        accepted(I1);
        publishingThen(I1, SUCCEEDED);

        ImportResult result = ops(10, 1024, 1024).importFile(G, file, null, NameConflict.Overwrite, false, WAIT);

        assertEquals("Succeeded", result.importState());
        wm.verify(putRequestedFor(urlPathEqualTo("/blob/imports/big.pbix"))
                .withQueryParam("sig", equalTo("SECRET-SIGNATURE"))
                .withHeader("x-ms-blob-type", equalTo("BlockBlob"))
                .withHeader("Authorization", absent())
                .withRequestBody(binaryEqualTo(PBIX)));
        wm.verify(postRequestedFor(urlPathEqualTo(IMPORTS))
                .withQueryParam("datasetDisplayName", equalTo("Big"))
                .withQueryParam("nameConflict", equalTo("Overwrite"))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("{\"fileUrl\":\"" + sas + "\"}")));
        assertEquals(
                List.of(
                        "POST " + IMPORTS + "/createTemporaryUploadLocation",
                        "PUT /blob/imports/big.pbix?sv=2021-08-06&sr=b&sig=SECRET-SIGNATURE",
                        "GET " + IMPORTS,
                        "POST " + IMPORTS + "?datasetDisplayName=Big&nameConflict=Overwrite",
                        "GET " + IMPORTS + "/" + I1,
                        "GET " + IMPORTS + "/" + I1),
                traffic());
    }

    @Test
    void temporaryUploadLocationIsAskedForWithoutABodyOrContentType(@TempDir Path dir) throws Exception {
        // SW documents createTemporaryUploadLocation without a request body (consumes nothing): an empty POST carries
        // Content-Length 0 and no Content-Type claiming JSON.
        Path file = dir.resolve("Big.pbix");
        Files.write(file, PBIX);
        String sas = wm.baseUrl() + "/blob/imports/big.pbix?sv=2021-08-06&sr=b&sig=S";
        wm.stubFor(post(urlPathEqualTo(IMPORTS + "/createTemporaryUploadLocation"))
                .willReturn(okJson("{\"Url\":\"" + sas + "\"}")));
        wm.stubFor(put(urlPathEqualTo("/blob/imports/big.pbix"))
                .willReturn(aResponse().withStatus(201)));
        accepted(I1);

        ops(10, 1024, 1024).importFile(G, file, null, null, false, null);

        wm.verify(postRequestedFor(urlPathEqualTo(IMPORTS + "/createTemporaryUploadLocation"))
                .withHeader("Content-Length", equalTo("0"))
                .withHeader("Content-Type", absent()));
    }

    @Test
    void veryLargeFilesAreUploadedInBlocks(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Huge.pbix");
        Files.write(file, PBIX); // 25 bytes: blocks of 8, 8, 8 and 1
        String sas = wm.baseUrl() + "/blob/imports/huge.pbix?sig=S";
        wm.stubFor(post(urlPathEqualTo(IMPORTS + "/createTemporaryUploadLocation"))
                .willReturn(okJson("{\"Url\":\"" + sas + "\"}")));
        wm.stubFor(put(urlPathEqualTo("/blob/imports/huge.pbix"))
                .willReturn(aResponse().withStatus(201)));
        accepted(I1);

        ops(10, 10, 8).importFile(G, file, "Huge", null, false, null);

        List<LoggedRequest> puts = wm.findAll(putRequestedFor(urlPathMatching("/blob/.*")));
        assertEquals(5, puts.size());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        StringBuilder expectedList = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
        for (int i = 0; i < 4; i++) {
            LoggedRequest block = puts.get(i);
            String id = Base64.getEncoder()
                    .encodeToString(String.format("block-%08d", i).getBytes(StandardCharsets.US_ASCII));
            assertEquals("block", block.queryParameter("comp").firstValue());
            assertEquals(id, block.queryParameter("blockid").firstValue());
            assertEquals("S", block.queryParameter("sig").firstValue());
            assertFalse(block.containsHeader("Authorization"));
            joined.write(block.getBody());
            expectedList.append("<Latest>").append(id).append("</Latest>");
        }
        assertArrayEquals(PBIX, joined.toByteArray());
        LoggedRequest commit = puts.get(4);
        assertEquals("blocklist", commit.queryParameter("comp").firstValue());
        assertEquals(expectedList.append("</BlockList>").toString(), commit.getBodyAsString());
        assertFalse(commit.containsHeader("Authorization"));
        wm.verify(postRequestedFor(urlPathEqualTo(IMPORTS))
                .withRequestBody(equalToJson("{\"fileUrl\":\"" + sas + "\"}")));
    }

    @Test
    void refusedUploadNeverShowsTheSasSignature() {
        String sas = wm.baseUrl() + "/blob/imports/big.pbix?sig=SECRET-SIGNATURE";
        wm.stubFor(post(urlPathEqualTo(IMPORTS + "/createTemporaryUploadLocation"))
                .willReturn(okJson("{\"Url\":\"" + sas + "\"}")));
        wm.stubFor(put(urlPathEqualTo("/blob/imports/big.pbix"))
                .willReturn(aResponse().withStatus(403).withHeader("x-ms-error-code", "AuthenticationFailed")));

        PowerBiOperationException e = assertThrows(
                PowerBiOperationException.class,
                () -> ops(10, 1024, 1024).importFile(G, ImportSource.of(PBIX, "Big.pbix"), null, null, false, WAIT));

        assertContains(e.getMessage(), "HTTP 403, AuthenticationFailed", "/blob/imports/big.pbix", "expires");
        assertNotContains(e.getMessage(), "SECRET", "sig=");
        wm.verify(0, postRequestedFor(urlPathEqualTo(IMPORTS)));
    }

    @Test
    void blobServerErrorsAreRetried() {
        String sas = wm.baseUrl() + "/blob/imports/big.pbix?sig=S";
        wm.stubFor(post(urlPathEqualTo(IMPORTS + "/createTemporaryUploadLocation"))
                .willReturn(okJson("{\"Url\":\"" + sas + "\"}")));
        wm.stubFor(put(urlPathEqualTo("/blob/imports/big.pbix"))
                .inScenario("b")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("ok")
                .willReturn(aResponse().withStatus(503)));
        wm.stubFor(put(urlPathEqualTo("/blob/imports/big.pbix"))
                .inScenario("b")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(201)));
        accepted(I1);

        ops(10, 1024, 1024).importFile(G, ImportSource.of(PBIX, "Big.pbix"), null, null, false, null);

        wm.verify(2, putRequestedFor(urlPathEqualTo("/blob/imports/big.pbix")).withRequestBody(binaryEqualTo(PBIX)));
        assertEquals(List.of(Duration.ofSeconds(2)), time.sleeps());
    }

    @Test
    void invalidCombinationsAreRefusedBeforeSending(@TempDir Path dir) throws Exception {
        ImportOperations ops = ops();
        assertContains(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ops.importFile(G, ImportSource.of(PBIX, "notes.txt"), null, null, false, null))
                        .getMessage(),
                ".pbix, .rdl or .xlsx");
        assertContains(
                assertThrows(
                                InvalidOptionException.class,
                                () -> ops.importFile(
                                        G,
                                        ImportSource.of(PBIX, "r.rdl"),
                                        null,
                                        NameConflict.CreateOrOverwrite,
                                        false,
                                        null))
                        .getMessage(),
                "nameConflict: CreateOrOverwrite is not accepted for .rdl files. Fix: use Abort or Overwrite");
        assertContains(
                assertThrows(
                                InvalidOptionException.class,
                                () -> ops.importFile(G, ImportSource.of(PBIX, "book.xlsx"), null, null, true, null))
                        .getMessage(),
                "skipReport");
        assertContains(
                assertThrows(IllegalArgumentException.class, () -> ImportSource.of(dir.resolve("missing.pbix")))
                        .getMessage(),
                "does not exist");
        assertEquals("Book.xlsx", ImportOperations.displayName(null, "Book.xlsx", "xlsx"));
        assertEquals("Report.rdl", ImportOperations.displayName(null, "Report.rdl", "rdl"));
        assertTrue(requests().isEmpty());
        wm.verify(0, postRequestedFor(anyUrl()));
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
