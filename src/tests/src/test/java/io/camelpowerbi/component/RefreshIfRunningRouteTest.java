package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.operations.RefreshAlreadyRunningException;
import io.camelpowerbi.operations.RefreshOutcome;
import io.camelpowerbi.sandbox.Dataset;
import io.camelpowerbi.sandbox.Refresh;
import io.camelpowerbi.sandbox.Sandbox;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code refreshDataset} with {@code ifRunning}, from YAML routes, against the sandbox's one-refresh-at-a-time rule:
 * FAIL refuses, CANCEL_AND_RESTART cancels an enhanced refresh and starts ours, and leaves a plain one (which Power BI
 * cannot cancel) running, saying so.
 */
class RefreshIfRunningRouteTest extends SandboxRouteTest {

    Dataset model;

    @BeforeEach
    void start() throws Exception {
        model = sandbox.dataset(Sandbox.DATASET_FINANCE_MODEL);
        routes("""
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
                """);
    }

    Exchange send(String endpoint) {
        return send(endpoint, Map.of());
    }

    /** Starts a refresh that would run for an hour, and makes the next ones quick. */
    Refresh longRunning(String endpoint) {
        sandbox.setRefreshBehaviour(
                Sandbox.DATASET_FINANCE_MODEL, Dataset.RefreshBehaviour.completing(Duration.ofHours(1)));
        Exchange started = send(endpoint);
        assertTrue(started.getException() == null, () -> String.valueOf(started.getException()));
        sandbox.setRefreshBehaviour(
                Sandbox.DATASET_FINANCE_MODEL, Dataset.RefreshBehaviour.completing(Duration.ofMillis(200)));
        return model.refresh(started.getMessage().getHeader(PowerBiConstants.REFRESH_ID, String.class))
                .orElseThrow();
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

        RefreshAlreadyRunningException e =
                assertInstanceOf(RefreshAlreadyRunningException.class, forced.getException());
        assertEquals(running.requestId(), e.runningRefreshId());
        assertTrue(
                e.getMessage().contains("cannot cancel") && e.getMessage().contains("ifRunning=WAIT"), e.getMessage());
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
