package io.camelpowerbi.client;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.camelpowerbi.contract.WireMockContractListener;
import io.camelpowerbi.auth.AccessToken;
import io.camelpowerbi.auth.TokenProvider;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one HTTP client to Power BI: where the token goes, retries, replay and every error shape explained. */
class PowerBiClientTest {

    static WireMockServer api;
    static WireMockServer other;
    static CloseableHttpClient http;
    final AtomicInteger issued = new AtomicInteger();
    final List<AccessToken> invalidated = new ArrayList<>();
    PowerBiClient client;

    @BeforeAll
    static void start() {
        api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(new WireMockContractListener()));
        other = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(new WireMockContractListener()));
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
                return new AccessToken("token-" + issued.incrementAndGet(), Instant.now().plusSeconds(3600), Instant.now().plusSeconds(3000));
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
        client = new PowerBiClient(http, api.baseUrl(), tokens,
                new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(10), Duration.ofSeconds(2)));
    }

    @Test
    void tokenGoesToTheApiHostAndNeverToARedirectedHost() {
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/reports/33333333-3333-3333-3333-333333333333/exports/e/file"))
                .willReturn(aResponse().withStatus(307).withHeader("Location", other.baseUrl() + "/blob/file.pdf?sig=abc")));
        other.stubFor(get(urlPathEqualTo("/blob/file.pdf")).willReturn(aResponse().withStatus(200).withBody("%PDF-1.4")));
        PowerBiResponse response = client.send(PowerBiRequest.get("/groups/11111111-1111-1111-1111-111111111111/reports/33333333-3333-3333-3333-333333333333/exports/e/file", Map.of(), null));
        assertEquals("%PDF-1.4", new String(response.body()));
        api.verify(getRequestedFor(urlEqualTo("/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/reports/33333333-3333-3333-3333-333333333333/exports/e/file"))
                .withHeader("Authorization", equalTo("Bearer token-1")));
        other.verify(getRequestedFor(urlPathEqualTo("/blob/file.pdf")).withHeader("Authorization", absent()));
    }

    @Test
    void clusterRedirectOnTheSameHostKeepsTheToken() {
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups?preferClientRouting=true"))
                .willReturn(aResponse().withStatus(307).withHeader("Location", api.baseUrl() + "/v1.0/myorg/groups")));
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups")).willReturn(aResponse().withStatus(200).withBody("{\"value\":[]}")));
        client.send(PowerBiRequest.get("/groups", Map.of("preferClientRouting", "true"), null));
        api.verify(getRequestedFor(urlEqualTo("/v1.0/myorg/groups")).withHeader("Authorization", equalTo("Bearer token-1")));
    }

    @Test
    void tooManyRequestsWaitsRetryAfterAndResends() {
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups")).inScenario("s").whenScenarioStateIs("Started").willSetStateTo("ok")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"message\":\"You have exceeded the amount of requests allowed in the current time frame and further requests will fail. Retry in 1 seconds.\"}")));
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups")).inScenario("s").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody("{\"value\":[]}")));
        long started = System.nanoTime();
        assertEquals(200, client.send(PowerBiRequest.get("/groups", Map.of(), null)).status());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 1000, "waited Retry-After");
        api.verify(2, getRequestedFor(urlEqualTo("/v1.0/myorg/groups")));
    }

    @Test
    void retryAfterBeyondTheCapFailsInsteadOfSleepingAnHour() {
        api.stubFor(get(urlEqualTo("/v1.0/myorg/admin/groups?%24top=1")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "3392").withHeader("RequestId", "req-1")
                .withBody("{\"message\":\"You have exceeded the amount of requests allowed in the current time frame and further requests will fail. Retry in 3392 seconds.\"}")));
        PowerBiException e = assertThrows(PowerBiException.class,
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
        PowerBiException e = assertThrows(PowerBiException.class, () -> client.send(PowerBiRequest.get("/groups", Map.of(), null)));
        assertEquals(503, e.httpStatus());
        api.verify(4, getRequestedFor(urlEqualTo("/v1.0/myorg/groups")));
    }

    @Test
    void droppedConnectionsAreRetried() {
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups")).inScenario("d").whenScenarioStateIs("Started").willSetStateTo("ok")
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups")).inScenario("d").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody("{\"value\":[]}")));
        assertEquals(200, client.send(PowerBiRequest.get("/groups", Map.of(), null)).status());
    }

    @Test
    void expiredTokenIsRefreshedAndReplayedExactlyOnce() {
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups")).withHeader("Authorization", equalTo("Bearer token-1"))
                .willReturn(aResponse().withStatus(403)
                        .withBody("{\"error\":{\"code\":\"TokenExpired\",\"message\":\"Access token has expired, resubmit with a new access token\"}}")));
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups")).withHeader("Authorization", equalTo("Bearer token-2"))
                .willReturn(aResponse().withStatus(200).withBody("{\"value\":[]}")));
        assertEquals(200, client.send(PowerBiRequest.get("/groups", Map.of(), null)).status());
        assertEquals(1, invalidated.size());
        assertEquals("token-1", invalidated.get(0).value());

        // a second TokenExpired right after the replay is reported, not replayed forever
        api.stubFor(get(urlEqualTo("/v1.0/myorg/groups")).willReturn(aResponse().withStatus(403)
                .withBody("{\"error\":{\"code\":\"TokenExpired\",\"message\":\"Access token has expired, resubmit with a new access token\"}}")));
        PowerBiException e = assertThrows(PowerBiException.class, () -> client.send(PowerBiRequest.get("/groups", Map.of(), null)));
        assertEquals("TokenExpired", e.errorCode());
        assertEquals(2, invalidated.size());
    }

    @Test
    void everyErrorShapeIsReadAndExplained() {
        record Shape(int status, String body, String header, String code, String hintPart) {
        }
        List<Shape> shapes = List.of(
                new Shape(401, "{\"error\":{\"code\":\"PowerBINotAuthorizedException\",\"pbi.error\":{\"code\":\"PowerBINotAuthorizedException\",\"parameters\":{},\"details\":[],\"exceptionCulprit\":1}}}",
                        null, "PowerBINotAuthorizedException", "Member or Admin"),
                new Shape(404, "{\"error\":{\"code\":\"PowerBIEntityNotFound\",\"pbi.error\":{\"code\":\"PowerBIEntityNotFound\",\"parameters\":{},\"details\":[],\"exceptionCulprit\":1}}}",
                        null, "PowerBIEntityNotFound", "dataset 'Sales' was not found"),
                new Shape(401, "{\"Message\":\"API is not accessible for application\"}", null, null, "Service principals can use Fabric APIs"),
                new Shape(400, "{\"error\":{\"code\":\"InvalidRequest\",\"message\":\"Invalid dataflow structure\"}}", null, "InvalidRequest", null),
                new Shape(401, "", "ServicePrincipalIsNotAllowedByTenantAdminSwitch", "ServicePrincipalIsNotAllowedByTenantAdminSwitch",
                        "Service principals can use Fabric APIs"),
                new Shape(400, "{\"error\":{\"code\":\"DatasetExecuteQueriesError\",\"pbi.error\":{\"code\":\"DatasetExecuteQueriesError\",\"parameters\":{},\"details\":[{\"code\":\"DetailsMessage\",\"detail\":{\"type\":1,\"value\":\"Failed to execute the DAX query.\"}}]}}}",
                        null, "DatasetExecuteQueriesError", null));
        for (Shape shape : shapes) {
            api.resetAll();
            var response = aResponse().withStatus(shape.status()).withHeader("RequestId", "rid-" + shape.status()).withBody(shape.body());
            if (shape.header() != null) {
                response.withHeader("x-powerbi-error-info", shape.header());
            }
            api.stubFor(get(urlEqualTo("/v1.0/myorg/groups/11111111-1111-1111-1111-111111111111/datasets/d")).willReturn(response));
            PowerBiException e = assertThrows(PowerBiException.class,
                    () -> client.send(PowerBiRequest.get("/groups/11111111-1111-1111-1111-111111111111/datasets/d", Map.of(), "dataset 'Sales'")));
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
