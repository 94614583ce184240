package io.camelpowerbi.component;

import static io.camelpowerbi.component.PowerBiMetricNames.*;

import io.camelpowerbi.client.PowerBiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PowerBiMetrics} on a Micrometer {@link MeterRegistry}. The only class of the library that uses Micrometer: it
 * is loaded only when Micrometer is on the classpath (see {@link PowerBiMetrics#lookup(CamelContext)}).
 */
final class MicrometerMetrics implements PowerBiMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(MicrometerMetrics.class);
    /** The name camel-main (camel.metrics.enabled=true) and camel-micrometer bind their registry under. */
    static final String REGISTRY_NAME = "metricsRegistry";

    private final MeterRegistry registry;
    private final Counter tokenSuccess;
    private final Counter tokenFailure;

    MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
        // both outcomes shown from the start, so a rate of failures can be computed before the first one
        this.tokenSuccess = tokenCounter(OUTCOME_SUCCESS);
        this.tokenFailure = tokenCounter(OUTCOME_FAILURE);
    }

    /** The registry bound as {@value #REGISTRY_NAME}, else the only one in the Camel registry; else {@link #NONE}. */
    static PowerBiMetrics from(CamelContext context) {
        Registry beans = context.getRegistry();
        MeterRegistry registry = beans.lookupByNameAndType(REGISTRY_NAME, MeterRegistry.class);
        if (registry == null) {
            registry = beans.findSingleByType(MeterRegistry.class);
        }
        if (registry == null) {
            LOG.debug("no Micrometer MeterRegistry in the Camel registry: powerbi metrics are off");
            return NONE;
        }
        LOG.debug("powerbi metrics go to {}", registry.getClass().getSimpleName());
        return new MicrometerMetrics(registry);
    }

    @Override
    public void batchAccepted(String datasetId, int rows) {
        Counter.builder(ROWS_PUSHED)
                .description("Rows Power BI accepted into push datasets")
                .tag(TAG_DATASET, datasetId)
                .register(registry)
                .increment(rows);
        Counter.builder(BATCHES_SENT)
                .description("POST rows requests Power BI accepted")
                .tag(TAG_DATASET, datasetId)
                .register(registry)
                .increment();
    }

    @Override
    public void throttled(String datasetId, Duration waited) {
        throttledWait(SOURCE_RATE_LIMITER, waited);
    }

    @Override
    public void retrying(int status, Duration wait) {
        Counter.builder(API_RETRIES)
                .description("Power BI calls sent again after a 429, a 5xx or a broken connection")
                .tag(TAG_STATUS, status(status))
                .register(registry)
                .increment();
        if (status == 429) {
            throttledWait(SOURCE_RETRY_AFTER, wait);
        }
    }

    @Override
    public void resentAfterAmbiguousFailure(int status) {
        Counter.builder(API_AMBIGUOUS_RESENDS)
                .description("At-least-once calls (push batches) sent again although Power BI"
                        + " may have processed them: each may have duplicated rows")
                .tag(TAG_STATUS, status(status))
                .register(registry)
                .increment();
    }

    @Override
    public void failed(PowerBiException failure) {
        Counter.builder(API_ERRORS)
                .description("Power BI calls that failed for good, by HTTP status and error code")
                .tag(TAG_STATUS, status(failure.httpStatus()))
                .tag(
                        TAG_CODE,
                        failure.errorCode() == null || failure.errorCode().isBlank() ? MISSING : failure.errorCode())
                .register(registry)
                .increment();
    }

    @Override
    public void refreshed() {
        tokenSuccess.increment();
    }

    @Override
    public void refreshFailed(RuntimeException failure) {
        tokenFailure.increment();
    }

    @Override
    public void budgetWaited(String consumer, Duration waited) {
        throttledWait(SOURCE_REQUEST_BUDGET, waited);
    }

    @Override
    public AutoCloseable consumerLag(String consumer, String routeId, Supplier<Duration> lag) {
        Gauge gauge = Gauge.builder(CONSUMER_LAG, lag, l -> {
                    Duration d = l.get();
                    return d == null ? Double.NaN : d.toMillis() / 1000.0;
                })
                .description("How far a polling consumer's checkpoint is behind now")
                .baseUnit("seconds")
                .tag(TAG_CONSUMER, consumer)
                .tag(TAG_ROUTE, routeId == null ? MISSING : routeId)
                .strongReference(true)
                .register(registry);
        return () -> registry.remove(gauge);
    }

    private void throttledWait(String source, Duration waited) {
        Timer.builder(THROTTLED_WAITS)
                .description("Waits for a Power BI limit, and their time")
                .tag(TAG_SOURCE, source)
                .register(registry)
                .record(waited);
    }

    private Counter tokenCounter(String outcome) {
        return Counter.builder(TOKEN_REFRESHES)
                .description("Token requests to Entra ID, by outcome")
                .tag(TAG_OUTCOME, outcome)
                .register(registry);
    }

    private static String status(int status) {
        return status <= 0 ? MISSING : Integer.toString(status);
    }
}
