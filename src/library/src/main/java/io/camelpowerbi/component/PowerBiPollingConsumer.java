package io.camelpowerbi.component;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.client.Sleeper;
import io.camelpowerbi.client.SlidingWindow;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of the component's polling consumers. It gives each one a readiness check ({@link PowerBiConsumerHealthCheck}:
 * last poll outcome, token held or obtainable, Power BI reachable; shown as {@code consumer:<routeId>}) and the hooks
 * for the consumer metrics: {@link #reportLag(Supplier)} and {@link #budgetWaited(Duration)}. It also owns what the
 * consumers share: where their state is kept ({@link #openState(String)}), running the route on one exchange at a time
 * ({@link #process(Exchange, String)}), and finishing the exchange in hand at a stop ({@link PollDrain}). Subclasses
 * implement {@link #pollOnce()}.
 */
abstract class PowerBiPollingConsumer extends ScheduledPollConsumer implements CatchingUp {

    private static final Logger LOG = LoggerFactory.getLogger(PowerBiPollingConsumer.class);

    private AutoCloseable lag;
    private final String stateName;
    private final PollDrain drain;
    private final List<AtomicFileStateRepository> stateFiles = new ArrayList<>();
    private volatile boolean caughtUp;
    /** When a Retry-After longer than the client waits has passed ({@link #holdOff}), on {@link #sleeper}'s clock. */
    private Long heldOffUntil;
    /** What the consumers' waits are measured and made with. */
    protected final Sleeper sleeper = Sleeper.SYSTEM;

    /** @param stateName names its state key and default file: {@code powerbi-<stateName>.<routeId>} */
    protected PowerBiPollingConsumer(PowerBiEndpoint endpoint, Processor processor, String stateName) {
        super(endpoint, processor);
        this.stateName = stateName;
        this.drain = new PollDrain(this, endpoint.getOperation().name());
    }

    /** One poll: the number of exchanges the route processed. */
    protected abstract int pollOnce() throws Exception;

    @Override
    protected final int poll() throws Exception {
        caughtUp = false;
        return drain.poll(this::pollOnce);
    }

    /** From {@link #pollOnce()}: this poll read everything there was to read. */
    protected void caughtUp() {
        caughtUp = true;
    }

    @Override
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /**
     * Power BI answered 429 with a Retry-After longer than the client waits: no call before {@code wait} has passed, or
     * each poll meanwhile would be refused too. Polls check {@link #heldOff()} first.
     */
    protected void holdOff(Duration wait) {
        heldOffUntil = sleeper.nanoTime() + wait.toNanos();
    }

    /** Whether the wait of the last {@link #holdOff(Duration)} is still running. */
    protected boolean heldOff() {
        if (heldOffUntil != null && heldOffUntil - sleeper.nanoTime() > 0) {
            return true;
        }
        heldOffUntil = null;
        return false;
    }

    /** Whether to take the next page, event or workspace, or make the next call: not while stopping or suspended. */
    protected boolean running() {
        return drain.running();
    }

    /**
     * The name its state is kept under: {@code checkpointId}, else the route id, else the operation's name (a consumer
     * under {@code master:} is given no route id).
     */
    protected String routeName() {
        String id = getEndpoint().getConfiguration().getCheckpointId();
        if (id != null && !id.isBlank()) {
            return id.trim();
        }
        return getRouteId() != null ? getRouteId() : consumerName();
    }

    /** The key of this consumer's state: {@code powerbi-<stateName>.<checkpointId or routeId>}. */
    protected String stateKey() {
        return "powerbi-" + stateName + "." + routeName();
    }

    /**
     * The {@code stateRepository} bean, else a file of this consumer's own ({@code stateFile}, default
     * {@code data/state/powerbi-<stateName>-<routeId>.dat}, plus {@code fileSuffix}) replaced atomically on each save,
     * so a killed process leaves the old or the new state, never a torn one; consumers naming the same file share one
     * repository of the component, each under its own key. Started; a file is given back at stop.
     */
    protected StateRepository<String, String> openState(String fileSuffix) throws Exception {
        PowerBiConfiguration c = getEndpoint().getConfiguration();
        StateRepository<String, String> state = c.getStateRepository();
        if (state == null) {
            Path file = c.getStateFile() != null
                    ? Path.of(c.getStateFile())
                    : Path.of(
                            "data",
                            "state",
                            "powerbi-" + stateName + "-" + routeName().replaceAll("[^A-Za-z0-9._-]", "_") + ".dat");
            file = file.resolveSibling(file.getFileName() + fileSuffix);
            File dir = file.toAbsolutePath().getParent().toFile();
            if (!dir.isDirectory() && !dir.mkdirs()) {
                throw new InvalidOptionException(
                        "stateFile",
                        "cannot create the directory " + dir,
                        "give a file in a" + " directory this process may create or write");
            }
            AtomicFileStateRepository shared = getEndpoint().getComponent().openStateFile(file);
            stateFiles.add(shared);
            return shared;
        }
        ServiceHelper.startService(state);
        return state;
    }

    /**
     * Runs the route on {@code exchange} synchronously; false, after the exception handler saw it, when it failed.
     *
     * @param failure what failed and what happens next, for the exception handler
     */
    protected boolean process(Exchange exchange, String failure) {
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        try {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException(failure, exchange, exchange.getException());
                return false;
            }
            return true;
        } finally {
            releaseExchange(exchange, false);
        }
    }

    @Override
    protected void doStart() throws Exception {
        drain.start();
        super.doStart();
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
            setHealthCheck(new PowerBiConsumerHealthCheck(this, "consumer:" + routeName()));
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
        // before super.doStop(): that stops the route's processor, and an exchange still in it would fail after its
        // work was done, and be delivered again
        drain.stop();
        closeLag();
        super.doStop();
        stateFiles.forEach(getEndpoint().getComponent()::releaseStateFile);
        stateFiles.clear();
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
    // ------------------------------------------------------------------ option parsing shared by the consumers

    /**
     * A client-side budget of {@code max} requests in any {@code period}, the sliding window Power BI counts its admin
     * API limits in; the error names {@code option}.
     */
    static SlidingWindow requestBudget(String option, int max, Duration period, Sleeper sleeper) {
        if (max < 1) {
            throw new IllegalArgumentException(option + " must be at least 1: " + max);
        }
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("requestLimitPeriod must be positive: " + period);
        }
        return new SlidingWindow(max, period, sleeper);
    }
}
