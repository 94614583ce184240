package io.camelpowerbi.push;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.camelpowerbi.TestClock;
import io.camelpowerbi.auth.AccessToken;
import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Files pushed as they really arrive: still being written, rewritten while sent, cut short by a crash and pushed again,
 * holding bytes that are not UTF-8, and pushes that fail in ways nobody planned for. Against a WireMock Power BI through
 * the real PowerBiClient, so what was sent is counted on the wire.
 */
class PushFileTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final TableSchema ORDERS = PushPipelineTest.ORDERS;

    static WireMockServer pbi;
    static CloseableHttpClient http;

    @TempDir
    Path dir;

    PowerBiClient client;
    final TestClock time = new TestClock();

    @BeforeAll
    static void start() {
        pbi = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
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
        Instant fixed = Instant.parse("2026-11-30T10:00:00Z");
        AccessToken token = new AccessToken("test-token", fixed.plusSeconds(3600), fixed.plusSeconds(3000));
        client = new PowerBiClient(
                http,
                pbi.baseUrl(),
                () -> token,
                new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30), Duration.ZERO));
        pbi.stubFor(post(urlPathMatching("/v1.0/myorg/groups/.*/rows"))
                .atPriority(10)
                .willReturn(aResponse().withStatus(200)));
    }

    PushRequest.Builder request(Object body, InvalidRowPolicy policy) {
        return PushRequest.builder("g-1", "d-1", ORDERS)
                .body(body)
                .policy(policy)
                .spoolDirectory(dir)
                .limiter(new DatasetRateLimiter("d-1", RateLimits.DEFAULTS, time));
    }

    static String lines(long from, long to) {
        StringBuilder sb = new StringBuilder();
        for (long i = from; i <= to; i++) {
            sb.append(i)
                    .append(",customer ")
                    .append(i)
                    .append(',')
                    .append(i % 100)
                    .append(".5,yes,2026-11-30\n");
        }
        return sb.toString();
    }

    Path orders(long rows) throws IOException {
        return Files.writeString(dir.resolve("orders.csv"), "Id,Customer,Amount,Paid,When\n" + lines(1, rows));
    }

    static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ids Power BI answered 200 for, in the order they were sent. */
    static List<Long> acceptedIds() {
        List<ServeEvent> events = new ArrayList<>(pbi.getAllServeEvents());
        events.removeIf(e -> !e.getRequest().getMethod().getName().equals("POST")
                || e.getResponse().getStatus() != 200);
        events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        List<Long> ids = new ArrayList<>();
        for (ServeEvent e : events) {
            try {
                for (JsonNode row : JSON.readTree(e.getRequest().getBody()).path("rows")) {
                    ids.add(row.path("Id").asLong());
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return ids;
    }

    static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** Runs {@code action} once, when Power BI accepted the first batch. */
    static PushListener afterFirstBatch(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        return new PushListener() {
            @Override
            public void batchAccepted(String datasetId, int rows) {
                if (done.compareAndSet(false, true)) {
                    action.run();
                }
            }
        };
    }

    // ------------------------------------------------------------------ a file still being written (finding 1)

    @Test
    void skipStopsBeforeTheNextBatchWhenTheFileGrowsWhileItIsRead() throws Exception {
        Path file = orders(50_000);
        PushPipeline pipeline = new PushPipeline(afterFirstBatch(() -> append(file, lines(50_001, 51_000))));
        PushException e = assertThrows(
                PushException.class,
                () -> pipeline.push(
                        client, request(file.toFile(), InvalidRowPolicy.SKIP).build()));
        long accepted = e.rowsAccepted();
        assertTrue(accepted >= 10_000 && accepted < 50_000 && accepted % 10_000 == 0, "accepted " + accepted);
        assertEquals(range(1, accepted), acceptedIds(), "exactly the rows it says went");
        assertEquals(accepted + 1, e.failedFirstRow());
        assertTrue(
                e.getMessage().contains("changed while it was read (its size went from")
                        && e.getMessage().contains("resend from row " + String.format("%,d", accepted + 1))
                        && e.getMessage().contains("readLock=changed"),
                e.getMessage());
    }

    @Test
    void failSendsNothingOfAFileThatIsWrittenToWhileItIsChecked() throws Exception {
        Path file = orders(100_000);
        AtomicBoolean pushing = new AtomicBoolean(true);
        AtomicInteger appended = new AtomicInteger();
        Thread writer = new Thread(
                () -> { // a slow writer, still at work when the push starts and until it ends
                    long id = 100_001;
                    while (pushing.get()) {
                        append(file, lines(id, id));
                        id++;
                        appended.incrementAndGet();
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException ex) {
                            return;
                        }
                    }
                });
        writer.start();
        PushException e;
        try {
            e = assertThrows(
                    PushException.class,
                    () -> new PushPipeline()
                            .push(
                                    client,
                                    request(file.toFile(), InvalidRowPolicy.FAIL)
                                            .build()));
        } finally {
            pushing.set(false);
            writer.join();
        }
        assertTrue(appended.get() > 0);
        assertEquals(List.of(), acceptedIds());
        assertEquals(0, e.rowsAccepted());
        assertTrue(
                e.getMessage().contains("changed while it was read")
                        && e.getMessage().contains("Nothing was sent")
                        && e.getMessage().contains("invalidRowPolicy=FAIL"),
                e.getMessage());
    }

    @Test
    void failSendsWhatItCheckedEvenWhenTheFileIsRewrittenWhileSentAndThenSaysItChanged() throws Exception {
        Path file = orders(30_000);
        // while batch 2 and 3 are still to go, the file is replaced by other rows, one of them invalid
        PushPipeline pipeline = new PushPipeline(afterFirstBatch(() -> {
            try {
                Files.writeString(
                        file,
                        "Id,Customer,Amount,Paid,When\n" + lines(900_001, 910_000) + "x,bad,1,yes,2026-11-30\n"
                                + lines(910_001, 940_000));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }));
        PushException e = assertThrows(
                PushException.class,
                () -> pipeline.push(
                        client, request(file.toFile(), InvalidRowPolicy.FAIL).build()));
        assertEquals(range(1, 30_000), acceptedIds(), "the rows checked, and only those, were sent");
        assertEquals(30_000, e.rowsAccepted());
        assertTrue(
                e.getMessage().contains("changed after it was read")
                        && e.getMessage().contains("rows written since " + "were not sent"),
                e.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "the copy it sent from is deleted");
        }
    }

    // ------------------------------------------------------------------ a crash repeats the whole file (finding 3)

    @ParameterizedTest
    @EnumSource(InvalidRowPolicy.class)
    void aPushCutShortResumesAfterTheAcceptedRowsWhenTheSameFileIsPushedAgain(InvalidRowPolicy policy)
            throws Exception {
        Path file = orders(50_000);
        PushCheckpoints checkpoints = new PushCheckpoints(dir.resolve("state"));
        pbi.stubFor(post(urlPathMatching(".*/rows"))
                .withRequestBody(containing("{\"Id\":20001,"))
                .atPriority(1)
                .willReturn(aResponse().withStatus(400)));
        PushException cut = assertThrows(
                PushException.class,
                () -> new PushPipeline()
                        .push(
                                client,
                                request(file.toFile(), policy)
                                        .checkpoints(checkpoints)
                                        .build()));
        assertEquals(20_000, cut.rowsAccepted());
        assertTrue(
                cut.getMessage().contains("Pushing the same file again, unchanged, resumes after row 20,000"),
                cut.getMessage());

        pbi.resetMappings();
        pbi.stubFor(post(urlPathMatching(".*/rows")).willReturn(aResponse().withStatus(200)));
        PushResult resumed = new PushPipeline()
                .push(
                        client,
                        request(file.toFile(), policy).checkpoints(checkpoints).build());
        assertEquals(20_000, resumed.rowsResumed());
        assertEquals(30_000, resumed.rowsSent());
        assertEquals(range(1, 50_000), acceptedIds(), "every row once, over both pushes");

        // pushed whole: pushed again unchanged, nothing goes twice; forgotten (the route's exchange completed), it does
        PushResult again = new PushPipeline()
                .push(
                        client,
                        request(file.toFile(), policy).checkpoints(checkpoints).build());
        assertEquals(0, again.rowsSent());
        assertEquals(50_000, again.rowsResumed());
        checkpoints.forget(file);
        assertEquals(
                50_000,
                new PushPipeline()
                        .push(
                                client,
                                request(file.toFile(), policy)
                                        .checkpoints(checkpoints)
                                        .build())
                        .rowsSent());
    }

    @Test
    void aCheckpointIsForThatContentOnly() throws Exception {
        Path file = orders(30_000);
        PushCheckpoints checkpoints = new PushCheckpoints(dir.resolve("state"));
        InputFile before = InputFile.of(file);
        try (PushCheckpoints.Recorder recorder = checkpoints.recorder(before)) {
            recorder.accepted(10_000, 10_000);
        }
        assertEquals(10_000, checkpoints.find(before).lastRow());
        Files.writeString(file, "Id,Customer,Amount,Paid,When\n" + lines(500_001, 530_000)); // same name, new rows
        assertNull(checkpoints.find(InputFile.of(file)));
        PushResult result = new PushPipeline()
                .push(
                        client,
                        request(file.toFile(), InvalidRowPolicy.SKIP)
                                .checkpoints(checkpoints)
                                .build());
        assertEquals(30_000, result.rowsSent(), "a new file under the same name is pushed from its first row");
        assertEquals(0, result.rowsResumed());
        try (Stream<Path> entries = Files.list(dir.resolve("state"))) {
            Path entry = entries.findFirst().orElseThrow();
            assertEquals(
                    "rw-------",
                    java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(entry)),
                    "a checkpoint names files: owner-only");
        }
    }

    // ------------------------------------------------------------------ bytes that are not UTF-8 (finding 4)

    static Path withBrokenBytesAtRow(Path dir, long rows, long badRow) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("Id,Customer,Amount,Paid,When\n" + lines(1, badRow - 1)).getBytes(StandardCharsets.UTF_8));
        out.writeBytes((badRow + ",").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[] {'C', 'a', 'f', (byte) 0xc3, 0x28, (byte) 0xff, (byte) 0xfe});
        out.writeBytes((",1.5,yes,2026-11-30\n" + lines(badRow + 1, rows)).getBytes(StandardCharsets.UTF_8));
        return Files.write(dir.resolve("orders.csv"), out.toByteArray());
    }

    @Test
    void invalidUtf8StopsAtItsRowWithTheByteOffsetAndSaysWhatWent() throws Exception {
        Path file = withBrokenBytesAtRow(dir, 40_000, 25_001);
        PushException skip = assertThrows(
                PushException.class,
                () -> new PushPipeline()
                        .push(
                                client,
                                request(file.toFile(), InvalidRowPolicy.SKIP).build()));
        assertEquals(25_001, skip.rowNumber());
        assertEquals("Customer", skip.column());
        assertEquals(20_000, skip.rowsAccepted(), "the two batches before the bad row");
        assertEquals(range(1, 20_000), acceptedIds());
        assertTrue(
                skip.getMessage().contains("row 25001")
                        && skip.getMessage().contains("column 'Customer'")
                        && skip.getMessage().contains("byte C3 at byte offset")
                        && skip.getMessage().contains("not valid UTF-8")
                        && skip.getMessage().contains("resend from row 20,001"),
                skip.getMessage());

        pbi.resetRequests();
        PushException fail = assertThrows(
                PushException.class,
                () -> new PushPipeline()
                        .push(
                                client,
                                request(file.toFile(), InvalidRowPolicy.FAIL).build()));
        assertEquals(25_001, fail.rowNumber());
        assertEquals(List.of(), acceptedIds());
        assertTrue(fail.getMessage().contains("Nothing was sent"), fail.getMessage());
    }

    // ------------------------------------------------------------------ every failure named (finding 5, 2)

    @Test
    void aNumberThatOverflowsBigDecimalIsOneRejectedRowUnderSkip() throws Exception {
        Path file = Files.writeString(
                dir.resolve("orders.csv"),
                "Id,Customer,Amount,Paid,When\n" + lines(1, 20_000) + "20001,c,1e999999999,yes,2026-11-30\n"
                        + lines(20_002, 30_000));
        PushResult result = new PushPipeline()
                .push(client, request(file.toFile(), InvalidRowPolicy.SKIP).build());
        assertEquals(29_999, result.rowsSent());
        assertEquals(1, result.rejectedCount());
        RejectedRow rejected = result.rejected().get(0);
        assertEquals(20_001, rejected.rowNumber());
        assertEquals("Amount", rejected.column());
        assertTrue(rejected.reason().contains("beyond 10^400"), rejected.reason());
    }

    @Test
    void anErrorWhileReadingEndsThePushWithWhatWentNotTheThread() {
        Iterator<Map<String, Object>> rows = new Iterator<>() {
            int next = 1;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                if (next > 15_000) {
                    throw new OutOfMemoryError("Java heap space (simulated by the row source)");
                }
                return Map.of("Id", next++, "Customer", "c");
            }
        };
        PushException e = assertThrows(
                PushException.class,
                () -> new PushPipeline()
                        .push(client, request(rows, InvalidRowPolicy.SKIP).build()));
        assertInstanceOf(OutOfMemoryError.class, e.getCause());
        assertEquals(10_000, e.rowsAccepted());
        assertEquals(10_001, e.failedFirstRow());
        assertTrue(
                e.getMessage().contains("OutOfMemoryError") && e.getMessage().contains("resend from row 10,001"),
                e.getMessage());
        assertEquals(range(1, 10_000), acceptedIds());
    }
}
