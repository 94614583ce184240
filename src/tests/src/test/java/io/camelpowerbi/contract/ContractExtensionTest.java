package io.camelpowerbi.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The oracle and its extension as the suite uses them: an answer with a field Power BI does not document, handed to the
 * oracle as the sandbox's observer hands it over, fails the test during which it happened (the extension is found by
 * JUnit's auto-detection), naming the operation, the field and the rule; the test next to it, which broke nothing,
 * passes.
 */
class ContractExtensionTest {

    /** Run by the launcher below only (surefire picks up classes named *Test or *Tests, not this one). */
    static class TwoCalls {

        @Test
        void answeredWithAnInventedField() {
            answer("{\"value\":[{\"id\":\"9a1f\",\"name\":\"Sales\",\"favouriteColour\":\"blue\"}]}");
        }

        @Test
        void answeredAsDocumented() {
            answer("{\"value\":[{\"id\":\"9a1f\",\"name\":\"Sales\",\"isRefreshable\":true}]}");
        }

        /** As the sandbox's observer hands it over; the source says, in the run's summary, that it was on purpose. */
        static void answer(String body) {
            ContractOracle.observe(new ContractExchange(
                    "ContractExtensionTest (on purpose)",
                    "GET",
                    "/v1.0/myorg/groups/7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52/datasets",
                    null,
                    Map.of(),
                    new byte[0],
                    200,
                    Map.of("Content-Type", List.of("application/json")),
                    body.getBytes(StandardCharsets.UTF_8),
                    false,
                    true));
        }
    }

    @Test
    void theTestDuringWhichTheContractBrokeFailsAndSaysWhere() {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(TwoCalls.class))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .build();
        // the run's own summary listener stays out of this inner run
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .build());
        Outcomes outcomes = new Outcomes();
        launcher.execute(request, outcomes);

        TestExecutionResult broken = outcomes.of("answeredWithAnInventedField");
        assertEquals(TestExecutionResult.Status.FAILED, broken.getStatus());
        String message = broken.getThrowable().orElseThrow().getMessage();
        assertTrue(message.contains("Datasets_GetDatasetsInGroup response /value/0/favouriteColour"), message);
        assertTrue(message.contains("[validation.response.body.schema.additionalProperties]"), message);
        assertTrue(message.contains("during this test"), message);
        assertEquals(
                TestExecutionResult.Status.SUCCESSFUL,
                outcomes.of("answeredAsDocumented").getStatus());
    }

    static final class Outcomes implements TestExecutionListener {
        private final Map<String, TestExecutionResult> results = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
                results.put(id.getDisplayName().replace("()", ""), result);
            }
        }

        TestExecutionResult of(String method) {
            return Optional.ofNullable(results.get(method))
                    .orElseThrow(() -> new AssertionError(method + " did not run: " + results.keySet()));
        }
    }
}
