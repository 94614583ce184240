package io.camelpowerbi.app;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.master.MasterConsumer;
import org.apache.camel.component.master.MasterEndpoint;

/**
 * Says on the runner's output which {@code master:} routes this node runs: at start, that it is not the leader yet, then
 * each change (leader: its consumer polls; follower: it waits). With several runners side by side, this is how a user
 * sees which one polls. Reads {@link MasterConsumer#isMaster()} twice a second: a view listener would hold a reference
 * on the cluster view and keep its lock past the route's stop.
 */
final class RunnerClusterStatus implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "camel-powerbi-cluster-status");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Boolean> leader = new LinkedHashMap<>();

    private RunnerClusterStatus() {}

    /** Starts watching, or returns null when the context has no {@code master:} route. */
    static RunnerClusterStatus watch(CamelContext context, PrintStream out) {
        Map<Route, MasterConsumer> routes = new LinkedHashMap<>();
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof MasterConsumer master) {
                routes.put(route, master);
            }
        }
        if (routes.isEmpty()) {
            return null;
        }
        String node = context.hasServices(CamelClusterService.class).stream()
                .map(CamelClusterService::getId)
                .filter(id -> id != null && !id.isBlank())
                .findFirst()
                .orElse(context.getName());
        RunnerClusterStatus status = new RunnerClusterStatus();
        routes.forEach((route, master) -> {
            String namespace = ((MasterEndpoint) route.getEndpoint()).getNamespace();
            out.printf(
                    "[camel-powerbi] node %s: route %s runs on one node at a time (cluster namespace %s); this node"
                            + " is not the leader yet, its consumer waits%n",
                    node, route.getRouteId(), namespace);
            status.leader.put(route.getRouteId(), false);
        });
        status.timer.scheduleWithFixedDelay(
                () -> routes.forEach((route, master) -> {
                    boolean now = master.isMaster();
                    if (status.leader.put(route.getRouteId(), now) != now) {
                        out.printf(
                                now
                                        ? "[camel-powerbi] node %s: leader for route %s: its consumer polls%n"
                                        : "[camel-powerbi] node %s: no longer the leader for route %s: its consumer stopped%n",
                                node,
                                route.getRouteId());
                    }
                }),
                0,
                500,
                TimeUnit.MILLISECONDS);
        return status;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
