package io.camelpowerbi.component;

import io.camelpowerbi.operations.RefreshAlreadyRunningException;
import io.camelpowerbi.operations.RefreshOutcome;
import io.camelpowerbi.sandbox.Dataset;
import io.camelpowerbi.sandbox.Refresh;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code refreshDataset} with {@code ifRunning}, from YAML routes, against the sandbox's one-refresh-at-a-time rule:
 * FAIL refuses, CANCEL_AND_RESTART cancels an enhanced refresh and starts ours, and leaves a plain one (which Power BI
 * cannot cancel) running, saying so.
 */
class RefreshIfRunningRouteTest {

    @TempDir
    static Path dir;
    static Sandbox sandbox;
    CamelContext context;
    Dataset model;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().withPort(0).withStateDir(dir.resolve("sandbox")));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void routes() throws Exception {
        sandbox.reset();
        model = sandbox.dataset(Sandbox.DATASET_FINANCE_MODEL);
        context = new DefaultCamelContext();
        PowerBiComponent component = new PowerBiComponent();
        component.setConfiguration(new LocalSandbox(sandbox).configure(new PowerBiConfiguration()));
        component.getConfiguration().setPollInterval(100);
        context.addComponent("powerbi", component);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.camel.yaml", """
                - route:
                    from:
                      uri: direct:startEnhanced
                      steps:
                        - to:
                            uri: powerbi:refreshDataset
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model", refreshType: Full,
                                          waitForCompletion: false }
                - route:
                    from:
                      uri: direct:startPlain
                      steps:
                        - to:
                            uri: powerbi:refreshDataset
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model", waitForCompletion: false }
                - route:
                    from:
                      uri: direct:force
                      steps:
                        - to:
                            uri: powerbi:refreshDataset
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model", refreshType: Full,
                                          ifRunning: CANCEL_AND_RESTART, waitTimeout: 30000 }
                - route:
                    from:
                      uri: direct:default
                      steps:
                        - to:
                            uri: powerbi:refreshDataset
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model" }
                """));
        context.start();
    }

    @AfterEach
    void stopContext() throws Exception {
        context.close();
    }

    Exchange send(String endpoint) {
        return context.createProducerTemplate().request(endpoint, x -> x.getIn().setBody(Map.of()));
    }

    /** Starts a refresh that would run for an hour, and makes the next ones quick. */
    Refresh longRunning(String endpoint) {
        sandbox.setRefreshBehaviour(Sandbox.DATASET_FINANCE_MODEL, Dataset.RefreshBehaviour.completing(Duration.ofHours(1)));
        Exchange started = send(endpoint);
        assertTrue(started.getException() == null, () -> String.valueOf(started.getException()));
        sandbox.setRefreshBehaviour(Sandbox.DATASET_FINANCE_MODEL, Dataset.RefreshBehaviour.completing(Duration.ofMillis(200)));
        return model.refresh(started.getMessage().getHeader(PowerBiConstants.REFRESH_ID, String.class)).orElseThrow();
    }

    @Test
    void cancelAndRestartCancelsTheRunningEnhancedRefreshAndFollowsOurs() {
        Refresh running = longRunning("direct:startEnhanced");

        Exchange forced = send("direct:force");

        assertTrue(forced.getException() == null, () -> String.valueOf(forced.getException()));
        RefreshOutcome outcome = forced.getMessage().getBody(RefreshOutcome.class);
        assertEquals("Completed", outcome.status());
        assertNotEquals(running.requestId(), outcome.refreshId());
        assertEquals("Cancelled", running.status(sandbox.clock().now()), "the refresh that was running was cancelled");
    }

    @Test
    void cancelAndRestartLeavesAPlainRefreshRunningAndSaysWhy() {
        Refresh running = longRunning("direct:startPlain");
        int before = model.refreshes().size();

        Exchange forced = send("direct:force");

        RefreshAlreadyRunningException e = assertInstanceOf(RefreshAlreadyRunningException.class, forced.getException());
        assertEquals(running.requestId(), e.runningRefreshId());
        assertTrue(e.getMessage().contains("cannot cancel") && e.getMessage().contains("ifRunning=WAIT"), e.getMessage());
        assertTrue(running.isRunning(sandbox.clock().now()), "a plain refresh cannot be cancelled: it still runs");
        assertEquals(before, model.refreshes().size(), "ours was not started");
    }

    @Test
    void byDefaultARunningRefreshFailsTheExchange() {
        Refresh running = longRunning("direct:startEnhanced");
        int before = model.refreshes().size();

        Exchange refused = send("direct:default");

        // (the running refresh's id may be unknown: a new refresh takes a moment to show in the history)
        assertInstanceOf(RefreshAlreadyRunningException.class, refused.getException());
        assertTrue(running.isRunning(sandbox.clock().now()), "left alone");
        assertEquals(before, model.refreshes().size(), "ours was not started");
    }
}
