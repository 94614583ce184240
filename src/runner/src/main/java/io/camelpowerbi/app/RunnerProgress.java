package io.camelpowerbi.app;

import io.camelpowerbi.component.CatchingUp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.timer.TimerConsumer;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * Whether the routes' work is done, whatever the routes are, read from their consumers and Camel's events: a timer has
 * fired its {@code repeatCount} exchanges; a polling consumer (file, sql, ftp, ...) has polled and found nothing new
 * (a {@code powerbi:} consumer says it caught up, see {@link CatchingUp}); every other consumer (jms, direct, seda, a
 * Kamelet) has no exchange in flight; nothing is in flight anywhere and no exchange started or ended for
 * {@link #QUIET} (a message on its way through a queue between two routes). A timer without {@code repeatCount} never
 * finishes: such a job runs until a bound or Ctrl-C. A route that is not started (autoStartup false) does not count.
 */
final class RunnerProgress extends EventNotifierSupport {

    /** How long nothing may happen before the work counts as done. */
    static final Duration QUIET = Duration.ofSeconds(1);

    /** Routes whose polling consumer's last poll found nothing (not for {@link CatchingUp} consumers). */
    private final Set<String> idlePolls = ConcurrentHashMap.newKeySet();
    /** Routes whose last poll failed, with why: their work cannot go on, so it counts as ended (and failed). */
    private final Map<String, String> failedPolls = new ConcurrentHashMap<>();
    /** Routes with a failed exchange: a catching-up consumer redoes failed work every poll, so it never catches up. */
    private final Set<String> failedRoutes = ConcurrentHashMap.newKeySet();

    private volatile long lastActivity = System.nanoTime();

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeEvent || event instanceof CamelEvent.RouteStartingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.RouteStartingEvent starting) {
            watchPolls(starting.getRoute());
        } else if (event instanceof CamelEvent.ExchangeCreatedEvent
                || event instanceof CamelEvent.ExchangeCompletedEvent) {
            lastActivity = System.nanoTime();
        } else if (event instanceof CamelEvent.ExchangeFailedEvent failed) {
            lastActivity = System.nanoTime();
            String route = failed.getExchange().getFromRouteId();
            if (route != null) {
                failedRoutes.add(route);
            }
        }
    }

    /** The routes have started: idle time counts from now. */
    void started() {
        lastActivity = System.nanoTime();
    }

    /** Time since an exchange last started or ended (or the routes started). */
    Duration idle() {
        return Duration.ofNanos(System.nanoTime() - lastActivity);
    }

    /** Routes that repeat without end (a timer without repeatCount): the job does not finish by itself. */
    static Map<String, String> endless(CamelContext context) {
        Map<String, String> endless = new LinkedHashMap<>();
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof TimerConsumer timer && timer.getRepeatCount() <= 0) {
                endless.put(route.getRouteId(), "timer without repeatCount");
            }
        }
        return endless;
    }

    /** Whether some route has work that ends (a timer with repeatCount, a polling consumer). */
    static boolean hasWorkThatEnds(CamelContext context) {
        for (Route route : context.getRoutes()) {
            Consumer c = route.getConsumer();
            if (c instanceof TimerConsumer timer && timer.getRepeatCount() > 0 || c instanceof ScheduledPollConsumer) {
                return true;
            }
        }
        return false;
    }

    /** The started routes whose work is not done, with what they are waiting for. */
    Map<String, String> pending(CamelContext context) {
        Map<String, String> pending = new LinkedHashMap<>();
        for (Route route : context.getRoutes()) {
            String id = route.getRouteId();
            if (context.getRouteController().getRouteStatus(id) != ServiceStatus.Started) {
                continue;
            }
            int inflight = context.getInflightRepository().size(id);
            Consumer consumer = route.getConsumer();
            if (failedPolls.containsKey(id)) {
                continue;
            }
            if (consumer instanceof TimerConsumer timer) {
                if (timer.getRepeatCount() <= 0) {
                    pending.put(id, "a timer without repeatCount");
                } else if (timer.getCounter() < timer.getRepeatCount()) {
                    pending.put(id, "timer fired " + timer.getCounter() + " of " + timer.getRepeatCount() + " times");
                }
            } else if (consumer instanceof CatchingUp caughtUp) {
                if (!caughtUp.isCaughtUp() && !failedRoutes.contains(id)) {
                    pending.put(id, "not caught up");
                }
            } else if (consumer instanceof ScheduledPollConsumer) {
                if (!idlePolls.contains(id)) {
                    pending.put(id, "still finding work to poll");
                }
            }
            if (inflight > 0 && !pending.containsKey(id)) {
                pending.put(id, inflight + " exchange(s) in flight");
            }
        }
        return pending;
    }

    /** Routes whose last poll failed, with the failure (Camel logged it; the job reports it). */
    Map<String, String> failedPolls() {
        return Map.copyOf(failedPolls);
    }

    /** Nothing pending, nothing in flight, quiet for {@link #QUIET}. */
    boolean done(CamelContext context) {
        return pending(context).isEmpty()
                && context.getInflightRepository().size() == 0
                && idle().compareTo(QUIET) >= 0;
    }

    /** Sees every poll's count through the consumer's poll strategy: a poll that found nothing means caught up. */
    private void watchPolls(Route route) {
        if (route.getConsumer() instanceof ScheduledPollConsumer poll
                && !(poll.getPollStrategy() instanceof Watching)) {
            poll.setPollStrategy(new Watching(poll.getPollStrategy(), route.getRouteId()));
        }
    }

    private final class Watching implements PollingConsumerPollStrategy {
        private final PollingConsumerPollStrategy delegate;
        private final String routeId;

        Watching(PollingConsumerPollStrategy delegate, String routeId) {
            this.delegate = delegate;
            this.routeId = routeId;
        }

        @Override
        public boolean begin(Consumer consumer, Endpoint endpoint) {
            return delegate.begin(consumer, endpoint);
        }

        @Override
        public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
            failedPolls.remove(routeId);
            if (polledMessages == 0) {
                idlePolls.add(routeId);
            } else {
                idlePolls.remove(routeId);
            }
            delegate.commit(consumer, endpoint, polledMessages);
        }

        @Override
        public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause)
                throws Exception {
            idlePolls.remove(routeId);
            failedPolls.put(routeId, "its poll failed: " + cause.getMessage());
            return delegate.rollback(consumer, endpoint, retryCounter, cause);
        }
    }
}
