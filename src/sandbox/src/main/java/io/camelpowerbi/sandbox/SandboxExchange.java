package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.LoggerFactory;

/**
 * One HTTP request and its response, with the helpers every endpoint needs: path parameters, decoded query and form
 * parameters, the Host the client addressed, a request id, and JSON/text responses.
 */
public final class SandboxExchange {

    /** Larger bodies are refused; nothing the sandbox serves legitimately needs more (push rows: 10,000 rows). */
    static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    private final HttpExchange exchange;
    private final String scheme;
    private final SandboxClock clock;
    private final String requestId = UUID.randomUUID().toString();
    private final String correlationId;
    private Map<String, String> pathParams = Map.of();
    private Map<String, List<String>> query;
    private Map<String, List<String>> form;
    private byte[] body;
    private boolean bodyStreamed;
    private boolean responded;
    /** The handler's answer goes nowhere: a fault replaces it once the request was served. */
    private boolean discarding;

    private int status;
    private java.util.function.IntConsumer beforeResponse;
    private List<SandboxObserver> observers = List.of();
    private String faultRuleId;
    private String service = ObservedExchange.POWER_BI;

    SandboxExchange(HttpExchange exchange, String scheme, SandboxClock clock) {
        this.exchange = exchange;
        this.scheme = scheme;
        this.clock = clock;
        String sent = exchange.getRequestHeaders().getFirst("client-request-id");
        this.correlationId = sent != null && !sent.isBlank() && sent.length() <= 128
                ? sent.trim()
                : UUID.randomUUID().toString();
    }

    public String method() {
        return exchange.getRequestMethod();
    }

    /** The raw (still percent-encoded) path, without the query. */
    public String path() {
        URI uri = exchange.getRequestURI();
        if (uri.getScheme() == null && uri.getRawAuthority() != null) {
            // a request target starting with "//" parses as an authority, but it is a path
            return "//" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
        }
        return uri.getRawPath();
    }

    public URI requestUri() {
        return exchange.getRequestURI();
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return scheme;
    }

    /**
     * The authority the client addressed (the {@code Host} header, e.g. {@code 127.0.0.1:8443}); falls back to the
     * local address for HTTP/1.0 clients that send none.
     */
    public String host() {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host != null && !host.isBlank()) {
            return host.trim();
        }
        var local = exchange.getLocalAddress();
        String address = local.getAddress().getHostAddress();
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + local.getPort();
    }

    /** {@code scheme://host} as the client addressed the sandbox. */
    public String origin() {
        return scheme + "://" + host();
    }

    /** A fresh id for this request (Entra's Trace ID, Power BI's RequestId). */
    public String requestId() {
        return requestId;
    }

    /** The request's {@code client-request-id}, or a fresh id when none was sent (Entra's Correlation ID). */
    public String correlationId() {
        return correlationId;
    }

    public Instant now() {
        return clock.now();
    }

    public SandboxClock clock() {
        return clock;
    }

    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** A path parameter of the matched route pattern, percent-decoded. */
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = params;
    }

    /** First value of a query parameter, decoded; null when absent. */
    public String query(String name) {
        List<String> values = queryParams().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public Map<String, List<String>> queryParams() {
        if (query == null) {
            query = parseUrlEncoded(exchange.getRequestURI().getRawQuery());
        }
        return query;
    }

    public byte[] body() throws IOException {
        if (body == null) {
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                body = new byte[0];
                throw SandboxHttpException.of(
                        413, "RequestEntityTooLarge", "request body larger than " + MAX_BODY_BYTES + " bytes");
            }
        }
        return body;
    }

    /**
     * The request body as a stream, for bodies too large to hold (uploads, multipart imports); {@link #body()} is empty
     * afterwards.
     */
    public InputStream bodyStream() {
        if (body != null) {
            return new java.io.ByteArrayInputStream(body);
        }
        body = new byte[0];
        bodyStreamed = true;
        return exchange.getRequestBody();
    }

    /** The address the request came from. */
    public java.net.InetSocketAddress remoteAddress() {
        return exchange.getRemoteAddress();
    }

    /** The form parameters of an {@code application/x-www-form-urlencoded} body (first value of each). */
    public Map<String, String> form() throws IOException {
        Map<String, String> first = new LinkedHashMap<>();
        formAll().forEach((k, v) -> first.put(k, v.isEmpty() ? "" : v.get(0)));
        return first;
    }

    public Map<String, List<String>> formAll() throws IOException {
        if (form == null) {
            String contentType = Optional.ofNullable(header("Content-Type")).orElse("");
            form = contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                    ? parseUrlEncoded(new String(body(), StandardCharsets.UTF_8))
                    : Map.of();
        }
        return form;
    }

    /** The body parsed as JSON; null for an empty body. */
    public JsonNode jsonBody() throws IOException {
        byte[] bytes = body();
        if (bytes.length == 0) {
            return null;
        }
        return Json.MAPPER.readTree(bytes);
    }

    public void setResponseHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    public void addResponseHeader(String name, String value) {
        exchange.getResponseHeaders().add(name, value);
    }

    public String responseHeader(String name) {
        return exchange.getResponseHeaders().getFirst(name);
    }

    public void sendJson(int statusCode, Object json) throws IOException {
        byte[] bytes;
        try {
            bytes = json instanceof JsonNode node
                    ? Json.MAPPER.writeValueAsBytes(node)
                    : Json.MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IOException("cannot serialise response", e);
        }
        send(statusCode, "application/json; charset=utf-8", bytes);
    }

    public void sendText(int statusCode, String contentType, String text) throws IOException {
        send(statusCode, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a status with an empty body: {@code Content-Length: 0} (none for 204/304). The JDK server takes a length
     * of 0 for "chunked", so the empty body is announced with -1.
     */
    public void sendEmpty(int statusCode) throws IOException {
        markResponded(statusCode, new byte[0]);
        if (discarding) {
            return;
        }
        exchange.sendResponseHeaders(statusCode, -1);
        exchange.getResponseBody().close();
    }

    public void send(int statusCode, String contentType, byte[] bytes) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        markResponded(statusCode, bytes);
        if (discarding) {
            return;
        }
        if (bytes.length == 0) {
            exchange.sendResponseHeaders(statusCode, -1);
            exchange.getResponseBody().close();
            return;
        }
        exchange.sendResponseHeaders(statusCode, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Closes the connection without any response (a fault: the client sees a reset or an unexpected EOF). */
    public void dropConnection() {
        markResponded(0, null);
        if (!discarding) {
            exchange.close();
        }
    }

    /**
     * From now on the handler's answer is not sent (it still counts as given: what the handler changed is in place, its
     * {@link #beforeResponse} hook runs and observers see it), until {@link #replaceAnswer()}.
     */
    void discardAnswer() {
        discarding = true;
    }

    /** Forgets the discarded answer and its headers, so another one can be sent in its place. */
    void replaceAnswer() {
        discarding = false;
        responded = false;
        status = 0;
        beforeResponse = null;
        exchange.getResponseHeaders().clear();
    }

    private void markResponded(int statusCode, byte[] responseBody) {
        if (responded) {
            throw new IllegalStateException("response already sent");
        }
        responded = true;
        status = statusCode;
        if (statusCode != 0) {
            consumeBody();
            if (beforeResponse != null) {
                beforeResponse.accept(statusCode);
            }
        }
        if (!observers.isEmpty()) {
            tellObservers(statusCode, responseBody);
        }
    }

    /** Observers are told before the answer is written, so what they record is in place when the client has it. */
    private void tellObservers(int statusCode, byte[] responseBody) {
        ObservedExchange observed = new ObservedExchange(
                method(),
                path(),
                exchange.getRequestURI().getRawQuery(),
                copy(exchange.getRequestHeaders()),
                bodyStreamed ? null : body,
                statusCode,
                copy(exchange.getResponseHeaders()),
                responseBody == null ? new byte[0] : responseBody,
                faultRuleId,
                service);
        for (SandboxObserver observer : observers) {
            try {
                observer.exchanged(observed);
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(SandboxObserver.class)
                        .warn(
                                "observer {} failed on {}: {}",
                                observer.getClass().getName(),
                                observed,
                                e.toString());
            }
        }
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(copy);
    }

    void observers(List<SandboxObserver> value) {
        this.observers = value;
    }

    /** Which service's listener this exchange came in on ({@link ObservedExchange#service()}). */
    void service(String value) {
        this.service = value;
    }

    /** Marks this exchange as answered by a fault rule (for observers). */
    void faultRule(String id) {
        this.faultRuleId = id;
    }

    /**
     * Runs {@code hook} with the status just before the answer is written, so what a request changed is in place
     * before the client can see the answer and ask again.
     */
    public void beforeResponse(java.util.function.IntConsumer hook) {
        this.beforeResponse = hook;
    }

    /**
     * Reads the request body before answering. The JDK server otherwise drains it after the response, and over
     * HTTPS that drain can block until the client gives up, stalling the next request on the connection (seen with
     * fault answers sent before the body was read).
     */
    private void consumeBody() {
        if (body == null) {
            try {
                body();
            } catch (IOException e) {
                body = new byte[0];
            }
        }
    }

    public boolean responded() {
        return responded;
    }

    /** The status sent (0 for a dropped connection), for logging. */
    int status() {
        return status;
    }

    HttpExchange raw() {
        return exchange;
    }

    static Map<String, List<String>> parseUrlEncoded(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            result.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(value);
        }
        result.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(result);
    }

    static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // a stray '%' is kept literally rather than failing the whole request
            return s;
        }
    }
}
