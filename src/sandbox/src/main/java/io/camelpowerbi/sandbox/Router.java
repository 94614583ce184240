package io.camelpowerbi.sandbox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Method + path pattern to handler. Patterns are slash-separated segments; {@code {name}} matches one segment and
 * binds it (percent-decoded). Literal segments compare case-insensitively, as Entra and Power BI paths do. When several
 * patterns match, the one with more literal segments wins, so {@code /common/discovery/instance} beats
 * {@code /{tenant}/discovery/keys}-like patterns regardless of registration order.
 */
public final class Router {

    /** A registered route. */
    public record Route(String method, String pattern, List<String> segments, RouteHandler handler, int literals) {}

    /** The result of matching a request. */
    public record Match(Route route, Map<String, String> params) {}

    // replaced as a whole on each add, so a request never sees a half-sorted list
    private volatile List<Route> routes = List.of();

    public Router add(String method, String pattern, RouteHandler handler) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("route pattern must start with '/': " + pattern);
        }
        List<String> segments = split(pattern);
        int literals = (int) segments.stream().filter(s -> !isParam(s)).count();
        synchronized (this) {
            List<Route> sorted = new ArrayList<>(routes);
            sorted.add(new Route(method.toUpperCase(Locale.ROOT), pattern, segments, handler, literals));
            // the most specific first; the stable sort keeps registration order among equals
            sorted.sort(Comparator.comparingInt(Route::literals).reversed());
            routes = List.copyOf(sorted);
        }
        return this;
    }

    public Router get(String pattern, RouteHandler handler) {
        return add("GET", pattern, handler);
    }

    public Router post(String pattern, RouteHandler handler) {
        return add("POST", pattern, handler);
    }

    public Router put(String pattern, RouteHandler handler) {
        return add("PUT", pattern, handler);
    }

    public Router delete(String pattern, RouteHandler handler) {
        return add("DELETE", pattern, handler);
    }

    public Router patch(String pattern, RouteHandler handler) {
        return add("PATCH", pattern, handler);
    }

    /** The route for this method and raw path, or null. */
    public Match match(String method, String rawPath) {
        List<String> path = split(rawPath);
        for (Route route : routes) {
            if (route.method().equalsIgnoreCase(method)) {
                Map<String, String> params = bind(route, path);
                if (params != null) {
                    return new Match(route, params);
                }
            }
        }
        return null;
    }

    /** True if some route has this path under another method (405 rather than 404). */
    public boolean pathExists(String rawPath) {
        List<String> path = split(rawPath);
        return routes.stream().anyMatch(r -> bind(r, path) != null);
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    private static Map<String, String> bind(Route route, List<String> path) {
        if (route.segments().size() != path.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < path.size(); i++) {
            String expected = route.segments().get(i);
            String actual = path.get(i);
            if (isParam(expected)) {
                if (actual.isEmpty()) {
                    return null;
                }
                params.put(expected.substring(1, expected.length() - 1), SandboxExchange.decode(actual));
            } else if (!expected.equalsIgnoreCase(actual)) {
                return null;
            }
        }
        return params;
    }

    private static boolean isParam(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    private static List<String> split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.isEmpty()) {
            return List.of();
        }
        // -1 keeps a trailing empty segment, so "/a/" does not match "/a"
        return List.of(p.split("/", -1));
    }
}
