package io.camelpowerbi.push;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.camelpowerbi.LogCapture;
import io.camelpowerbi.TestClock;
import io.camelpowerbi.auth.AccessToken;
import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.client.RetryPolicy;
import io.camelpowerbi.contract.WireMockContractListener;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline against a WireMock Power BI through the real PowerBiClient: exact wire traffic, retries, failures. */
class PushPipelineTest {

    static final String ROWS =
            "/v1.0/myorg/groups/7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52/datasets/d-1/tables/Orders/rows";
    static final ObjectMapper JSON = new ObjectMapper();
    static final TableSchema ORDERS = TableSchema.parse("{\"name\":\"Orders\",\"columns\":["
            + "{\"name\":\"Id\",\"dataType\":\"Int64\"},{\"name\":\"Customer\",\"dataType\":\"String\"},"
            + "{\"name\":\"Amount\",\"dataType\":\"Decimal\"},{\"name\":\"Paid\",\"dataType\":\"Boolean\"},"
            + "{\"name\":\"When\",\"dataType\":\"DateTime\"}]}");

    static WireMockServer pbi;
    static CloseableHttpClient http;

    @TempDir
    Path spoolDir;

    final TestClock time = new TestClock();
    PowerBiClient client;
    final PushPipeline pipeline = new PushPipeline();

    @BeforeAll
    static void start() {
        pbi = new WireMockServer(
                options().dynamicPort().bindAddress("127.0.0.1").extensions(new WireMockContractListener()));
        pbi.start();
        http = HttpClientFactory.create(null, null, Duration.ofSeconds(5), Duration.ofSeconds(30), 4);
    }

    @AfterAll
    static void stop() throws Exception {
        http.close();
        pbi.stop();
    }

    @BeforeEach
    void reset() {
        pbi.resetAll();
        AccessToken token = new AccessToken(
                "test-token", Instant.now().plusSeconds(3600), Instant.now().plusSeconds(3000));
        client = new PowerBiClient(
                http,
                pbi.baseUrl(),
                () -> token,
                new RetryPolicy(
                        5,
                        Duration.ofMillis(10),
                        Duration.ofMillis(50),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(5)));
        pbi.stubFor(post(urlPathMatching("/v1.0/myorg/groups/.*/rows"))
                .atPriority(10)
                .willReturn(aResponse().withStatus(200)));
    }

    PushRequest.Builder request(Object body) {
        return PushRequest.builder("7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52", "d-1", ORDERS)
                .body(body)
                .spoolDirectory(spoolDir)
                .limiter(new DatasetRateLimiter("d-1", RateLimits.DEFAULTS, time));
    }

    static String csv(int rows) {
        StringBuilder sb = new StringBuilder("Id,Customer,Amount,Paid,When\n");
        for (int i = 1; i <= rows; i++) {
            sb.append(i)
                    .append(",customer ")
                    .append(i)
                    .append(',')
                    .append(i % 100)
                    .append(".5,yes,2026-11-30\n");
        }
        return sb.toString();
    }

    /** POST rows requests in the order they were made, with the status each got. */
    static List<ServeEvent> posts() {
        List<ServeEvent> events = new ArrayList<>(pbi.getAllServeEvents());
        events.removeIf(e -> !e.getRequest().getMethod().getName().equals("POST"));
        events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        return events;
    }

    static List<Long> ids(LoggedRequest request) {
        try {
            List<Long> ids = new ArrayList<>();
            for (JsonNode row : JSON.readTree(request.getBody()).path("rows")) {
                ids.add(row.path("Id").asLong());
            }
            return ids;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Ids Power BI accepted (answered 200), in order. */
    static List<Long> acceptedIds() {
        return posts().stream()
                .filter(e -> e.getResponse().getStatus() == 200)
                .flatMap(e -> ids(e.getRequest()).stream())
                .toList();
    }

    static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // ------------------------------------------------------------------ wire traffic

    @Test
    void sendsCoercedRowsInExactBodies() {
        List<Map<String, Object>> body = List.of(
                row(
                        "Id",
                        "1",
                        "Customer",
                        "ACME",
                        "Amount",
                        "12.50",
                        "Paid",
                        "yes",
                        "When",
                        "2026-11-30T11:15:30+01:00"),
                row("id", 2, "customer", 42, "amount", 3, "paid", false, "when", "2026-11-30"),
                row("Id", 3, "Amount", "", "Paid", "0"));
        PushResult result = pipeline.push(client, request(body).batchSize(2).build());

        List<ServeEvent> posts = posts();
        assertEquals(2, posts.size());
        for (ServeEvent e : posts) {
            assertEquals(ROWS, e.getRequest().getUrl());
            assertEquals("Bearer test-token", e.getRequest().getHeader("Authorization"));
            assertTrue(e.getRequest().getHeader("Content-Type").startsWith("application/json"));
        }
        assertEquals(
                "{\"rows\":[{\"Id\":1,\"Customer\":\"ACME\",\"Amount\":12.5,\"Paid\":true,\"When\":\"2026-11-30T10:15:30.000Z\"},"
                        + "{\"Id\":2,\"Customer\":\"42\",\"Amount\":3,\"Paid\":false,\"When\":\"2026-11-30T00:00:00.000Z\"}]}",
                posts.get(0).getRequest().getBodyAsString());
        assertEquals(
                "{\"rows\":[{\"Id\":3,\"Amount\":null,\"Paid\":false}]}",
                posts.get(1).getRequest().getBodyAsString());
        assertEquals(3, result.rowsRead());
        assertEquals(3, result.rowsSent());
        assertEquals(2, result.batches());
        assertEquals(0, result.rejectedCount());
        assertEquals(0, result.throttledWaits());
    }

    @Test
    void a25001RowCsvGoesOutIn10000And10000And5001() throws Exception {
        Path file = Files.writeString(spoolDir.resolve("orders.csv"), csv(25_001));
        PushResult result = pipeline.push(client, request(file.toFile()).build());
        List<ServeEvent> posts = posts();
        assertEquals(
                List.of(10_000, 10_000, 5_001),
                posts.stream().map(e -> ids(e.getRequest()).size()).toList());
        assertEquals(range(1, 25_001), acceptedIds());
        assertEquals(25_001, result.rowsSent());
        assertEquals(3, result.batches());
        JsonNode first =
                JSON.readTree(posts.get(0).getRequest().getBody()).path("rows").get(0);
        assertEquals(
                "{\"Id\":1,\"Customer\":\"customer 1\",\"Amount\":1.5,\"Paid\":true,\"When\":\"2026-11-30T00:00:00.000Z\"}",
                first.toString());
    }

    @Test
    void tableNamesAreEncodedInThePath() {
        TableSchema schema = TableSchema.parse(
                "{\"name\":\"Sales Orders #1\",\"columns\":[{\"name\":\"Id\",\"dataType\":\"Int64\"}]}");
        pipeline.push(
                client,
                PushRequest.builder("7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52", "d-1", schema)
                        .body(row("Id", 1))
                        .limiter(new DatasetRateLimiter("d-1", RateLimits.DEFAULTS, time))
                        .build());
        assertEquals(
                "/v1.0/myorg/groups/7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52/datasets/d-1/tables/Sales%20Orders%20%231/rows",
                posts().get(0).getRequest().getUrl());
    }

    // ------------------------------------------------------------------ retries: every row exactly once

    @Test
    void a429WithRetryAfterIsRetriedAndEveryRowArrivesOnce() {
        pbi.stubFor(post(urlEqualTo(ROWS))
                .withRequestBody(containing("{\"Id\":10001,"))
                .inScenario("throttle")
                .whenScenarioStateIs(STARTED)
                .willSetStateTo("throttled")
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"You have exceeded the amount of requests allowed in the current time "
                                + "frame and further requests will fail. Retry in 1 seconds.\"}")));
        PushResult result = pipeline.push(client, request(csv(25_001)).build());
        assertEquals(
                List.of(200, 429, 200, 200),
                posts().stream().map(e -> e.getResponse().getStatus()).toList());
        assertEquals(range(1, 25_001), acceptedIds(), "every row accepted exactly once, in order");
        assertEquals(25_001, result.rowsSent());
        assertEquals(3, result.batches());
    }

    @Test
    void a500MidPushIsRetriedAndEveryRowArrivesOnce() {
        pbi.stubFor(post(urlEqualTo(ROWS))
                .withRequestBody(containing("{\"Id\":20001,"))
                .inScenario("flaky")
                .whenScenarioStateIs(STARTED)
                .willSetStateTo("failed once")
                .atPriority(1)
                .willReturn(aResponse().withStatus(500).withBody("{\"error\":{\"code\":\"InternalServerError\"}}")));
        PushResult result = pipeline.push(client, request(csv(25_001)).build());
        assertEquals(
                List.of(200, 200, 500, 200),
                posts().stream().map(e -> e.getResponse().getStatus()).toList());
        assertEquals(range(1, 25_001), acceptedIds());
        assertEquals(25_001, result.rowsSent());
    }

    @Test
    void aPermanent400OnBatch2FailsNamingWhatWasAcceptedAndTheFailedRange() {
        pbi.stubFor(
                post(urlEqualTo(ROWS))
                        .withRequestBody(containing("{\"Id\":10001,"))
                        .atPriority(1)
                        .willReturn(
                                aResponse()
                                        .withStatus(400)
                                        .withHeader("Content-Type", "application/json")
                                        .withHeader("RequestId", "req-42")
                                        .withBody(
                                                "{\"error\":{\"code\":\"InvalidRequest\",\"message\":\"Column 'Amount' is invalid\"}}")));
        PushException e = assertThrows(
                PushException.class,
                () -> pipeline.push(client, request(csv(25_001)).build()));
        assertEquals(10_000, e.rowsAccepted());
        assertEquals(1, e.batchesAccepted());
        assertEquals(10_001, e.failedFirstRow());
        assertEquals(20_000, e.failedLastRow());
        assertTrue(
                e.getMessage().contains("10,000 rows in 1 batch")
                        && e.getMessage().contains("rows 10,001 to 20,000")
                        && e.getMessage().contains("InvalidRequest")
                        && e.getMessage().contains("req-42"),
                e.getMessage());
        PowerBiException cause = assertInstanceOf(PowerBiException.class, e.getCause());
        assertEquals(400, cause.httpStatus());
        assertEquals(2, posts().size(), "nothing is sent after the failed batch");
        assertEquals(range(1, 10_000), acceptedIds());
    }

    // ------------------------------------------------------------------ invalid rows

    static List<Map<String, Object>> ordersWithBadRow7() {
        return IntStream.rangeClosed(1, 12)
                .mapToObj(i -> row("Id", i, "Customer", "c" + i, "Amount", i == 7 ? "12,50" : "12.50"))
                .collect(Collectors.toList());
    }

    @Test
    void failPolicySendsNothingWhenRow7IsBad() {
        InvalidRowsException e = assertThrows(
                InvalidRowsException.class,
                () -> pipeline.push(client, request(ordersWithBadRow7()).build()));
        assertEquals(0, posts().size());
        assertEquals(1, e.rejectedCount());
        assertEquals(12, e.rowsRead());
        assertEquals(7, e.rejected().get(0).rowNumber());
        assertEquals("Amount", e.rejected().get(0).column());
        assertTrue(
                e.getMessage().contains("row 7, column 'Amount'")
                        && e.getMessage().contains("nothing was sent")
                        && e.getMessage().contains("decimal point"),
                e.getMessage());
    }

    @Test
    void failPolicyOnAReadOnceStreamSpoolsAndSendsNothingWhenRow7IsBad() throws Exception {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 1; i <= 25_000; i++) {
            ndjson.append("{\"Id\":")
                    .append(i == 7 ? "\"seven\"" : String.valueOf(i))
                    .append(",\"Customer\":\"c\"}\n");
        }
        ndjson.append("not json\n");
        ByteArrayInputStream in = new ByteArrayInputStream(ndjson.toString().getBytes(StandardCharsets.UTF_8));
        InvalidRowsException e = assertThrows(
                InvalidRowsException.class,
                () -> pipeline.push(client, request(in).build()));
        assertEquals(0, posts().size());
        assertEquals(2, e.rejectedCount(), "every rejection is counted, not just the first");
        assertEquals(7, e.rejected().get(0).rowNumber());
        assertEquals("Id", e.rejected().get(0).column());
        assertEquals(25_001, e.rejected().get(1).rowNumber());
        try (Stream<Path> left = Files.list(spoolDir)) {
            assertEquals(0, left.count(), "the spool file is deleted");
        }
    }

    @Test
    void failPolicyOnAReadOnceStreamSendsEverythingFromTheSpool() throws Exception {
        CountingInputStream in =
                new CountingInputStream(new ByteArrayInputStream(csv(25_001).getBytes(StandardCharsets.UTF_8)));
        PushResult result =
                pipeline.push(client, request(in).fileName("orders.csv").build());
        assertEquals(range(1, 25_001), acceptedIds());
        assertEquals(25_001, result.rowsRead());
        assertEquals(3, result.batches());
        assertTrue(in.closed);
        try (Stream<Path> left = Files.list(spoolDir)) {
            assertEquals(0, left.count(), "the spool file is deleted");
        }
    }

    @Test
    void failPolicyReadsTheBodyOnceAndSendsTheBatchesItChecked() throws Exception {
        // the checking pass serialises the batches to the spool, so sending reads bytes, not the body a second time
        AtomicInteger passes = new AtomicInteger();
        List<Map<String, Object>> rows = new AbstractList<>() {
            @Override
            public Map<String, Object> get(int i) {
                return row("Id", i + 1, "Customer", "c" + (i + 1));
            }

            @Override
            public int size() {
                return 25_001;
            }

            @Override
            public Iterator<Map<String, Object>> iterator() {
                passes.incrementAndGet();
                return super.iterator();
            }
        };
        PushResult result = pipeline.push(client, request(rows).build());
        assertEquals(1, passes.get(), "the rows were read once");
        assertEquals(range(1, 25_001), acceptedIds());
        assertEquals(3, result.batches());
        try (Stream<Path> left = Files.list(spoolDir)) {
            assertEquals(0, left.count(), "the spool file is deleted");
        }
    }

    @Test
    void failPolicyListsTheFirst20AndCountsAll() {
        List<Map<String, Object>> rows =
                IntStream.rangeClosed(1, 50).mapToObj(i -> row("Id", "x" + i)).collect(Collectors.toList());
        InvalidRowsException e = assertThrows(
                InvalidRowsException.class,
                () -> pipeline.push(client, request(rows).build()));
        assertEquals(50, e.rejectedCount());
        assertEquals(20, e.rejected().size());
        assertTrue(
                e.getMessage().contains("50 of 50 rows do not fit")
                        && e.getMessage().contains("and 30 more"),
                e.getMessage());
    }

    @Test
    void skipPolicySendsTheValidRowsAndReturnsTheRejectedOnes() {
        List<Map<String, Object>> rows = ordersWithBadRow7();
        rows.get(9).put("Colour", "red"); // row 10: unknown column
        PushResult result = pipeline.push(
                client, request(rows).policy(InvalidRowPolicy.SKIP).build());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 8L, 9L, 11L, 12L), acceptedIds());
        assertEquals(12, result.rowsRead());
        assertEquals(10, result.rowsSent());
        assertEquals(2, result.rejectedCount());
        RejectedRow seven = result.rejected().get(0);
        assertEquals(7, seven.rowNumber());
        assertEquals("Amount", seven.column());
        assertEquals("12,50", seven.row().get("Amount"), "the row as read, for the route to repair");
        assertEquals(10, result.rejected().get(1).rowNumber());
        assertEquals("Colour", result.rejected().get(1).column());

        pbi.resetRequests();
        PushResult ignoring = pipeline.push(
                client,
                request(rows)
                        .policy(InvalidRowPolicy.SKIP)
                        .ignoreUnknownColumns(true)
                        .build());
        assertEquals(11, ignoring.rowsSent());
    }

    @Test
    void skipPolicyGivesUpWhenTooManyRowsAreRejected() {
        List<Map<String, Object>> rows = IntStream.rangeClosed(1, 30)
                .mapToObj(i -> row("Id", i <= 5 ? i : "bad"))
                .collect(Collectors.toList());
        PushException e = assertThrows(
                PushException.class,
                () -> pipeline.push(
                        client,
                        request(rows)
                                .policy(InvalidRowPolicy.SKIP)
                                .maxRejectedRows(10)
                                .batchSize(2)
                                .build()));
        assertTrue(e.getMessage().contains("more than 10 rows were rejected"), e.getMessage());
        assertEquals(4, e.rowsAccepted(), "two full batches went out before the limit was hit");
        InvalidRowsException detail = assertInstanceOf(InvalidRowsException.class, e.getCause());
        assertEquals(11, detail.rejectedCount());
    }

    @Test
    void inputBreakingOffMidPushSaysWhatWasAccepted() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 1; i <= 15_000; i++) {
            json.append(i > 1 ? "," : "").append("{\"Id\":").append(i).append('}');
        }
        json.append(",{\"Id\": oops}]");
        PushException e = assertThrows(
                PushException.class,
                () -> pipeline.push(
                        client,
                        request(new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)))
                                .policy(InvalidRowPolicy.SKIP)
                                .build()));
        assertEquals(10_000, e.rowsAccepted());
        assertEquals(10_001, e.failedFirstRow());
        assertEquals(-1, e.failedLastRow());
        assertTrue(
                e.getMessage().contains("row 15001") && e.getMessage().contains("10,000 rows in 1 batch"),
                e.getMessage());
        assertInstanceOf(RowSourceException.class, e.getCause());
        assertEquals(range(1, 10_000), acceptedIds());
    }

    @Test
    void unreadableInputUnderFailPolicySendsNothingAndSaysSo() {
        PushException e = assertThrows(
                PushException.class,
                () -> pipeline.push(
                        client,
                        request(new ByteArrayInputStream(
                                        "[{\"Id\":1},{\"Id\":2},{\"Id\" 3}]".getBytes(StandardCharsets.UTF_8)))
                                .format(Format.JSON)
                                .build()));
        assertEquals(0, e.rowsAccepted());
        assertEquals(1, e.failedFirstRow());
        assertTrue(e.getMessage().contains("at row 3") && e.getMessage().contains("Nothing was sent"), e.getMessage());
        assertInstanceOf(RowSourceException.class, e.getCause());
        assertEquals(0, posts().size());

        PushException missing = assertThrows(
                PushException.class,
                () -> pipeline.push(
                        client, request(spoolDir.resolve("gone.csv").toFile()).build()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    // ------------------------------------------------------------------ rate limits and progress

    @Test
    void rateLimitWaitsAreReported() {
        DatasetRateLimiter tight = new DatasetRateLimiter("d-1", new RateLimits(2, 1_000_000, 5), time);
        PushResult result =
                pipeline.push(client, request(csv(25_001)).limiter(tight).build());
        assertEquals(3, result.batches());
        assertEquals(1, result.throttledWaits());
        assertEquals(
                Duration.ofMillis(60_600), result.throttledTime(), "the first send leaves the window after 60.6 s");
        assertEquals(0, tight.pending());
    }

    @Test
    void progressIsLoggedWithRateAndEtaButNoRowContents() {
        try (LogCapture log = LogCapture.open()) {
            pipeline.push(
                    client,
                    request(csv(25_001).replace("customer ", "secret-customer-"))
                            .progressInterval(Duration.ofNanos(1))
                            .build());
            List<String> progress = log.lines().stream()
                    .filter(l -> l.startsWith(PushProgress.class.getName()))
                    .toList();
            assertTrue(
                    progress.stream()
                            .anyMatch(l -> l.contains("rows sent in")
                                    && l.contains("rows/s")
                                    && l.contains("ETA")
                                    && l.contains("for 25,001 rows")),
                    progress::toString);
            assertTrue(
                    progress.stream().anyMatch(l -> l.contains("done, 25,001 rows sent in 3 batches")),
                    progress::toString);
            assertFalse(
                    log.lines().stream().anyMatch(l -> l.contains("secret-customer")), "row contents are never logged");
        }
    }

    // ------------------------------------------------------------------ schema from Power BI

    @Test
    void fetchesTheSchemaFromPowerBi() {
        pbi.stubFor(
                get(urlEqualTo("/v1.0/myorg/groups/7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52/datasets/d-1/tables"))
                        .willReturn(
                                aResponse()
                                        .withStatus(200)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"value\":[{\"name\":\"Other\"},{\"name\":\"Orders\","
                                                        + "\"columns\":[{\"name\":\"Id\",\"dataType\":\"Int64\"},{\"name\":\"Note\",\"dataType\":\"string\"}]}]}")));
        TableSchema schema = TableSchema.fetch(client, "7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52", "d-1", "Orders");
        assertEquals(Map.of("Id", ColumnType.INT64, "Note", ColumnType.STRING), schema.columns());
        pbi.verify(0, postRequestedFor(urlPathMatching(".*")));
        assertEquals(
                "Bearer test-token", pbi.getAllServeEvents().get(0).getRequest().getHeader("Authorization"));
    }

    @Test
    void aMissingTableListsTheTablesThatExist() {
        pbi.stubFor(get(urlEqualTo("/v1.0/myorg/groups/7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52/datasets/d-1/tables"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"value\":[{\"name\":\"Sales\"},{\"name\":\"Returns\"}]}")));
        SchemaException e = assertThrows(
                SchemaException.class,
                () -> TableSchema.fetch(client, "7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52", "d-1", "Orders"));
        assertTrue(
                e.getMessage().contains("no table 'Orders'") && e.getMessage().contains("[Sales, Returns]"),
                e.getMessage());
    }

    @Test
    void aTableListedByNameOnlyIsPushedAsGivenWithAWarningThatNothingIsCoerced() {
        // Power BI may list tables by name only (powerbi-powershell#397): pushRows without a definition still works,
        // the rows go out as read (CSV values as text), and a WARN says they were neither checked nor coerced.
        pbi.stubFor(get(urlEqualTo("/v1.0/myorg/groups/7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52/datasets/d-1/tables"))
                .withHeader("Authorization", equalTo("Bearer test-token"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"value\":[{\"name\":\"Orders\"}]}")));
        try (LogCapture log = LogCapture.open()) {
            TableSchema schema = TableSchema.fetch(client, "7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52", "d-1", "Orders");
            assertFalse(schema.columnsKnown());
            assertTrue(
                    log.lines().stream()
                            .anyMatch(l -> l.startsWith(TableSchema.class.getName())
                                    && l.contains("by name only")
                                    && l.contains("NOT checked or coerced")
                                    && l.contains("datasetDefinition")),
                    log.lines()::toString);

            PushResult result = pipeline.push(
                    client,
                    PushRequest.builder("7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52", "d-1", schema)
                            .body("Id,Amount,Paid\n5,12.50,yes\n")
                            .spoolDirectory(spoolDir)
                            .limiter(new DatasetRateLimiter("d-1", RateLimits.DEFAULTS, time))
                            .build());

            assertEquals(1, result.rowsSent());
        }
        pbi.verify(
                1,
                postRequestedFor(urlEqualTo(ROWS))
                        .withRequestBody(
                                equalToJson("{\"rows\":[{\"Id\":\"5\",\"Amount\":\"12.50\",\"Paid\":\"yes\"}]}")));
    }

    @Test
    void theSchemaCheckUsesTheExactJsonBody() {
        // equalToJson guards the body shape independently of field order
        pipeline.push(client, request(row("Id", "5")).build());
        pbi.verify(1, postRequestedFor(urlEqualTo(ROWS)).withRequestBody(equalToJson("{\"rows\":[{\"Id\":5}]}")));
    }

    // ------------------------------------------------------------------ FAIL's check of a CSV file in parts

    /**
     * A CSV file of {@code rows} orders with CRLF line breaks, quoted customers holding the separator, and (in the
     * first tenth only, away from any cut) quoted customers holding a line break.
     */
    static String partsCsv(int rows) {
        StringBuilder sb = new StringBuilder("Id,Customer,Amount,Paid,When\r\n");
        for (int i = 1; i <= rows; i++) {
            String customer = i % 13 == 0
                    ? "\"Smith, " + i + "\""
                    : i % 97 == 0 && i < rows / 10 ? "\"two\nlines " + i + "\"" : "c" + i;
            sb.append(i)
                    .append(',')
                    .append(customer)
                    .append(',')
                    .append(i % 1000)
                    .append(".25,")
                    .append(i % 3 == 0 ? "no" : "yes")
                    .append(",2026-11-")
                    .append(10 + i % 20)
                    .append("T08:15:00Z\r\n");
        }
        return sb.toString();
    }

    /** The rows of every POST rows request accepted so far, in the order sent. */
    static List<JsonNode> sentRows() throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (ServeEvent e : posts()) {
            if (e.getResponse().getStatus() != 200) {
                continue;
            }
            JSON.readTree(e.getRequest().getBodyAsString()).get("rows").forEach(rows::add);
        }
        return rows;
    }

    @Test
    void aCsvFileCheckedInPartsSendsExactlyWhatCheckingItInOrderSends() throws Exception {
        Path file = Files.writeString(spoolDir.resolve("orders.csv"), partsCsv(6_000));
        PushResult inOrder = new PushPipeline(PushListener.NONE, 1, 1)
                .push(client, request(file.toFile()).batchSize(1_000).build());
        List<JsonNode> sentInOrder = sentRows();
        reset();

        try (LogCapture log = LogCapture.open()) {
            PushResult inParts = new PushPipeline(PushListener.NONE, 3, 1)
                    .push(client, request(file.toFile()).batchSize(1_000).build());

            assertTrue(
                    log.lines().stream().anyMatch(l -> l.contains("6000 rows validated and spooled in 3 part(s)")),
                    log.lines()::toString);
            assertEquals(6_000, sentInOrder.size());
            assertEquals(sentInOrder, sentRows(), "the same rows, values and order");
            assertEquals(inOrder.rowsRead(), inParts.rowsRead());
            assertEquals(inOrder.rowsSent(), inParts.rowsSent());
            assertTrue(
                    inParts.batches() >= inOrder.batches() && inParts.batches() <= inOrder.batches() + 2,
                    "at most one short batch more per cut: " + inParts.batches());
        }
        try (Stream<Path> left = Files.list(spoolDir)) {
            assertEquals(List.of(file), left.toList(), "every part's spool file is deleted");
        }
    }

    @Test
    void aPushCheckedInPartsRecordsRowsByTheirNumberInTheFileSoItsResumptionSendsEachRowOnce() throws Exception {
        Path file = Files.writeString(spoolDir.resolve("orders.csv"), partsCsv(6_000));
        new PushPipeline(PushListener.NONE, 1, 1)
                .push(client, request(file.toFile()).batchSize(1_000).build());
        List<JsonNode> sentInOrder = sentRows();
        reset();
        // row 4,500 lies in the third part: the batch holding it is refused after the batches of the first two
        pbi.stubFor(post(urlPathMatching("/v1.0/myorg/groups/.*/rows"))
                .withRequestBody(containing("{\"Id\":4500,"))
                .atPriority(1)
                .willReturn(aResponse().withStatus(400)));
        PushCheckpoints checkpoints = new PushCheckpoints(spoolDir.resolve("state"));
        PushPipeline inParts = new PushPipeline(PushListener.NONE, 3, 1);

        assertThrows(
                PushException.class,
                () -> inParts.push(
                        client,
                        request(file.toFile())
                                .batchSize(1_000)
                                .checkpoints(checkpoints)
                                .build()));
        List<JsonNode> accepted = sentRows();
        assertTrue(accepted.size() >= 3_000 && accepted.size() < 4_500, "parts one and two went: " + accepted.size());
        assertEquals(accepted.size(), checkpoints.find(InputFile.of(file)).lastRow(), "recorded by row in the file");
        reset();
        inParts.push(
                client,
                request(file.toFile()).batchSize(1_000).checkpoints(checkpoints).build());
        accepted.addAll(sentRows());

        assertEquals(sentInOrder, accepted, "every row once, in order, across the two pushes");
    }

    @Test
    void aCutInsideAQuotedValueHasTheFileCheckedAgainInOrderWithTheSameResult() throws Exception {
        String half = partsCsv(2_000);
        String rest = half.substring(half.indexOf("\r\n") + 2).replace(",c", ",d"); // rows again, no header
        String value = "\"" + "a line\n".repeat(400) + "\"";
        String csv = half + "2001," + value + ",1.25,yes,2026-11-30T08:15:00Z\r\n" + rest;
        Path file = Files.writeString(spoolDir.resolve("quoted.csv"), csv);
        int open = csv.indexOf(value);
        List<CsvParts.Part> cut = CsvParts.of(file, Format.AUTO, StandardCharsets.UTF_8, 2, 1);
        assertTrue(
                cut.size() == 2 && cut.get(1).start() > open && cut.get(1).start() < open + value.length(),
                "the test's own premise: the cut falls inside the quoted value");
        PushResult inOrder = new PushPipeline(PushListener.NONE, 1, 1)
                .push(client, request(file.toFile()).build());
        List<JsonNode> sentInOrder = sentRows();
        reset();

        try (LogCapture log = LogCapture.open()) {
            PushResult inParts = new PushPipeline(PushListener.NONE, 2, 1)
                    .push(client, request(file.toFile()).build());

            assertTrue(
                    log.lines().stream().anyMatch(l -> l.contains("checking it again in order")),
                    log.lines()::toString);
            assertEquals(4_001, sentInOrder.size());
            assertEquals(
                    "a line\n".repeat(400),
                    sentInOrder.get(2_000).get("Customer").asText());
            assertEquals(sentInOrder, sentRows());
            assertEquals(inOrder.rowsSent(), inParts.rowsSent());
            assertEquals(inOrder.batches(), inParts.batches());
        }
    }

    @Test
    void aRowRejectedInALaterPartIsReportedByItsRowInTheFileAndNothingIsSent() throws Exception {
        String csv = partsCsv(3_000).replace("\r\n2500,c2500,500.25,", "\r\n2500,c2500,lots,");
        Path file = Files.writeString(spoolDir.resolve("bad.csv"), csv);
        InvalidRowsException inOrder = assertThrows(
                InvalidRowsException.class,
                () -> new PushPipeline(PushListener.NONE, 1, 1)
                        .push(client, request(file.toFile()).build()));

        InvalidRowsException inParts = assertThrows(
                InvalidRowsException.class,
                () -> new PushPipeline(PushListener.NONE, 3, 1)
                        .push(client, request(file.toFile()).build()));

        assertEquals(0, posts().size());
        assertEquals(2_500, inParts.rejected().get(0).rowNumber());
        assertEquals("Amount", inParts.rejected().get(0).column());
        assertEquals(3_000, inParts.rowsRead());
        assertEquals(inOrder.getMessage(), inParts.getMessage());
    }

    @Test
    void aFileIsCheckedInOnePartPerCoreUpToFourAndOnePer64MiBOfHeap() {
        long mib = 1 << 20;
        assertEquals(2, PushPipeline.defaultParts(2, 1024 * mib));
        assertEquals(4, PushPipeline.defaultParts(16, 1024 * mib));
        assertEquals(4, PushPipeline.defaultParts(4, 256 * mib));
        assertEquals(2, PushPipeline.defaultParts(8, 128 * mib));
        assertEquals(1, PushPipeline.defaultParts(8, 96 * mib), "-Xmx96m: in order, as before");
        assertEquals(1, PushPipeline.defaultParts(1, 4096 * mib));
    }
}
