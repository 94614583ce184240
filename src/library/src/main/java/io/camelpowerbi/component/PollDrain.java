package io.camelpowerbi.component;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.ShutdownStrategy;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a polling consumer finish the exchange in hand when it stops: once draining, {@link #running()} turns false so
 * no new exchange is taken, and {@link #drain()} waits (up to the shutdown timeout) for the poll in hand to end. It
 * drains when the CamelContext starts stopping and when the consumer stops: a {@code master:} route stops its route's
 * processor before it stops the consumer (camel-master 4.18), so without this an exchange in flight at a clean
 * shutdown or a leadership change failed after its work was done, and was delivered again.
 */
final class PollDrain {

    private static final Logger LOG = LoggerFactory.getLogger(PollDrain.class);

    private final ScheduledPollConsumer consumer;
    private final String name;
    /** Held by the poll thread for a whole poll: {@link #drain()} waits on it. */
    private final ReentrantLock pollLock = new ReentrantLock();

    private volatile boolean draining;
    private SimpleEventNotifierSupport stopping;

    /** @param name the consumer, in the warning when an exchange outlives the shutdown timeout */
    PollDrain(ScheduledPollConsumer consumer, String name) {
        this.consumer = consumer;
        this.name = name;
    }

    /** From the consumer's {@code doStart}. */
    void start() throws Exception {
        draining = false;
        stopping = new SimpleEventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                drain();
            }
        };
        // only the context's own events: exchange events would cost every route of the context
        stopping.setIgnoreExchangeEvents(true);
        stopping.setIgnoreRouteEvents(true);
        stopping.setIgnoreServiceEvents(true);
        stopping.setIgnoreStepEvents(true);
        stopping.setIgnoreCamelContextInitEvents(true);
        ServiceHelper.startService(stopping);
        context().getManagementStrategy().addEventNotifier(stopping);
    }

    /** From the consumer's {@code doStop}, before {@code super.doStop()} stops the route's processor. */
    void stop() {
        drain();
        if (stopping != null) {
            context().getManagementStrategy().removeEventNotifier(stopping);
            ServiceHelper.stopService(stopping);
            stopping = null;
        }
    }

    /** Whether to take the next page, event or workspace: not while stopping, suspended or draining. */
    boolean running() {
        return consumer.isRunAllowed() && !consumer.isSuspendingOrSuspended() && !draining;
    }

    /** Runs one poll holding the lock {@link #drain()} waits on. */
    int poll(Callable<Integer> poll) throws Exception {
        pollLock.lock();
        try {
            return poll.call();
        } finally {
            pollLock.unlock();
        }
    }

    /** Takes no new exchange, and waits (up to the shutdown timeout) for the one in hand to be processed and recorded. */
    void drain() {
        draining = true;
        if (pollLock.isHeldByCurrentThread()) {
            return; // stopped from within our own exchange: it finishes when the route returns
        }
        ShutdownStrategy strategy = context().getShutdownStrategy();
        long millis = Math.max(1, strategy.getTimeUnit().toMillis(strategy.getTimeout()));
        try {
            if (pollLock.tryLock(millis, TimeUnit.MILLISECONDS)) {
                pollLock.unlock();
            } else {
                LOG.warn(
                        "{}: the exchange in hand was not processed within {} ms of the stop; if the route completes"
                                + " it later, it is delivered again next time",
                        name,
                        millis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CamelContext context() {
        return consumer.getEndpoint().getCamelContext();
    }
}
