package io.camelpowerbi.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jwt.SignedJWT;
import io.camelpowerbi.TestClock;
import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.sandbox.SelfSignedCertificates;
import io.camelpowerbi.sandbox.SelfSignedCertificates.CertificateAndKey;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exact wire traffic of token requests, and how Entra's answers are read. */
class EntraTokenClientTest {

    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String CLIENT = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    static final String V2 = "/" + TENANT + "/oauth2/v2.0/token";
    static WireMockServer entra;
    static CloseableHttpClient http;
    static ClientCertificate certificate;

    final TestClock clock = new TestClock();
    EntraTokenClient client;

    @BeforeAll
    static void start() {
        entra = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        entra.start();
        http = HttpClientFactory.create(null, null, Duration.ofSeconds(5), Duration.ofSeconds(5), 4);
        CertificateAndKey m = SelfSignedCertificates.generate("CN=wire", 10, 2048, List.of());
        certificate = new ClientCertificate(m.privateKey(), List.of(m.certificate()));
    }

    @AfterAll
    static void stop() throws Exception {
        http.close();
        entra.stop();
    }

    @BeforeEach
    void reset() {
        entra.resetAll();
        client = new EntraTokenClient(http, AssertionSigner.defaults(), clock, Duration.ofMillis(10));
    }

    TokenSource source(ClientCredential credential, TokenEndpointVersion version) {
        return new TokenSource(
                entra.baseUrl(), TENANT, CLIENT, credential, version, "https://analysis.windows.net/powerbi/api");
    }

    static Map<String, String> form(LoggedRequest r) {
        return Arrays.stream(r.getBodyAsString().split("&"))
                .map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }

    @Test
    void v2CertificateRequestCarriesAnAssertionForTheExactUrl() throws Exception {
        entra.stubFor(
                post(urlEqualTo(V2))
                        .willReturn(
                                aResponse()
                                        .withStatus(200)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\"eyJ.x.y\"}")));
        Instant issued = clock.instant();
        AccessToken token = client.requestToken(source(certificate, TokenEndpointVersion.V2), Duration.ofMinutes(5));
        assertEquals(issued.plusSeconds(3599), token.expiresAt());
        assertEquals(issued.plusSeconds(3599 - 300), token.refreshAt());

        LoggedRequest r = entra.findAll(postRequestedFor(urlEqualTo(V2))).get(0);
        Map<String, String> form = form(r);
        assertEquals("client_credentials", form.get("grant_type"));
        assertEquals(CLIENT, form.get("client_id"));
        assertEquals("https://analysis.windows.net/powerbi/api/.default", form.get("scope"));
        assertEquals("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form.get("client_assertion_type"));
        assertFalse(form.containsKey("client_secret"));
        assertFalse(form.containsKey("resource"));
        SignedJWT jwt = SignedJWT.parse(form.get("client_assertion"));
        assertEquals(List.of(entra.baseUrl() + V2), jwt.getJWTClaimsSet().getAudience());
        assertEquals("true", r.getHeader("return-client-request-id"));
    }

    @Test
    void v1AnswersWithStringNumbers() {
        String v1 = "/" + TENANT + "/oauth2/token";
        entra.stubFor(
                post(urlEqualTo(v1))
                        .willReturn(
                                aResponse()
                                        .withStatus(200)
                                        .withBody(
                                                "{\"token_type\":\"Bearer\",\"expires_in\":\"3599\",\"expires_on\":\"1388452167\",\"resource\":\"https://analysis.windows.net/powerbi/api\",\"access_token\":\"abc\"}")));
        Instant issued = clock.instant();
        AccessToken token =
                client.requestToken(source(new ClientSecret("s3cr3t"), TokenEndpointVersion.V1), Duration.ofMinutes(5));
        assertEquals(issued.plusSeconds(3599), token.expiresAt());
        Map<String, String> form =
                form(entra.findAll(postRequestedFor(urlEqualTo(v1))).get(0));
        assertEquals("https://analysis.windows.net/powerbi/api", form.get("resource"));
        assertEquals("s3cr3t", form.get("client_secret"));
    }

    @Test
    void refreshInBringsTheRefreshForward() {
        entra.stubFor(
                post(urlEqualTo(V2))
                        .willReturn(
                                aResponse()
                                        .withStatus(200)
                                        .withBody(
                                                "{\"token_type\":\"Bearer\",\"expires_in\":86399,\"refresh_in\":43199,\"access_token\":\"abc\"}")));
        Instant issued = clock.instant();
        AccessToken token =
                client.requestToken(source(new ClientSecret("x"), TokenEndpointVersion.V2), Duration.ofMinutes(5));
        assertEquals(issued.plusSeconds(43199), token.refreshAt());
    }

    @Test
    void audienceMismatchExplainsWhatWasSentAndWhatItMustEqual() {
        entra.stubFor(
                post(urlEqualTo(V2)).willReturn(aResponse().withStatus(401).withBody("""
                {"error":"invalid_client","error_description":"AADSTS700023: Client assertion audience claim does not match Realm issuer. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .\\r\\nTrace ID: 0a1b\\r\\nCorrelation ID: 2c3d\\r\\nTimestamp: 2021-07-06 19:39:33Z","error_codes":[700023],"timestamp":"2021-07-06 19:39:33Z","trace_id":"0a1b","correlation_id":"2c3d"}""")));
        EntraException e = assertThrows(
                EntraException.class,
                () -> client.requestToken(source(certificate, TokenEndpointVersion.V2), Duration.ofMinutes(5)));
        assertEquals(700023, e.code());
        assertEquals("invalid_client", e.error());
        assertEquals(401, e.httpStatus());
        assertEquals("0a1b", e.traceId());
        assertEquals("2c3d", e.correlationId());
        assertEquals("2021-07-06 19:39:33Z", e.timestamp());
        assertTrue(
                e.description().startsWith("Client assertion audience claim does not match Realm issuer."),
                e.description());
        assertTrue(e.hint().contains("Sent aud: " + entra.baseUrl() + V2), e.hint());
        assertTrue(e.hint().contains("it must equal: " + entra.baseUrl() + V2), e.hint());
        assertFalse(e.getMessage().contains("eyJ"), "no assertion in the message");
    }

    @Test
    void serverErrorWithoutRetryAfterIsRetriedOnce() {
        entra.stubFor(post(urlEqualTo(V2))
                .inScenario("s")
                .whenScenarioStateIs("Started")
                .willSetStateTo("up")
                .willReturn(aResponse()
                        .withStatus(500)
                        .withBody("{\"error\":\"server_error\",\"error_description\":\"AADSTS90100: oops\"}")));
        entra.stubFor(post(urlEqualTo(V2))
                .inScenario("s")
                .whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withBody("{\"expires_in\":3599,\"access_token\":\"abc\"}")));
        assertEquals(
                "abc",
                client.requestToken(source(new ClientSecret("x"), TokenEndpointVersion.V2), Duration.ofMinutes(5))
                        .value());
        assertEquals(2, entra.findAll(postRequestedFor(urlEqualTo(V2))).size());
    }

    @Test
    void throttlingIsNotRetriedHere() {
        entra.stubFor(
                post(urlEqualTo(V2))
                        .willReturn(
                                aResponse()
                                        .withStatus(503)
                                        .withHeader("Retry-After", "7")
                                        .withBody(
                                                "{\"error\":\"temporarily_unavailable\",\"error_description\":\"AADSTS90055: busy\"}")));
        EntraException e = assertThrows(
                EntraException.class,
                () -> client.requestToken(
                        source(new ClientSecret("x"), TokenEndpointVersion.V2), Duration.ofMinutes(5)));
        assertTrue(e.isThrottled());
        assertEquals(1, entra.findAll(postRequestedFor(urlEqualTo(V2))).size());
        entra.resetRequests();
        entra.stubFor(
                post(urlEqualTo(V2)).willReturn(aResponse().withStatus(429).withBody("{\"error\":\"x\"}")));
        assertThrows(
                EntraException.class,
                () -> client.requestToken(
                        source(new ClientSecret("x"), TokenEndpointVersion.V2), Duration.ofMinutes(5)));
        assertEquals(1, entra.findAll(postRequestedFor(urlEqualTo(V2))).size());
    }

    @Test
    void aNonEntraAnswerSaysWhereItWent() {
        entra.stubFor(
                post(urlEqualTo(V2)).willReturn(aResponse().withStatus(404).withBody("<html>nope</html>")));
        EntraException e = assertThrows(
                EntraException.class,
                () -> client.requestToken(
                        source(new ClientSecret("x"), TokenEndpointVersion.V2), Duration.ofMinutes(5)));
        assertTrue(e.hint().contains("is not a token endpoint"), e.hint());
    }

    @Test
    void multiTenantSegmentsAreRefusedBeforeSending() {
        CredentialException e = assertThrows(
                CredentialException.class,
                () -> new TokenSource(
                        entra.baseUrl(),
                        "common",
                        CLIENT,
                        new ClientSecret("x"),
                        TokenEndpointVersion.V2,
                        "https://analysis.windows.net/powerbi/api"));
        assertEquals("tenantId", e.option());
    }
}
