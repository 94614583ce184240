package io.camelpowerbi.component;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.camelpowerbi.TestClock;
import io.camelpowerbi.auth.AccessToken;
import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scanner's paths: a scan id is Power BI's string and goes into the path escaped, like every other segment. */
class ScannerApiTest {

    WireMockServer wm;
    CloseableHttpClient http;
    ScannerApi api;

    @BeforeEach
    void start() {
        wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        http = HttpClientFactory.create(null, null, Duration.ofSeconds(5), Duration.ofSeconds(5), 2);
        PowerBiClient client = new PowerBiClient(
                http,
                wm.baseUrl(),
                () -> new AccessToken("t", Instant.EPOCH.plusSeconds(3600), Instant.EPOCH.plusSeconds(3000)),
                new RetryPolicy(
                        1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        api = new ScannerApi(
                () -> client,
                new PowerBiConfiguration(),
                Duration.ofHours(1),
                () -> true,
                waited -> {},
                new TestClock());
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        wm.stop();
    }

    @Test
    void aScanIdWithPathCharactersStaysOneEscapedSegment() throws Exception {
        // SW types scanId as a string; nothing promises it is a GUID, so '/', '#' and '?' must not change the URL's
        // shape.
        String id = "scan/7#a?b";
        String escaped = "scan%2F7%23a%3Fb";
        wm.stubFor(get(urlPathEqualTo("/v1.0/myorg/admin/workspaces/scanStatus/" + escaped))
                .willReturn(okJson("{\"id\":\"" + id.replace("\"", "") + "\",\"status\":\"Succeeded\"}")));
        wm.stubFor(get(urlPathEqualTo("/v1.0/myorg/admin/workspaces/scanResult/" + escaped))
                .willReturn(okJson("{\"workspaces\":[]}")));

        assertEquals("Succeeded", api.scanStatus(id).status());
        assertEquals(0, api.scanResult(id).path("workspaces").size());

        wm.verify(getRequestedFor(urlPathEqualTo("/v1.0/myorg/admin/workspaces/scanStatus/" + escaped)));
        wm.verify(getRequestedFor(urlPathEqualTo("/v1.0/myorg/admin/workspaces/scanResult/" + escaped)));
    }
}
