package io.camelpowerbi.component;

import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Base of the component's polling consumers. It gives each one a readiness check ({@link PowerBiConsumerHealthCheck}:
 * last poll outcome, token held or obtainable, Power BI reachable; shown as {@code consumer:<routeId>}) and the hooks
 * for the consumer metrics: {@link #reportLag(Supplier)} and {@link #budgetWaited(Duration)}. Subclasses implement
 * {@link #poll()} as with any {@link ScheduledPollConsumer}.
 */
abstract class PowerBiPollingConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(PowerBiPollingConsumer.class);

    private AutoCloseable lag;

    protected PowerBiPollingConsumer(PowerBiEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public PowerBiEndpoint getEndpoint() {
        return (PowerBiEndpoint) super.getEndpoint();
    }

    /** The consumer's name in metrics: its operation, e.g. {@code activityEvents}. */
    protected String consumerName() {
        return getEndpoint().getOperation().name();
    }

    @Override
    protected void doBuild() throws Exception {
        if (getHealthCheck() == null) {
            // the id ScheduledPollConsumer would use: Camel's consumers repository shows it per route
            setHealthCheck(new PowerBiConsumerHealthCheck(this, "consumer:" + getRouteId()));
        }
        super.doBuild();
    }

    /**
     * Shows how far this consumer is behind now ({@code powerbi_consumer_lag_seconds}) until it stops; {@code behind}
     * is read whenever metrics are scraped, from another thread. Call it from {@code doStart}.
     */
    protected void reportLag(Supplier<Duration> behind) {
        closeLag();
        lag = getEndpoint().getComponent().metrics().consumerLag(consumerName(), getRouteId(), behind);
    }

    /** The consumer waited {@code waited} for its own request budget before a call. */
    protected void budgetWaited(Duration waited) {
        getEndpoint().getComponent().metrics().budgetWaited(consumerName(), waited);
    }

    @Override
    protected void doStop() throws Exception {
        closeLag();
        super.doStop();
    }

    private void closeLag() {
        if (lag != null) {
            try {
                lag.close();
            } catch (Exception e) {
                LOG.debug("removing the lag metric of {}: {}", getRouteId(), e.toString());
            }
            lag = null;
        }
    }
}
