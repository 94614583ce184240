package io.camelpowerbi.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.camelpowerbi.TestClock;
import io.camelpowerbi.auth.AccessToken;
import io.camelpowerbi.auth.Cloud;
import io.camelpowerbi.auth.TokenProvider;
import io.camelpowerbi.contract.WireMockContractListener;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one HTTP client to Power BI: where the token goes, retries, replay and every error shape explained. */
class PowerBiClientTest {

    static WireMockServer api;
    static WireMockServer other;
    static CloseableHttpClient http;
    final AtomicInteger issued = new AtomicInteger();
    final List<AccessToken> invalidated = new ArrayList<>();
    final TestClock time = new TestClock();
    PowerBiClient client;

    @BeforeAll
    static void start() {
        api = new WireMockServer(
                options().dynamicPort().bindAddress("127.0.0.1").extensions(new WireMockContractListener()));
        other = new WireMockServer(
                options().dynamicPort().bindAddress("127.0.0.1").extensions(new WireMockContractListener()));
        api.start();
        other.start();
        http = HttpClientFactory.create(null, null, Duration.ofSeconds(5), Duration.ofSeconds(5), 4);
    }

    @AfterAll
    static void stop() throws Exception {
        http.close();
        api.stop();
        other.stop();
    }

    @BeforeEach
    void reset() {
        api.resetAll();
        other.resetAll();
        TokenProvider tokens = new TokenProvider() {
            AccessToken current = next();

            AccessToken next() {
                return new AccessToken(
                        "token-" + issued.incrementAndGet(),
                        Instant.now().plusSeconds(3600),
                        Instant.now().plusSeconds(3000));
            }

            @Override
            public synchronized AccessToken getToken() {
                return current;
            }

            @Override
            public synchronized void invalidate(AccessToken rejected) {
                invalidated.add(rejected);
                current = next();
            }
        };
        client = new PowerBiClient(
                Service.POWER_BI,
                http,
                api.baseUrl(),
                List.of(),
                tokens,
                new RetryPolicy(
                        4, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(10), Duration.ofSeconds(2)),
                CallListener.NONE,
                time);
    }

    @Test
    void tokenGoesToTheApiHostAndNeverToARedirectedHost() {
        api.stubFor(get(urlEqualTo(
                        "/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/reports/33333333-3333-3333-3333-333333333333/exports/e/file"))
                .willReturn(aResponse()
                        .withStatus(307)
                        .withHeader("Location", other.baseUrl() + "/blob/file.pdf?sig=abc")));
        other.stubFor(get(urlPathEqualTo("/blob/file.pdf"))
                .willReturn(aResponse().withStatus(200).withBody("%PDF-1.4")));
        PowerBiResponse response = client.send(PowerBiRequest.get(
                "/groups/11111111-1111-1111-1111-111111111111/reports/33333333-3333-3333-3333-333333333333/exports/e/file",
                Map.of(),
                null));
        assertEquals("%PDF-1.4", new String(response.body()));
        api.verify(getRequestedFor(
                        urlEqualTo(
                                "/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/reports/33333333-3333-3333-3333-333333333333/exports/e/file"))
                .withHeader("Authorization", equalTo("Bearer token-1")));
        other.verify(getRequestedFor(urlPathEqualTo("/blob/file.pdf")).withHeader("Authorization", absent()));
    }

    @Test
    void clusterRedirectOnTheSameHostKeepsTheToken() {
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups?preferClientRouting=true"))
                .willReturn(aResponse().withStatus(307).withHeader("Location", api.baseUrl() + "/v1.0/myorg/groups")));
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups"))
                .willReturn(aResponse().withStatus(200).withBody("{\"value\":[]}")));
        client.send(PowerBiRequest.get("/groups", Map.of("preferClientRouting", "true"), null));
        api.verify(getRequestedFor(urlEqualTo("/v1.0/myorg/groups"))
                .withHeader("Authorization", equalTo("Bearer token-1")));
    }

    /**
     * An HTTP client that resolves the Power BI cluster host of Microsoft's examples to loopback, where {@link #other}
     * listens: the redirect then leaves for another host name, as preferClientRouting's does.
     */
    static CloseableHttpClient resolvingClusterToLoopback() {
        DnsResolver dns = new SystemDefaultDnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return host.endsWith(".analysis.windows.net") || host.endsWith(".blob.core.windows.net")
                        ? new InetAddress[] {InetAddress.getLoopbackAddress()}
                        : super.resolve(host);
            }
        };
        return HttpClients.custom()
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(dns)
                        .build())
                .build();
    }

    PowerBiClient publicCloudClient(CloseableHttpClient http) {
        return new PowerBiClient(
                http,
                api.baseUrl(),
                Cloud.PUBLIC.powerBiDomains(),
                () -> new AccessToken("token-1", Instant.EPOCH.plusSeconds(3600), Instant.EPOCH.plusSeconds(3000)),
                new RetryPolicy(
                        1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(5), Duration.ofSeconds(1)),
                CallListener.NONE);
    }

    @Test
    void aClusterRedirectToAPowerBiHostOfTheCloudKeepsTheToken() throws Exception {
        // preferClientRouting answers 307 to the home cluster, another host (wabi-…-redirect.analysis.windows.net in
        // Microsoft's examples); without the token it answers 401.
        String cluster = "http://wabi-west-europe-f-primary-redirect.analysis.windows.net:" + other.port();
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups?preferClientRouting=true"))
                .willReturn(aResponse().withStatus(307).withHeader("Location", cluster + "/v1.0/myorg/groups")));
        other.stubFor(get(urlEqualTo("/v1.0/myorg/groups"))
                .withHeader("Authorization", equalTo("Bearer token-1"))
                .willReturn(aResponse().withStatus(200).withBody("{\"value\":[]}")));
        try (CloseableHttpClient http = resolvingClusterToLoopback()) {
            assertEquals(
                    200,
                    publicCloudClient(http)
                            .send(PowerBiRequest.get("/groups", Map.of("preferClientRouting", "true"), null))
                            .status());
        }
        other.verify(getRequestedFor(urlEqualTo("/v1.0/myorg/groups"))
                .withHeader("Host", containing("analysis.windows.net"))
                .withHeader("Authorization", equalTo("Bearer token-1")));
    }

    @Test
    void aRedirectToStorageGoesWithoutTheTokenEvenFromACloudClient() throws Exception {
        String blob = "http://wabiwesteurope.blob.core.windows.net:" + other.port();
        api.stubFor(get(urlEqualTo(
                        "/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/reports/33333333-3333-3333-3333-333333333333/exports/e/file"))
                .willReturn(aResponse().withStatus(307).withHeader("Location", blob + "/export/file.pdf?sig=abc")));
        other.stubFor(get(urlPathEqualTo("/export/file.pdf"))
                .willReturn(aResponse().withStatus(200).withBody("%PDF-1.4")));
        try (CloseableHttpClient http = resolvingClusterToLoopback()) {
            publicCloudClient(http)
                    .send(PowerBiRequest.download(
                            "/groups/11111111-1111-1111-1111-111111111111/reports/33333333-3333-3333-3333-333333333333/exports/e/file",
                            null));
        }
        other.verify(getRequestedFor(urlPathEqualTo("/export/file.pdf")).withHeader("Authorization", absent()));
    }

    @Test
    void a401AfterARedirectThatDroppedTheTokenSaysWhichOptionLetsItThrough() {
        // the default client sends the token to the API host only: a cluster on another host answers 401
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups?preferClientRouting=true"))
                .willReturn(aResponse()
                        .withStatus(307)
                        .withHeader("Location", "http://localhost:" + other.port() + "/v1.0/myorg/groups")));
        other.stubFor(
                get(urlEqualTo("/v1.0/myorg/groups"))
                        .willReturn(
                                aResponse()
                                        .withStatus(401)
                                        .withBody(
                                                "{\"error\":{\"code\":\"PowerBINotAuthorizedException\",\"pbi.error\":{\"code\":\"PowerBINotAuthorizedException\"}}}")));

        PowerBiException e = assertThrows(
                PowerBiException.class,
                () -> client.send(PowerBiRequest.get("/groups", Map.of("preferClientRouting", "true"), null)));

        assertEquals(401, e.httpStatus());
        assertTrue(
                e.hint().contains("redirected the call to localhost")
                        && e.hint().contains("tokenHosts"),
                e.hint());
        other.verify(getRequestedFor(urlEqualTo("/v1.0/myorg/groups")).withHeader("Authorization", absent()));
    }

    // ---------------------------------------------------------------- what may be sent again

    /** Records what the client told its listener. */
    static final class Heard implements CallListener {
        final List<Integer> retries = new ArrayList<>();
        final List<Integer> ambiguousResends = new ArrayList<>();
        final List<PowerBiException> failures = new ArrayList<>();

        @Override
        public void retrying(int status, Duration wait) {
            retries.add(status);
        }

        @Override
        public void resentAfterAmbiguousFailure(int status) {
            ambiguousResends.add(status);
        }

        @Override
        public void failed(PowerBiException failure) {
            failures.add(failure);
        }
    }

    PowerBiClient listened(String baseUrl, Heard heard) {
        return new PowerBiClient(
                http,
                baseUrl,
                () -> new AccessToken("token-1", Instant.EPOCH.plusSeconds(3600), Instant.EPOCH.plusSeconds(3000)),
                new RetryPolicy(
                        4, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(10), Duration.ofSeconds(2)),
                heard);
    }

    static PowerBiRequest startRefresh() {
        return PowerBiRequest.emptyPost(
                "/groups/11111111-1111-1111-1111-111111111111/datasets/d/refreshes", Map.of(), "dataset d");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 504})
    void aPostThatStartsSomethingIsNotSentAgainAfterAnAmbiguousStatus(int status) {
        api.stubFor(post(urlEqualTo("/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/datasets/d/refreshes"))
                .willReturn(aResponse().withStatus(status).withHeader("RequestId", "rid")));
        Heard heard = new Heard();

        PowerBiOutcomeUnknownException e = assertThrows(
                PowerBiOutcomeUnknownException.class,
                () -> listened(api.baseUrl(), heard).send(startRefresh()));

        assertEquals(status, e.httpStatus());
        assertTrue(e.getMessage().contains("may have done it or not, so it was not sent again"), e.getMessage());
        api.verify(
                1,
                postRequestedFor(
                        urlEqualTo("/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/datasets/d/refreshes")));
        assertEquals(List.of(), heard.retries);
        assertEquals(1, heard.failures.size());
    }

    @Test
    void aPostThatStartsSomethingIsNotSentAgainWhenTheConnectionBrokeAfterSending() {
        api.stubFor(post(urlEqualTo("/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/datasets/d/refreshes"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThrows(PowerBiOutcomeUnknownException.class, () -> client.send(startRefresh()));

        api.verify(
                1,
                postRequestedFor(
                        urlEqualTo("/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/datasets/d/refreshes")));
    }

    @Test
    void aPostThatStartsSomethingIsSentAgainWhenPowerBiProvablyDidNotProcessIt() {
        // 429 and 503 with Retry-After are refusals before any work; a 503 without it could come after the work
        api.stubFor(post(urlEqualTo("/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/datasets/d/refreshes"))
                .inScenario("r")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("busy")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")));
        api.stubFor(post(urlEqualTo("/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/datasets/d/refreshes"))
                .inScenario("r")
                .whenScenarioStateIs("busy")
                .willSetStateTo("ok")
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "0")));
        api.stubFor(post(urlEqualTo("/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/datasets/d/refreshes"))
                .inScenario("r")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(202).withHeader("RequestId", "r1")));
        Heard heard = new Heard();

        assertEquals(202, listened(api.baseUrl(), heard).send(startRefresh()).status());

        api.verify(
                3,
                postRequestedFor(
                        urlEqualTo("/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/datasets/d/refreshes")));
        assertEquals(List.of(429, 503), heard.retries);
        assertEquals(List.of(), heard.ambiguousResends);
    }

    @Test
    void aPostThatStartsSomethingIsSentAgainWhenTheConnectionWasRefused() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // nothing listens there once it is closed
        }
        Heard heard = new Heard();

        PowerBiException e = assertThrows(
                PowerBiException.class,
                () -> listened("http://127.0.0.1:" + closed, heard).send(startRefresh()));

        assertFalse(e instanceof PowerBiOutcomeUnknownException, "a refused connection carried nothing: " + e);
        assertEquals(List.of(0, 0, 0), heard.retries, "all four attempts were made");
    }

    @Test
    void anAtLeastOncePostIsSentAgainAfterAnAmbiguousFailureAndCounted() {
        api.stubFor(post(urlEqualTo("/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/datasets/d/tables/T/rows"))
                .inScenario("rows")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("ok")
                .willReturn(aResponse().withStatus(504)));
        api.stubFor(post(urlEqualTo("/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/datasets/d/tables/T/rows"))
                .inScenario("rows")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200)));
        Heard heard = new Heard();

        listened(api.baseUrl(), heard)
                .send(PowerBiRequest.json(
                                "POST",
                                "/groups/11111111-1111-1111-1111-111111111111/datasets/d/tables/T/rows",
                                Map.of(),
                                "{\"rows\":[]}".getBytes(),
                                "table T")
                        .with(Idempotency.AT_LEAST_ONCE));

        api.verify(
                2,
                postRequestedFor(urlEqualTo(
                        "/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/datasets/d/tables/T/rows")));
        assertEquals(List.of(504), heard.ambiguousResends);
    }

    @Test
    void theIdempotencyOfARequestFollowsItsMethodUnlessTheCallerSaysOtherwise() {
        assertEquals(
                Idempotency.IDEMPOTENT,
                PowerBiRequest.get("/groups", Map.of(), null).idempotency());
        assertEquals(Idempotency.IDEMPOTENT, new PowerBiRequest("PUT", "/x", Map.of(), null, null).idempotency());
        assertEquals(Idempotency.IDEMPOTENT, new PowerBiRequest("DELETE", "/x", Map.of(), null, null).idempotency());
        assertEquals(
                Idempotency.NOT_IDEMPOTENT,
                PowerBiRequest.emptyPost("/x", Map.of(), null).idempotency());
        assertEquals(
                Idempotency.NOT_IDEMPOTENT,
                PowerBiRequest.json("PATCH", "/x", Map.of(), new byte[0], null).idempotency());
        assertEquals(
                Idempotency.IDEMPOTENT,
                PowerBiRequest.emptyPost("/x", Map.of(), null)
                        .with(Idempotency.IDEMPOTENT)
                        .idempotency());
    }

    @Test
    void tooManyRequestsWaitsRetryAfterAndResends() {
        api.stubFor(
                get(urlEqualTo("/v1.0/myorg/groups"))
                        .inScenario("s")
                        .whenScenarioStateIs("Started")
                        .willSetStateTo("ok")
                        .willReturn(
                                aResponse()
                                        .withStatus(429)
                                        .withHeader("Retry-After", "1")
                                        .withBody(
                                                "{\"message\":\"You have exceeded the amount of requests allowed in the current time frame and further requests will fail. Retry in 1 seconds.\"}")));
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups"))
                .inScenario("s")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody("{\"value\":[]}")));
        assertEquals(
                200, client.send(PowerBiRequest.get("/groups", Map.of(), null)).status());
        assertEquals(List.of(Duration.ofSeconds(1)), time.sleeps(), "waited Retry-After");
        api.verify(2, getRequestedFor(urlEqualTo("/v1.0/myorg/groups")));
    }

    @Test
    void aRetryAfterDateIsWaitedUntilAndProvesA503WasNotProcessed() {
        // RFC 9110 allows an HTTP-date; with it a 503 is as much a refusal before any work as with seconds
        String inTwoSeconds = org.apache.hc.client5.http.utils.DateUtils.formatStandardDate(
                time.instant().plusSeconds(2));
        api.stubFor(post(urlEqualTo("/v1.0/myorg/groups"))
                .inScenario("d")
                .whenScenarioStateIs("Started")
                .willSetStateTo("ok")
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", inTwoSeconds)));
        api.stubFor(post(urlEqualTo("/v1.0/myorg/groups"))
                .inScenario("d")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody("{\"id\":\"g-1\"}")));
        PowerBiRequest create =
                PowerBiRequest.json("POST", "/groups", Map.of(), "{\"name\":\"x\"}".getBytes(), "a workspace");
        assertEquals(Idempotency.NOT_IDEMPOTENT, create.idempotency());
        assertEquals(200, client.send(create).status());
        assertEquals(List.of(Duration.ofSeconds(2)), time.sleeps());
        api.verify(2, postRequestedFor(urlEqualTo("/v1.0/myorg/groups")));
    }

    @Test
    void retryAfterBeyondTheCapFailsInsteadOfSleepingAnHour() {
        api.stubFor(
                get(urlEqualTo("/v1.0/myorg/admin/groups?%24top=1"))
                        .willReturn(
                                aResponse()
                                        .withStatus(429)
                                        .withHeader("Retry-After", "3392")
                                        .withHeader("RequestId", "req-1")
                                        .withBody(
                                                "{\"message\":\"You have exceeded the amount of requests allowed in the current time frame and further requests will fail. Retry in 3392 seconds.\"}")));
        PowerBiException e = assertThrows(
                PowerBiException.class,
                () -> client.send(PowerBiRequest.get("/admin/groups", Map.of("$top", "1"), null)));
        assertEquals(429, e.httpStatus());
        assertEquals(3392, e.retryAfterSeconds());
        assertEquals("req-1", e.requestId());
        assertTrue(e.getMessage().contains("Retry in 3392 seconds"), e.getMessage());
        api.verify(1, getRequestedFor(urlEqualTo("/v1.0/myorg/admin/groups?%24top=1")));
    }

    @Test
    void serverErrorsBackOffAndGiveUpAfterTheBound() {
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups")).willReturn(aResponse().withStatus(503)));
        PowerBiException e =
                assertThrows(PowerBiException.class, () -> client.send(PowerBiRequest.get("/groups", Map.of(), null)));
        assertEquals(503, e.httpStatus());
        api.verify(4, getRequestedFor(urlEqualTo("/v1.0/myorg/groups")));
    }

    @Test
    void droppedConnectionsAreRetried() {
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups"))
                .inScenario("d")
                .whenScenarioStateIs("Started")
                .willSetStateTo("ok")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups"))
                .inScenario("d")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody("{\"value\":[]}")));
        assertEquals(
                200, client.send(PowerBiRequest.get("/groups", Map.of(), null)).status());
    }

    @Test
    void expiredTokenIsRefreshedAndReplayedExactlyOnce() {
        api.stubFor(
                get(urlEqualTo("/v1.0/myorg/groups"))
                        .withHeader("Authorization", equalTo("Bearer token-1"))
                        .willReturn(
                                aResponse()
                                        .withStatus(403)
                                        .withBody(
                                                "{\"error\":{\"code\":\"TokenExpired\",\"message\":\"Access token has expired, resubmit with a new access token\"}}")));
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups"))
                .withHeader("Authorization", equalTo("Bearer token-2"))
                .willReturn(aResponse().withStatus(200).withBody("{\"value\":[]}")));
        assertEquals(
                200, client.send(PowerBiRequest.get("/groups", Map.of(), null)).status());
        assertEquals(1, invalidated.size());
        assertEquals("token-1", invalidated.get(0).value());

        // a second TokenExpired right after the replay is reported, not replayed forever
        api.stubFor(
                get(urlEqualTo("/v1.0/myorg/groups"))
                        .willReturn(
                                aResponse()
                                        .withStatus(403)
                                        .withBody(
                                                "{\"error\":{\"code\":\"TokenExpired\",\"message\":\"Access token has expired, resubmit with a new access token\"}}")));
        PowerBiException e =
                assertThrows(PowerBiException.class, () -> client.send(PowerBiRequest.get("/groups", Map.of(), null)));
        assertEquals("TokenExpired", e.errorCode());
        assertEquals(2, invalidated.size());
    }

    @Test
    void everyErrorShapeIsReadAndExplained() {
        record Shape(int status, String body, String header, String code, String hintPart) {}
        List<Shape> shapes = List.of(
                new Shape(
                        401,
                        "{\"error\":{\"code\":\"PowerBINotAuthorizedException\",\"pbi.error\":{\"code\":\"PowerBINotAuthorizedException\",\"parameters\":{},\"details\":[],\"exceptionCulprit\":1}}}",
                        null,
                        "PowerBINotAuthorizedException",
                        "Member or Admin"),
                new Shape(
                        404,
                        "{\"error\":{\"code\":\"PowerBIEntityNotFound\",\"pbi.error\":{\"code\":\"PowerBIEntityNotFound\",\"parameters\":{},\"details\":[],\"exceptionCulprit\":1}}}",
                        null,
                        "PowerBIEntityNotFound",
                        "dataset 'Sales' was not found"),
                new Shape(
                        401,
                        "{\"Message\":\"API is not accessible for application\"}",
                        null,
                        null,
                        "Service principals can use Fabric APIs"),
                new Shape(
                        400,
                        "{\"error\":{\"code\":\"InvalidRequest\",\"message\":\"Invalid dataflow structure\"}}",
                        null,
                        "InvalidRequest",
                        null),
                new Shape(
                        401,
                        "",
                        "ServicePrincipalIsNotAllowedByTenantAdminSwitch",
                        "ServicePrincipalIsNotAllowedByTenantAdminSwitch",
                        "Service principals can use Fabric APIs"),
                new Shape(
                        400,
                        "{\"error\":{\"code\":\"DatasetExecuteQueriesError\",\"pbi.error\":{\"code\":\"DatasetExecuteQueriesError\",\"parameters\":{},\"details\":[{\"code\":\"DetailsMessage\",\"detail\":{\"type\":1,\"value\":\"Failed to execute the DAX query.\"}}]}}}",
                        null,
                        "DatasetExecuteQueriesError",
                        null));
        for (Shape shape : shapes) {
            api.resetAll();
            var response = aResponse()
                    .withStatus(shape.status())
                    .withHeader("RequestId", "rid-" + shape.status())
                    .withBody(shape.body());
            if (shape.header() != null) {
                response.withHeader("x-powerbi-error-info", shape.header());
            }
            api.stubFor(get(urlEqualTo("/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/datasets/d"))
                    .willReturn(response));
            PowerBiException e = assertThrows(
                    PowerBiException.class,
                    () -> client.send(PowerBiRequest.get(
                            "/groups/11111111-1111-1111-1111-111111111111/datasets/d", Map.of(), "dataset 'Sales'")));
            assertEquals(shape.status(), e.httpStatus());
            assertEquals(shape.code(), e.errorCode(), shape.body());
            assertEquals("rid-" + shape.status(), e.requestId());
            if (shape.hintPart() != null) {
                assertTrue(e.hint() != null && e.hint().contains(shape.hintPart()), () -> shape + " -> " + e.hint());
            }
            if (shape.body().contains("Failed to execute")) {
                assertTrue(e.getMessage().contains("Failed to execute the DAX query."), e.getMessage());
            }
            if (shape.body().startsWith("{\"Message\"")) {
                assertTrue(e.getMessage().contains("API is not accessible for application"), e.getMessage());
            }
        }
    }
}
