package io.camelpowerbi.client;

import io.camelpowerbi.InvalidOptionException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the bearer token may go: the configured API host (scheme, host and port), and the Power BI hosts of the same
 * cloud, given as entries: {@code .domain} (the domain and every host under it, e.g. {@code .analysis.windows.net} for
 * {@code wabi-west-europe-redirect.analysis.windows.net}), {@code host} (that host, any port) or {@code host:port}. Power
 * BI's cluster redirects ({@code preferClientRouting}) go to such hosts and fail with 401 without the token; export
 * files and import uploads redirect to storage hosts that must never get it, so nothing else does. Never over plain
 * HTTP unless the API itself is configured with {@code http://} (a local sandbox).
 */
public final class TokenHosts {

    /** The option that sets the entries, for messages. */
    public static final String OPTION = "tokenHosts";

    private record Entry(String host, boolean domain, int port) {

        boolean matches(String targetHost, int targetPort) {
            if (domain) {
                return targetHost.equals(host) || targetHost.endsWith("." + host);
            }
            return targetHost.equals(host) && (port < 0 || port == targetPort);
        }

        @Override
        public String toString() {
            return (domain ? "." : "") + host + (port < 0 ? "" : ":" + port);
        }
    }

    private final URI apiBase;
    private final List<Entry> entries;

    private TokenHosts(URI apiBase, List<Entry> entries) {
        this.apiBase = apiBase;
        this.entries = List.copyOf(entries);
    }

    /** Only the API host. */
    public static TokenHosts apiHostOnly(URI apiBase) {
        return of(apiBase, List.of());
    }

    /**
     * @param entries {@code .domain}, {@code host} or {@code host:port}, as described above
     * @throws InvalidOptionException naming {@link #OPTION} and the fix, for an entry that is none of these
     */
    public static TokenHosts of(URI apiBase, List<String> entries) {
        Objects.requireNonNull(apiBase, "apiBase");
        List<Entry> parsed = new ArrayList<>();
        for (String raw : entries) {
            String e = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            parsed.add(parse(e, raw));
        }
        return new TokenHosts(apiBase, parsed);
    }

    /** Splits a comma-separated option value. */
    public static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static Entry parse(String e, String raw) {
        String fix = "give .domain (e.g. .analysis.windows.net), a host name or host:port, comma separated; no scheme,"
                + " path or wildcard";
        if (e.contains("/") || e.contains("*") || e.contains("@") || e.contains(" ")) {
            throw new InvalidOptionException(OPTION, "'" + raw + "' is not a host entry", fix);
        }
        if (e.startsWith(".")) {
            String domain = e.substring(1);
            // a bare top-level domain (".net") would hand the token to the whole internet
            if (!domain.contains(".") || domain.startsWith(".") || domain.endsWith(".")) {
                throw new InvalidOptionException(
                        OPTION,
                        "'" + raw + "' is too wide a domain",
                        "name at least two labels," + " e.g. .analysis.windows.net; " + fix);
            }
            return new Entry(domain, true, -1);
        }
        String host = e;
        String port = null;
        if (e.startsWith("[")) { // an IPv6 literal, with or without a port
            int close = e.indexOf(']');
            if (close < 0 || close + 1 < e.length() && e.charAt(close + 1) != ':') {
                throw new InvalidOptionException(OPTION, "'" + raw + "' is not a host entry", fix);
            }
            host = e.substring(1, close);
            port = close + 1 < e.length() ? e.substring(close + 2) : null;
        } else if (e.indexOf(':') >= 0 && e.indexOf(':') == e.lastIndexOf(':')) {
            host = e.substring(0, e.indexOf(':'));
            port = e.substring(e.indexOf(':') + 1);
        }
        if (host.isEmpty()) {
            throw new InvalidOptionException(OPTION, "'" + raw + "' names no host", fix);
        }
        if (port == null) {
            return new Entry(host, false, -1);
        }
        try {
            int number = Integer.parseInt(port);
            if (number < 1 || number > 65535) {
                throw new NumberFormatException(port);
            }
            return new Entry(host, false, number);
        } catch (NumberFormatException nfe) {
            throw new InvalidOptionException(OPTION, "'" + raw + "' has no valid port", fix);
        }
    }

    private static String strip(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Whether a request to {@code target} may carry the bearer token. */
    public boolean allows(URI target) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        String host = target.getHost() == null ? null : strip(target.getHost().toLowerCase(Locale.ROOT));
        if (host == null) {
            return false;
        }
        int port = port(target);
        if (scheme.equals(apiBase.getScheme().toLowerCase(Locale.ROOT))
                && host.equals(strip(apiBase.getHost().toLowerCase(Locale.ROOT)))
                && port == port(apiBase)) {
            return true;
        }
        // never downgraded: plain HTTP only when the API itself is configured that way (a local sandbox)
        if (!scheme.equals("https") && !(scheme.equals("http") && "http".equalsIgnoreCase(apiBase.getScheme()))) {
            return false;
        }
        for (Entry e : entries) {
            if (e.matches(host, port)) {
                return true;
            }
        }
        return false;
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    @Override
    public String toString() {
        return apiBase.getHost() + (entries.isEmpty() ? "" : " and " + entries);
    }
}
