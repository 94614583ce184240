package io.camelpowerbi.operations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.TestClocks;
import io.camelpowerbi.auth.AssertionAlgorithm;
import io.camelpowerbi.auth.AssertionSigner;
import io.camelpowerbi.auth.Audience;
import io.camelpowerbi.auth.CertificateLoader;
import io.camelpowerbi.auth.Cloud;
import io.camelpowerbi.auth.TokenCache;
import io.camelpowerbi.auth.TokenEndpointVersion;
import io.camelpowerbi.auth.TokenProviders;
import io.camelpowerbi.auth.TokenSource;
import io.camelpowerbi.client.CallListener;
import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.client.RetryPolicy;
import io.camelpowerbi.client.Service;
import io.camelpowerbi.sandbox.FaultRule;
import io.camelpowerbi.sandbox.ObservedExchange;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxClock;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.SandboxObserver;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lakehouse operations against the sandbox's Fabric API and OneLake, with tokens of one credential for each
 * audience: files written in chunks, Load Table followed to its end, operations read, errors parsed.
 */
class LakehouseOperationsTest {

    static final String POWER_BI = "https://analysis.windows.net/powerbi/api";
    static final String HEADER = "OrderId,Customer,Quantity\n";

    @TempDir
    static Path state;

    static Sandbox sandbox;
    static CloseableHttpClient http;
    static TokenCache cache;
    static TokenSource source;
    static TokenProviders tokens;

    final List<ObservedExchange> seen = new CopyOnWriteArrayList<>();
    final SandboxObserver observer = seen::add;
    LakehouseRef lakehouse;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(
                SandboxConfig.defaults().with(SandboxConfig::stateDir, state),
                SandboxClock.startingAt(TestClocks.WORKING_AFTERNOON));
        http = HttpClientFactory.create(
                sandbox.sslContextTrustingSandbox(), null, Duration.ofSeconds(5), Duration.ofSeconds(10), 8);
        cache = new TokenCache(sandbox.clock());
        source = new TokenSource(
                sandbox.baseUrl(),
                sandbox.devTenantId(),
                sandbox.devClientId(),
                CertificateLoader.fromPem(
                        sandbox.devCertificateFile(), sandbox.devPrivateKeyFile(), null, sandbox.clock()),
                TokenEndpointVersion.V2,
                POWER_BI);
        tokens = providers(cache);
    }

    static TokenProviders providers(TokenCache cache) {
        return cache.providers(
                source,
                Duration.ofMinutes(5),
                new AssertionSigner(
                        AssertionAlgorithm.PS256, false, false, AssertionSigner.MAX_LIFETIME, sandbox.clock()),
                LakehouseOperationsTest::newHttpClient);
    }

    /** The cache owns (and closes) the clients its tokens are fetched with. */
    static CloseableHttpClient newHttpClient() {
        return HttpClientFactory.create(
                sandbox.sslContextTrustingSandbox(), null, Duration.ofSeconds(5), Duration.ofSeconds(10), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        cache.close();
        http.close();
        sandbox.close();
    }

    @BeforeEach
    void observe() {
        sandbox.reset();
        sandbox.addObserver(observer);
        lakehouse = operations(Poller.SYSTEM, 1000)
                .names()
                .lakehouse(operations(Poller.SYSTEM, 1000).names().workspaceId("Sales Analytics"), "Sales Lakehouse");
        seen.clear();
    }

    @AfterEach
    void forget() {
        sandbox.removeObserver(observer);
    }

    static PowerBiClient client(Service service, String baseUrl, Audience audience) {
        return client(tokens, service, baseUrl, audience);
    }

    static PowerBiClient client(TokenProviders tokens, Service service, String baseUrl, Audience audience) {
        return new PowerBiClient(
                service,
                http,
                baseUrl,
                List.of(),
                tokens.forAudience(audience, Cloud.PUBLIC),
                new RetryPolicy(
                        3,
                        Duration.ofMillis(10),
                        Duration.ofMillis(100),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(5)),
                CallListener.NONE);
    }

    static LakehouseOperations operations(Poller poller, int chunkSize) {
        return new LakehouseOperations(
                client(Service.FABRIC, sandbox.fabricApiBaseUrl(), Audience.FABRIC),
                client(Service.ONELAKE, sandbox.oneLakeBaseUrl(), Audience.STORAGE),
                poller,
                chunkSize);
    }

    /** Waiting moves the sandbox's clock on by one second, whatever Retry-After said: the operation outlives the hint. */
    static Poller secondBySecond() {
        return new Poller(new io.camelpowerbi.client.Sleeper() {
            @Override
            public long nanoTime() {
                return sandbox.clock().offset().toNanos();
            }

            @Override
            public java.time.Instant now() {
                return sandbox.clock().instant();
            }

            @Override
            public void sleep(Duration duration) {
                sandbox.clock().advance(Duration.ofSeconds(1));
            }
        });
    }

    static String csv(int rows) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = 1; i <= rows; i++) {
            sb.append(i)
                    .append(",Customer ")
                    .append(i)
                    .append(',')
                    .append(i % 5 + 1)
                    .append('\n');
        }
        return sb.toString();
    }

    OneLakeFile write(LakehouseOperations ops, String path, String content) {
        return ops.files()
                .write(
                        lakehouse.workspaceId(),
                        lakehouse.id(),
                        path,
                        new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** The audience ({@code aud}) of the bearer token a request carried. */
    static String audience(ObservedExchange e) {
        String bearer = e.requestHeader("Authorization");
        assertNotNull(bearer, e.method() + " " + e.path() + " carried no token");
        String payload = bearer.substring("Bearer ".length()).split("\\.")[1];
        String json = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
        return json.replaceAll(".*\"aud\"\\s*:\\s*\"([^\"]*)\".*", "$1");
    }

    List<ObservedExchange> of(String service) {
        return seen.stream().filter(e -> e.service().equals(service)).toList();
    }

    @Test
    void oneCredentialHasATokenPerAudienceEachCachedAndSentToItsOwnHostOnly() {
        try (TokenCache own = new TokenCache(sandbox.clock())) {
            TokenProviders one = providers(own);
            LakehouseOperations ops = new LakehouseOperations(
                    client(one, Service.FABRIC, sandbox.fabricApiBaseUrl(), Audience.FABRIC),
                    client(one, Service.ONELAKE, sandbox.oneLakeBaseUrl(), Audience.STORAGE),
                    Poller.SYSTEM,
                    1000);
            PowerBiClient powerBi = client(one, Service.POWER_BI, sandbox.apiBaseUrl(), Audience.POWER_BI);
            long before = sandbox.tokenRequestCount();
            for (int round = 0; round < 3; round++) {
                powerBi.send(io.camelpowerbi.client.PowerBiRequest.get("/groups", Map.of(), "workspaces"));
                new LakehouseNames(client(one, Service.FABRIC, sandbox.fabricApiBaseUrl(), Audience.FABRIC))
                        .workspaceId("Sales Analytics");
                write(ops, "Files/tokens/round" + round + ".csv", csv(2));
            }
            // Power BI, Fabric and storage: one token each, fetched once for the three rounds
            assertEquals(3, sandbox.tokenRequestCount() - before, "one token request per audience");
            assertEquals(3, own.size(), "one cached token per audience");
        }
        for (ObservedExchange e : of(ObservedExchange.POWER_BI)) {
            if (e.path().startsWith("/v1.0/")) {
                assertEquals(POWER_BI, audience(e), e.path());
            }
        }
        assertTrue(of(ObservedExchange.FABRIC).size() >= 3);
        of(ObservedExchange.FABRIC)
                .forEach(e -> assertEquals("https://api.fabric.microsoft.com", audience(e), e.path()));
        assertEquals(3 * 3, of(ObservedExchange.ONELAKE).size(), "create, one append, flush per file");
        of(ObservedExchange.ONELAKE).forEach(e -> assertEquals("https://storage.azure.com", audience(e), e.path()));
    }

    @Test
    void eachHostRefusesAnotherAudiencesToken() {
        // the sandbox checks the audience per host, as the services do: a storage token is no key to Fabric's API
        PowerBiClient fabricWithStorageToken = client(Service.FABRIC, sandbox.fabricApiBaseUrl(), Audience.STORAGE);
        PowerBiException fabric = assertThrows(
                PowerBiException.class,
                () -> new LakehouseNames(fabricWithStorageToken).workspaceId("Sales Analytics"));
        assertEquals(401, fabric.httpStatus(), fabric.getMessage());
        PowerBiClient oneLakeWithFabricToken = client(Service.ONELAKE, sandbox.oneLakeBaseUrl(), Audience.FABRIC);
        PowerBiException oneLake = assertThrows(
                PowerBiException.class,
                () -> new OneLakeFiles(oneLakeWithFabricToken)
                        .write(
                                lakehouse.workspaceId(),
                                lakehouse.id(),
                                "Files/x.csv",
                                new ByteArrayInputStream(new byte[1])));
        assertEquals(401, oneLake.httpStatus(), oneLake.getMessage());
    }

    @Test
    void aFileIsCreatedAppendedInChunksAtContiguousPositionsAndFlushed() {
        String content = csv(200); // a few kB: several 1000-byte appends
        OneLakeFile file = write(operations(Poller.SYSTEM, 1000), "Files/landing/orders.csv", content);

        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(bytes, sandbox.oneLakeFile(lakehouse.id(), "Files/landing/orders.csv"));
        assertEquals(bytes.length, file.size());
        int appends = (bytes.length + 999) / 1000;
        assertEquals(appends, file.appends());

        List<ObservedExchange> wire = of(ObservedExchange.ONELAKE);
        assertEquals(appends + 2, wire.size());
        ObservedExchange create = wire.get(0);
        assertEquals("PUT", create.method());
        assertEquals("resource=file", create.rawQuery());
        assertEquals("0", create.requestHeader("Content-Length"));
        assertEquals(201, create.status());
        assertEquals(Service.STORAGE_VERSION, create.requestHeader("x-ms-version"));
        for (int i = 0; i < appends; i++) {
            ObservedExchange append = wire.get(1 + i);
            assertEquals("PATCH", append.method());
            assertEquals("action=append&position=" + (i * 1000L), append.rawQuery());
            assertEquals(202, append.status());
        }
        ObservedExchange flush = wire.get(wire.size() - 1);
        assertEquals("action=flush&position=" + bytes.length, flush.rawQuery());
        assertEquals("0", flush.requestHeader("Content-Length"));
        assertEquals(200, flush.status());
    }

    @Test
    void aPathOutsideFilesIsRefusedBeforeAnyRequest() {
        InvalidOptionException e = assertThrows(
                InvalidOptionException.class,
                () -> write(operations(Poller.SYSTEM, 1000), "Tables/orders/part.csv", csv(1)));
        assertEquals("oneLakePath", e.option());
        assertTrue(of(ObservedExchange.ONELAKE).isEmpty());
    }

    @Test
    void loadTableFollowsTheOperationFromNotStartedThroughRunningToSucceeded() {
        sandbox.setLoadTableDuration(Duration.ofSeconds(6));
        LakehouseOperations ops = operations(secondBySecond(), 1000);
        write(ops, "Files/landing/orders.csv", csv(5));
        seen.clear();

        LoadTableResult result = ops.loads()
                .load(
                        lakehouse,
                        "Orders",
                        LoadTableRequest.csvFile("Files/landing/orders.csv", LoadMode.Overwrite),
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(1));

        assertEquals(OperationState.SUCCEEDED, result.status());
        assertEquals(
                5,
                sandbox.lakehouse(lakehouse.id()).table("Orders").orElseThrow().rowCount());
        List<ObservedExchange> fabric = of(ObservedExchange.FABRIC);
        ObservedExchange start = fabric.get(0);
        assertEquals("POST", start.method());
        assertEquals(202, start.status());
        assertEquals(
                result.operationId(),
                start.responseHeaders().entrySet().stream()
                        .filter(h -> h.getKey().equalsIgnoreCase("x-ms-operation-id"))
                        .findFirst()
                        .orElseThrow()
                        .getValue()
                        .get(0));
        List<String> polled = fabric.subList(1, fabric.size()).stream()
                .map(ObservedExchange::path)
                .toList();
        List<String> statuses = fabric.subList(1, fabric.size()).stream()
                .map(e -> new String(e.responseBody(), StandardCharsets.UTF_8)
                        .replaceAll(".*\"status\"\\s*:\\s*\"([^\"]*)\".*", "$1"))
                .toList();
        assertEquals("/v1/operations/" + result.operationId(), polled.get(0), "the 202's Location");
        // the running state's Location has no /v1 (as Fabric's examples show) and is followed as given
        assertTrue(
                polled.subList(1, polled.size()).stream()
                        .allMatch(p -> p.equals("/operations/" + result.operationId())),
                polled.toString());
        assertEquals("NotStarted", statuses.get(0), statuses.toString());
        assertTrue(statuses.contains("Running"), statuses.toString());
        assertEquals("Succeeded", statuses.get(statuses.size() - 1), statuses.toString());
    }

    @Test
    void getOperationReadsTheStateAsTheOperationMoves() {
        sandbox.setLoadTableDuration(Duration.ofSeconds(8));
        LakehouseOperations ops = operations(Poller.SYSTEM, 1000);
        write(ops, "Files/landing/orders.csv", csv(3));
        LoadTableResult started = ops.loads()
                .load(
                        lakehouse,
                        "Orders",
                        LoadTableRequest.csvFile("Files/landing/orders.csv", LoadMode.Append),
                        Duration.ofSeconds(1),
                        null);
        assertEquals("NotStarted", started.status(), "not waited for");
        assertNotNull(started.operationId());

        assertEquals("NotStarted", ops.loads().operation(started.operationId()).status());
        sandbox.clock().advance(Duration.ofSeconds(4));
        OperationState running = ops.loads().operation(started.operationId());
        assertEquals("Running", running.status());
        assertTrue(running.percentComplete() > 0 && running.percentComplete() < 100, running.toString());
        sandbox.clock().advance(Duration.ofSeconds(5));
        OperationState done = ops.loads().operation(started.operationId());
        assertTrue(done.succeeded(), done.toString());
        assertEquals(100, done.percentComplete());
        assertEquals(
                3,
                sandbox.lakehouse(lakehouse.id()).table("Orders").orElseThrow().rowCount());
    }

    @Test
    void aFailedLoadIsReportedWithFabricsErrorAndLoadsNothing() {
        sandbox.setLoadTableDuration(Duration.ofSeconds(2));
        LoadTableFailedException e = assertThrows(
                LoadTableFailedException.class,
                () -> operations(secondBySecond(), 1000)
                        .loads()
                        .load(
                                lakehouse,
                                "Orders",
                                LoadTableRequest.csvFile("Files/landing/missing.csv", LoadMode.Append),
                                Duration.ofSeconds(1),
                                Duration.ofMinutes(1)));
        assertNotNull(e.operationId());
        assertEquals("LoadTableFailed", e.errorCode());
        assertTrue(
                e.getMessage().contains("Files/landing/missing.csv")
                        && e.getMessage().contains("does not exist"),
                e.getMessage());
        assertTrue(sandbox.lakehouse(lakehouse.id()).table("Orders").isEmpty());
    }

    @Test
    void aThrottledLoadIsSentAgainAfterRetryAfter() {
        sandbox.setLoadTableDuration(Duration.ZERO);
        LakehouseOperations ops = operations(secondBySecond(), 1000);
        write(ops, "Files/landing/orders.csv", csv(4));
        sandbox.faults()
                .add(FaultRule.status("/tables/Orders/load$", 429)
                        .withRetryAfter(1)
                        .times(1));
        seen.clear();

        // Append is not idempotent, but a 429 proves the request was not processed
        LoadTableResult result = ops.loads()
                .load(
                        lakehouse,
                        "Orders",
                        LoadTableRequest.csvFile("Files/landing/orders.csv", LoadMode.Append),
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(1));
        assertEquals(OperationState.SUCCEEDED, result.status());
        assertEquals(
                List.of(429, 202),
                of(ObservedExchange.FABRIC).stream()
                        .filter(x -> x.method().equals("POST"))
                        .map(ObservedExchange::status)
                        .toList());
        assertEquals(
                4,
                sandbox.lakehouse(lakehouse.id()).table("Orders").orElseThrow().rowCount(),
                "loaded once");
    }

    @Test
    void aLakehouseWithSchemasIsRefusedAndFabricsRefusalIsParsed() {
        LakehouseOperations ops = operations(Poller.SYSTEM, 1000);
        LakehouseRef schemas = ops.names().lakehouse(lakehouse.workspaceId(), "Sales Lakehouse Schemas");
        assertTrue(schemas.schemaEnabled());
        InvalidOptionException named = assertThrows(
                InvalidOptionException.class,
                () -> ops.loads()
                        .load(
                                schemas,
                                "Orders",
                                LoadTableRequest.csvFile("Files/a.csv", LoadMode.Append),
                                Duration.ofSeconds(1),
                                null));
        assertEquals("lakehouse", named.option());
        assertTrue(
                of(ObservedExchange.FABRIC).stream().noneMatch(e -> e.method().equals("POST")));

        // had the client not known, Fabric's own refusal is read: its errorCode in the exception
        LakehouseRef unknowing = new LakehouseRef(schemas.workspaceId(), schemas.id(), schemas.displayName(), null);
        PowerBiException refused = assertThrows(
                PowerBiException.class,
                () -> ops.loads()
                        .load(
                                unknowing,
                                "Orders",
                                LoadTableRequest.csvFile("Files/a.csv", LoadMode.Overwrite),
                                Duration.ofSeconds(1),
                                null));
        assertEquals(400, refused.httpStatus());
        assertEquals("UnsupportedOperationForSchemasEnabledLakehouse", refused.errorCode(), refused.getMessage());
    }
}
