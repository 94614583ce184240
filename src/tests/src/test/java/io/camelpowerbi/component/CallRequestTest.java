package io.camelpowerbi.component;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.LogCapture;
import io.camelpowerbi.auth.AccessToken;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the {@code call} operation, and the name headers of every operation, let onto the wire: a method outside GET,
 * POST, PUT, PATCH and DELETE, or a line break in a method, path or name, is refused before any request, and shown
 * escaped. WireMock stands in for Power BI, so what was (not) sent is counted exactly.
 */
class CallRequestTest extends CamelTestSupport {

    static WireMockServer pbi;

    @BeforeAll
    static void start() {
        pbi = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        pbi.start();
    }

    @AfterAll
    static void stop() {
        pbi.stop();
    }

    @Override
    protected void doPreSetup() {
        pbi.resetAll();
        pbi.stubFor(any(anyUrl())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"value\":[]}")));
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        PowerBiConfiguration c =
                context.getComponent("powerbi", PowerBiComponent.class).getConfiguration();
        c.setApiBaseUrl(pbi.baseUrl());
        Instant fixed = Instant.parse("2026-11-30T10:00:00Z");
        AccessToken token = new AccessToken("test-token", fixed.plusSeconds(3600), fixed.plusSeconds(3000));
        c.setTokenProvider(() -> token);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to("powerbi:call");
                from("direct:datasets").to("powerbi:listDatasets");
            }
        };
    }

    static RouteBuilder call(String from, String options) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(from).to("powerbi:call" + options);
            }
        };
    }

    Exception refused(String uri, Map<String, Object> headers) {
        Exchange e = template.request(uri, x -> x.getIn().setHeaders(headers));
        assertInstanceOf(InvalidOptionException.class, e.getException());
        return e.getException();
    }

    @Test
    void aMethodThatWouldRewriteTheRequestLineIsRefusedEscapedAndNeverSent() {
        try (LogCapture logs = LogCapture.open()) {
            Exception e = refused(
                    "direct:call",
                    Map.of(
                            PowerBiConstants.HTTP_METHOD,
                            "GET /X HTTP/1.1\r\nX-Injected: 1\r\nFoo:",
                            PowerBiConstants.PATH,
                            "/groups"));
            assertEquals(
                    "CamelPowerBiHttpMethod: 'GET /X HTTP/1.1\\r\\nX-Injected: 1\\r\\nFoo:' is not an HTTP method the "
                            + "call operation sends. Fix: use GET, POST, PUT, PATCH or DELETE.",
                    e.getMessage());
            assertTrue(
                    logs.lines().stream().noneMatch(l -> l.contains("X-Injected: 1\r") || l.contains("\nX-Injected")),
                    "no raw line break of it in a log line");
        }
        assertEquals(0, pbi.getAllServeEvents().size(), "nothing reached Power BI");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRACE", "FOO", "CONNECT", "OPTIONS", ""})
    void anyOtherMethodIsRefusedAtOnceWithTheList(String method) {
        Exception e =
                refused("direct:call", Map.of(PowerBiConstants.HTTP_METHOD, method, PowerBiConstants.PATH, "/groups"));
        assertTrue(e.getMessage().contains("use GET, POST, PUT, PATCH or DELETE"), e.getMessage());
        assertEquals(0, pbi.getAllServeEvents().size(), "refused, not retried as a network failure");
    }

    @Test
    void theFiveMethodsGoOutAsGivenInAnyCase() {
        Exchange e = template.request("direct:call", x -> {
            x.getIn().setHeader(PowerBiConstants.HTTP_METHOD, "patch");
            x.getIn().setHeader(PowerBiConstants.PATH, "/groups/g-1/datasets/d-1");
            x.getIn().setBody(Map.of("name", "renamed"));
        });
        assertNull(e.getException());
        pbi.verify(1, patchRequestedFor(urlEqualTo("/v1.0/myorg/groups/g-1/datasets/d-1")));
    }

    @Test
    void aLineBreakInAPathOrANameHeaderIsRefused() {
        Exception path = refused("direct:call", Map.of(PowerBiConstants.PATH, "/groups\r\nX-Injected: 1"));
        assertTrue(
                path.getMessage().startsWith("CamelPowerBiPath: '/groups\\r\\nX-Injected: 1' holds a line break"),
                path.getMessage());
        Exception workspace = refused("direct:datasets", Map.of(PowerBiConstants.WORKSPACE, "Sales\nINFO forged line"));
        assertTrue(
                workspace
                                .getMessage()
                                .startsWith("CamelPowerBiWorkspace: 'Sales\\nINFO forged line' holds a line break")
                        && workspace.getMessage().contains("position 6"),
                workspace.getMessage());
        assertFalse(workspace.getMessage().contains("\n"));
        assertEquals(0, pbi.getAllServeEvents().size());
    }

    @Test
    void aMethodOptionOutsideTheFiveFailsTheRouteAtStart() {
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(call("direct:trace", "?method=TRACE")));
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String all = e + " / " + root;
        assertTrue(all.contains("TRACE") && all.contains("method"), all);

        e = assertThrows(
                Exception.class, () -> context.addRoutes(call("direct:injected", "?path=/groups%0D%0AX-Injected:1")));
        root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(
                root.getMessage().startsWith("path: '/groups\\r\\nX-Injected:1' holds a line break"),
                root.getMessage());
        assertEquals(0, pbi.getAllServeEvents().size());
    }
}
