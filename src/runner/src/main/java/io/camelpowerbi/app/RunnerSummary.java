package io.camelpowerbi.app;

import io.camelpowerbi.component.PowerBiConstants;
import io.camelpowerbi.operations.RefreshOutcome;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.SqlConstants;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * What the job did, watched from Camel's events so the routes need no runner-specific steps, whatever the routes are:
 * exchanges completed and failed per route, rows pushed and rejected (sends to {@code powerbi:pushRows}), refreshes
 * waited for ({@code powerbi:refreshDataset}), rows written by {@code sql:} sends, and files written ({@code file:}).
 */
public final class RunnerSummary extends EventNotifierSupport {

    /** A refresh the routes waited for. */
    public record Refresh(String status, String refreshId, String startTime, String endTime) {}

    /** Exchanges of one route. */
    public record RouteCount(long completed, long failed) {}

    private final PrintStream out;
    private final Instant started = Instant.now();
    private final Map<String, long[]> routes = new LinkedHashMap<>();
    private final List<Path> files = Collections.synchronizedList(new ArrayList<>());
    private final List<Refresh> refreshes = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> unfinished = Collections.synchronizedMap(new LinkedHashMap<>());
    private long rowsPushed;
    private long rowsRejected;
    private int pushes;
    private long databaseRows;
    private volatile String database;
    private volatile String stopReason;

    RunnerSummary(PrintStream out) {
        this.out = out;
    }

    /** The database the runner opened (its URL without a password), named beside the rows written. */
    void database(String url) {
        this.database = url;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeSentEvent sent) {
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
        } else if (uri.startsWith("sql:")) {
            Integer written = exchange.getMessage().getHeader(SqlConstants.SQL_UPDATE_COUNT, Integer.class);
            synchronized (this) {
                databaseRows += written == null ? 0 : written;
            }
        } else if (operation(uri, "pushRows")) {
            long sentRows = exchange.getMessage().getHeader(PowerBiConstants.ROWS_SENT, 0L, Long.class);
            long rejected = exchange.getMessage().getHeader(PowerBiConstants.REJECTED_COUNT, 0L, Long.class);
            synchronized (this) {
                rowsPushed += sentRows;
                rowsRejected += rejected;
                pushes++;
            }
            out.printf(
                    "[camel-powerbi] pushed %,d rows (%,d rejected) from %s in %.1f s%n",
                    sentRows,
                    rejected,
                    exchange.getMessage().getHeader(Exchange.FILE_NAME, "the message", String.class),
                    millis / 1000.0);
        } else if (operation(uri, "refreshDataset")) {
            Object body = exchange.getMessage().getBody();
            Refresh refresh = body instanceof RefreshOutcome o
                    ? new Refresh(o.status(), o.refreshId(), o.startTime(), o.endTime())
                    : new Refresh(
                            exchange.getMessage().getHeader(PowerBiConstants.REFRESH_STATUS, String.class),
                            exchange.getMessage().getHeader(PowerBiConstants.REFRESH_ID, String.class),
                            null,
                            null);
            refreshes.add(refresh);
            out.println("[camel-powerbi] refresh " + refresh.refreshId() + ": " + refresh.status());
        }
    }

    private static boolean operation(String uri, String operation) {
        return uri.startsWith("powerbi://" + operation) || uri.startsWith("powerbi:" + operation);
    }

    private void done(Exchange exchange, String failure) {
        String route = exchange.getFromRouteId();
        if (route == null) {
            return;
        }
        synchronized (routes) {
            routes.computeIfAbsent(route, r -> new long[2])[failure == null ? 0 : 1]++;
        }
        if (failure != null) {
            failures.add(route + ": " + failure);
            out.println("[camel-powerbi] route " + route + " failed: " + failure);
        }
    }

    /** A failure seen elsewhere than in an exchange (a poll that failed). */
    void failure(String route, String failure) {
        failures.add(route + ": " + failure);
    }

    /** Why the job stopped; the first reason given wins. */
    void stopReason(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** Work the routes had not finished when the job stopped (a bound ended it). */
    void unfinished(Map<String, String> pending) {
        unfinished.putAll(pending);
    }

    public synchronized long rowsPushed() {
        return rowsPushed;
    }

    public synchronized long rowsRejected() {
        return rowsRejected;
    }

    /** Rows inserted or updated by {@code sql:} sends (an insert that skipped an existing row counts 0). */
    public synchronized long databaseRows() {
        return databaseRows;
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

    /** Exchanges completed and failed, per route that had any, in the order they first ended. */
    public Map<String, RouteCount> routes() {
        Map<String, RouteCount> copy = new LinkedHashMap<>();
        synchronized (routes) {
            routes.forEach((id, n) -> copy.put(id, new RouteCount(n[0], n[1])));
        }
        return copy;
    }

    public Map<String, String> unfinished() {
        synchronized (unfinished) {
            return Map.copyOf(unfinished);
        }
    }

    public String stopReason() {
        return stopReason;
    }

    /** Nothing failed, no work left unfinished, every refresh waited for completed. */
    public boolean succeeded() {
        return failures.isEmpty()
                && unfinished().isEmpty()
                && refreshes().stream().allMatch(r -> "Completed".equals(r.status()));
    }

    void print(PrintStream p) {
        p.println();
        p.println("Summary (" + Duration.between(started, Instant.now()).toMillis() / 1000.0 + " s, "
                + (stopReason == null ? "stopped" : stopReason) + ")");
        Map<String, RouteCount> counts = routes();
        int width = counts.keySet().stream().mapToInt(String::length).max().orElse(0);
        p.println("  routes:         " + (counts.isEmpty() ? "no exchange ended" : ""));
        counts.forEach((id, n) -> p.printf(
                "    %-" + width + "s  %,d completed%s%n",
                id,
                n.completed(),
                n.failed() > 0 ? String.format(", %,d failed", n.failed()) : ""));
        synchronized (this) {
            if (pushes > 0) {
                p.printf("  rows pushed:    %,d (%d push%s)%n", rowsPushed, pushes, pushes == 1 ? "" : "es");
                p.printf("  rows rejected:  %,d%n", rowsRejected);
            }
            if (database != null || databaseRows > 0) {
                p.printf(
                        "  database rows:  %,d written%s%n",
                        databaseRows, database == null ? "" : " (" + database + ")");
            }
        }
        for (Refresh refresh : refreshes()) {
            p.println("  refresh:        " + refresh.status() + " (id " + refresh.refreshId()
                    + (refresh.startTime() == null ? "" : ", " + refresh.startTime() + " to " + refresh.endTime())
                    + ")");
        }
        List<Path> f = files();
        p.println("  files written:  " + (f.isEmpty() ? "none" : ""));
        for (Path file : f) {
            p.println("    " + file);
        }
        for (String failure : failures()) {
            p.println("  FAILED:         " + failure);
        }
        unfinished().forEach((route, why) -> p.println("  not finished:   " + route + " (" + why + ")"));
        p.println("  result:         " + (succeeded() ? "OK" : "FAILED"));
    }
}
