package io.camelpowerbi.component;

import static io.camelpowerbi.component.PowerBiMetricNames.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.client.PowerBiException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Which meter each reported event moves, and where the registry is found. */
class MicrometerMetricsTest {

    final MeterRegistry registry = new SimpleMeterRegistry();
    final MicrometerMetrics metrics = new MicrometerMetrics(registry);

    @Test
    void pushesCountRowsAndBatchesPerDataset() {
        metrics.batchAccepted("d1", 10_000);
        metrics.batchAccepted("d1", 2_500);
        metrics.batchAccepted("d2", 7);
        assertEquals(
                12_500,
                registry.get(ROWS_PUSHED).tag(TAG_DATASET, "d1").counter().count());
        assertEquals(
                2, registry.get(BATCHES_SENT).tag(TAG_DATASET, "d1").counter().count());
        assertEquals(
                7, registry.get(ROWS_PUSHED).tag(TAG_DATASET, "d2").counter().count());
    }

    @Test
    void everyKindOfWaitIsAThrottledWaitTaggedWithItsSource() {
        metrics.throttled("d1", Duration.ofMillis(1500));
        metrics.retrying(429, Duration.ofSeconds(3));
        metrics.retrying(503, Duration.ofSeconds(2)); // a retry, not a throttled wait
        metrics.retrying(0, Duration.ofSeconds(1));
        metrics.budgetWaited("activityEvents", Duration.ofSeconds(18));
        assertEquals(
                1.5,
                registry.get(THROTTLED_WAITS)
                        .tag(TAG_SOURCE, SOURCE_RATE_LIMITER)
                        .timer()
                        .totalTime(TimeUnit.SECONDS));
        assertEquals(
                3.0,
                registry.get(THROTTLED_WAITS)
                        .tag(TAG_SOURCE, SOURCE_RETRY_AFTER)
                        .timer()
                        .totalTime(TimeUnit.SECONDS));
        assertEquals(
                18.0,
                registry.get(THROTTLED_WAITS)
                        .tag(TAG_SOURCE, SOURCE_REQUEST_BUDGET)
                        .timer()
                        .totalTime(TimeUnit.SECONDS));
        assertEquals(
                1,
                registry.get(THROTTLED_WAITS)
                        .tag(TAG_SOURCE, SOURCE_RETRY_AFTER)
                        .timer()
                        .count());
        assertEquals(
                1, registry.get(API_RETRIES).tag(TAG_STATUS, "429").counter().count());
        assertEquals(
                1, registry.get(API_RETRIES).tag(TAG_STATUS, "503").counter().count());
        assertEquals(
                1, registry.get(API_RETRIES).tag(TAG_STATUS, MISSING).counter().count());
    }

    @Test
    void atLeastOnceResendsAfterAnAmbiguousFailureAreCountedByStatus() {
        metrics.resentAfterAmbiguousFailure(504);
        metrics.resentAfterAmbiguousFailure(0);
        metrics.resentAfterAmbiguousFailure(504);
        assertEquals(
                2,
                registry.get(API_AMBIGUOUS_RESENDS)
                        .tag(TAG_STATUS, "504")
                        .counter()
                        .count());
        assertEquals(
                1,
                registry.get(API_AMBIGUOUS_RESENDS)
                        .tag(TAG_STATUS, MISSING)
                        .counter()
                        .count());
    }

    @Test
    void errorsAreCountedByStatusAndPowerBiCode() {
        metrics.failed(new PowerBiException(
                "GET /groups", 401, "PowerBINotAuthorizedException", null, "r1", "add the app", -1));
        metrics.failed(new PowerBiException(
                "GET /groups", 401, "PowerBINotAuthorizedException", null, "r2", "add the app", -1));
        metrics.failed(new PowerBiException("GET /groups", 0, null, "cannot reach", null, "check the network", -1));
        assertEquals(
                2,
                registry.get(API_ERRORS)
                        .tag(TAG_STATUS, "401")
                        .tag(TAG_CODE, "PowerBINotAuthorizedException")
                        .counter()
                        .count());
        assertEquals(
                1,
                registry.get(API_ERRORS)
                        .tag(TAG_STATUS, MISSING)
                        .tag(TAG_CODE, MISSING)
                        .counter()
                        .count());
    }

    @Test
    void tokenRefreshesShowBothOutcomesFromTheStart() {
        assertEquals(
                0,
                registry.get(TOKEN_REFRESHES)
                        .tag(TAG_OUTCOME, OUTCOME_FAILURE)
                        .counter()
                        .count());
        metrics.refreshed();
        metrics.refreshFailed(new IllegalStateException("AADSTS7000215"));
        metrics.refreshed();
        assertEquals(
                2,
                registry.get(TOKEN_REFRESHES)
                        .tag(TAG_OUTCOME, OUTCOME_SUCCESS)
                        .counter()
                        .count());
        assertEquals(
                1,
                registry.get(TOKEN_REFRESHES)
                        .tag(TAG_OUTCOME, OUTCOME_FAILURE)
                        .counter()
                        .count());
    }

    @Test
    void consumerLagIsReadWhenScrapedAndGoesWithTheConsumer() throws Exception {
        AtomicReference<Duration> behind = new AtomicReference<>(Duration.ofMinutes(90));
        AutoCloseable handle = metrics.consumerLag("activityEvents", "audit", behind::get);
        assertEquals(
                5400.0,
                registry.get(CONSUMER_LAG).tag(TAG_ROUTE, "audit").gauge().value());
        behind.set(Duration.ofMillis(1_800_500));
        assertEquals(
                1800.5,
                registry.get(CONSUMER_LAG)
                        .tag(TAG_CONSUMER, "activityEvents")
                        .gauge()
                        .value());
        handle.close();
        assertNull(registry.find(CONSUMER_LAG).gauge());
    }

    @Test
    void theRegistryIsFoundByCamelsNameOrAsTheOnlyOne() {
        CamelContext context = new DefaultCamelContext();
        assertSame(PowerBiMetrics.NONE, PowerBiMetrics.lookup(context), "no registry: nothing is recorded");
        context.getRegistry().bind("prometheus", registry);
        assertTrue(PowerBiMetrics.lookup(context) instanceof MicrometerMetrics);
        MeterRegistry named = new SimpleMeterRegistry();
        context.getRegistry().bind(MicrometerMetrics.REGISTRY_NAME, named);
        ((MicrometerMetrics) PowerBiMetrics.lookup(context)).refreshed();
        assertEquals(
                1,
                named.get(TOKEN_REFRESHES)
                        .tag(TAG_OUTCOME, OUTCOME_SUCCESS)
                        .counter()
                        .count());
    }
}
