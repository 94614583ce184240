package io.camelpowerbi.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.camelpowerbi.auth.AccessToken;
import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.RetryPolicy;
import io.camelpowerbi.contract.WireMockContractListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A WireMock standing in for Power BI on 127.0.0.1, and a real {@link PowerBiClient} pointed at it. */
abstract class WireMockSupport {

    static final String G = "11111111-1111-1111-1111-111111111111";
    static final String D = "22222222-2222-2222-2222-222222222222";
    static final String R = "33333333-3333-3333-3333-333333333333";
    static final String BASE = "/v1.0/myorg/groups/" + G;

    static WireMockServer wm;
    PowerBiClient client;

    @BeforeAll
    static void startWireMock() {
        wm = new WireMockServer(
                options().bindAddress("127.0.0.1").dynamicPort().extensions(new WireMockContractListener()));
        wm.start();
    }

    @AfterAll
    static void stopWireMock() {
        wm.stop();
    }

    @BeforeEach
    void resetWireMock() {
        wm.resetAll();
        client = new PowerBiClient(
                HttpClientFactory.create(null, null, Duration.ofSeconds(5), Duration.ofSeconds(30), 4),
                wm.baseUrl(),
                () -> new AccessToken(
                        "test-token",
                        Instant.now().plusSeconds(3600),
                        Instant.now().plusSeconds(3000)),
                new RetryPolicy(
                        3,
                        Duration.ofMillis(10),
                        Duration.ofMillis(50),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(5)));
    }

    /** Every request WireMock received, oldest first. */
    static List<LoggedRequest> requests() {
        return wm.findAll(anyRequestedFor(anyUrl()));
    }

    /** Requests as "METHOD url", oldest first, for asserting the exact wire traffic. */
    static List<String> traffic() {
        return requests().stream()
                .map(r -> r.getMethod().getName() + " " + r.getUrl())
                .toList();
    }

    /** Fails unless {@code actual} contains every part, showing the whole text. */
    static void assertContains(String actual, String... parts) {
        for (String part : parts) {
            org.junit.jupiter.api.Assertions.assertTrue(
                    actual != null && actual.contains(part),
                    () -> "expected to contain <" + part + "> but was:\n" + actual);
        }
    }

    static void assertNotContains(String actual, String... parts) {
        for (String part : parts) {
            org.junit.jupiter.api.Assertions.assertFalse(
                    actual != null && actual.contains(part),
                    () -> "expected not to contain <" + part + "> but was:\n" + actual);
        }
    }
}
