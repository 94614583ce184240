package io.camelpowerbi.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.component.PowerBiConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.sql.SqlConstants;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.ScheduledPollConsumer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the job did, watched from Camel's events so the routes need no runner-specific steps: rows pushed and rejected
 * (sends to {@code powerbi:pushRows}), files written (sends to {@code file:}), refresh outcomes (exchanges of the
 * route consuming the outcomes queue), events stored (rows inserted by the {@code sql:} sends of the events route),
 * and which of the awaited routes have finished. When all have, the job is idle.
 *
 * <p>A route finishes with its first completed exchange, except a route whose polling consumer sends an empty message
 * when idle ({@code sendEmptyMessageWhenIdle}): it finishes when it has caught up, with its first empty message.
 */
public final class RunnerSummary extends EventNotifierSupport {

    /** A refresh outcome as read from the outcomes queue. */
    public record Refresh(String status, String refreshId, String startTime, String endTime) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> awaited;
    private final String outcomesRoute;
    private final String ordersRoute;
    private final PrintStream out;
    private final Instant started = Instant.now();
    private final Map<String, Boolean> finished = new LinkedHashMap<>();
    private final List<Path> files = Collections.synchronizedList(new ArrayList<>());
    private final List<Refresh> refreshes = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private long rowsPushed;
    private long rowsRejected;
    private int pushes;
    private long eventsStored;
    private volatile String eventsRoute;
    private volatile String eventsWhere;
    /** Exchanges that are the idle message of a polling consumer (created with no body). */
    private final Set<String> idleMessages = Collections.synchronizedSet(new LinkedHashSet<>());
    private volatile Consumer<String> onRouteFinished = id -> { };
    private volatile Runnable onIdle = () -> { };
    private volatile String stopReason;

    RunnerSummary(Set<String> awaited, String ordersRoute, String outcomesRoute, PrintStream out) {
        this.awaited = new LinkedHashSet<>(awaited);
        this.ordersRoute = ordersRoute;
        this.outcomesRoute = outcomesRoute;
        this.out = out;
    }

    void onRouteFinished(Consumer<String> action) {
        this.onRouteFinished = action;
    }

    void onIdle(Runnable action) {
        this.onIdle = action;
    }

    /** Counts the rows inserted by the {@code sql:} sends of {@code route}, stored in {@code where}. */
    void eventsStoredBy(String route, String where) {
        this.eventsRoute = route;
        this.eventsWhere = where;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeCreatedEvent created) {
            Exchange exchange = created.getExchange();
            if (exchange.getMessage().getBody() == null && sendsIdleMessages(exchange)) {
                idleMessages.add(exchange.getExchangeId());
            }
        } else if (event instanceof CamelEvent.ExchangeSentEvent sent) {
            sent(sent.getExchange(), sent.getEndpoint().getEndpointUri(), sent.getTimeTaken());
        } else if (event instanceof CamelEvent.ExchangeCompletedEvent done) {
            done(done.getExchange(), null);
        } else if (event instanceof CamelEvent.ExchangeFailedEvent failed) {
            Exception e = failed.getExchange().getException();
            done(failed.getExchange(), e == null ? "failed" : e.getMessage());
        }
    }

    private void sent(Exchange exchange, String uri, long millis) {
        if (exchange.getException() != null) {
            return;
        }
        if (uri.startsWith("file:")) {
            String produced = exchange.getMessage().getHeader(Exchange.FILE_NAME_PRODUCED, String.class);
            if (produced != null) {
                Path file = Path.of(produced);
                boolean fresh;
                synchronized (files) {
                    // a file appended to by every exchange (one line per event) is reported once
                    fresh = !files.contains(file) && files.add(file);
                }
                if (fresh) {
                    out.println("[camel-powerbi] wrote " + file);
                }
            }
        } else if (uri.startsWith("sql:") && eventsRoute != null && eventsRoute.equals(exchange.getFromRouteId())) {
            Integer inserted = exchange.getMessage().getHeader(SqlConstants.SQL_UPDATE_COUNT, Integer.class);
            synchronized (this) {
                eventsStored += inserted == null ? 0 : inserted;
            }
        } else if (uri.startsWith("powerbi://pushRows") || uri.startsWith("powerbi:pushRows")) {
            long sentRows = exchange.getMessage().getHeader(PowerBiConstants.ROWS_SENT, 0L, Long.class);
            long rejected = exchange.getMessage().getHeader(PowerBiConstants.REJECTED_COUNT, 0L, Long.class);
            synchronized (this) {
                rowsPushed += sentRows;
                rowsRejected += rejected;
                pushes++;
            }
            out.printf("[camel-powerbi] pushed %,d rows (%,d rejected) from %s in %.1f s%n", sentRows, rejected,
                    exchange.getMessage().getHeader(Exchange.FILE_NAME, "the message", String.class), millis / 1000.0);
        } else if (uri.startsWith("powerbi:") || uri.startsWith("powerbi://")) {
            out.println("[camel-powerbi] " + uri.replaceFirst("^powerbi:(//)?", "").replaceFirst("\\?.*", "")
                    + " done in " + millis + " ms");
        }
    }

    private void done(Exchange exchange, String failure) {
        String route = exchange.getFromRouteId();
        if (route == null) {
            return;
        }
        if (failure != null) {
            failures.add(route + ": " + failure);
            out.println("[camel-powerbi] route " + route + " failed: " + failure);
        }
        if (failure == null && route.equals(outcomesRoute)) {
            refreshes.add(parseRefresh(exchange.getMessage().getBody(String.class)));
            out.println("[camel-powerbi] refresh outcome received: " + refreshes.get(refreshes.size() - 1));
        }
        if (sendsIdleMessages(exchange) && !idleMessages.remove(exchange.getExchangeId())) {
            return; // an event, not the "caught up" message
        }
        boolean first;
        boolean idle;
        synchronized (this) {
            first = finished.putIfAbsent(route, Boolean.TRUE) == null;
            idle = finished.keySet().containsAll(awaited);
        }
        if (first && failure == null && route.equals(eventsRoute)) {
            out.printf("[camel-powerbi] %s caught up: %,d events stored%n", route, eventsStored());
        }
        if (first) {
            onRouteFinished.accept(route);
        }
        if (idle && stopReason == null) {
            stopReason = "all sample work done";
            onIdle.run();
        }
    }

    private static boolean sendsIdleMessages(Exchange exchange) {
        String id = exchange.getFromRouteId();
        Route route = id == null ? null : exchange.getContext().getRoute(id);
        return route != null && route.getConsumer() instanceof ScheduledPollConsumer poll
                && poll.isSendEmptyMessageWhenIdle();
    }

    static Refresh parseRefresh(String json) {
        try {
            JsonNode n = JSON.readTree(json == null ? "{}" : json);
            return new Refresh(n.path("status").asText(null), n.path("refreshId").asText(null),
                    n.path("startTime").asText(null), n.path("endTime").asText(null));
        } catch (Exception e) {
            return new Refresh("unreadable: " + e.getMessage(), null, null, null);
        }
    }

    void stopReason(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    public synchronized long rowsPushed() {
        return rowsPushed;
    }

    public synchronized long rowsRejected() {
        return rowsRejected;
    }

    /** Rows inserted by the events route (events already stored are skipped by the insert, not counted). */
    public synchronized long eventsStored() {
        return eventsStored;
    }

    public List<Path> files() {
        return List.copyOf(files);
    }

    public List<Refresh> refreshes() {
        return List.copyOf(refreshes);
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Awaited routes that never finished an exchange. */
    public synchronized Set<String> pending() {
        Set<String> pending = new LinkedHashSet<>(awaited);
        pending.removeAll(finished.keySet());
        return pending;
    }

    public String stopReason() {
        return stopReason;
    }

    /** Everything awaited finished, nothing failed, every refresh completed. */
    public boolean succeeded() {
        return failures.isEmpty() && pending().isEmpty()
                && refreshes().stream().allMatch(r -> "Completed".equals(r.status()));
    }

    void print(PrintStream p) {
        p.println();
        p.println("Summary (" + Duration.between(started, Instant.now()).toMillis() / 1000.0 + " s, "
                + (stopReason == null ? "stopped" : stopReason) + ")");
        synchronized (this) {
            p.printf("  rows pushed:    %,d (%d file(s))%n", rowsPushed, pushes);
            p.printf("  rows rejected:  %,d%n", rowsRejected);
        }
        List<Refresh> r = refreshes();
        if (r.isEmpty()) {
            p.println("  refresh:        none");
        }
        for (Refresh refresh : r) {
            p.println("  refresh:        " + refresh.status() + " (id " + refresh.refreshId() + ", "
                    + refresh.startTime() + " to " + refresh.endTime() + ")");
        }
        if (eventsWhere != null) {
            p.printf("  events stored:  %,d (%s)%n", eventsStored(), eventsWhere);
        }
        List<Path> f = files();
        p.println("  files written:  " + (f.isEmpty() ? "none" : ""));
        for (Path file : f) {
            p.println("    " + file);
        }
        for (String failure : failures()) {
            p.println("  FAILED:         " + failure);
        }
        Set<String> pending = pending();
        if (!pending.isEmpty()) {
            p.println("  not finished:   " + String.join(", ", pending));
        }
        p.println("  result:         " + (succeeded() ? "OK" : "FAILED"));
    }
}
