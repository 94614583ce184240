package io.camelpowerbi.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.auth.AccessToken;
import io.camelpowerbi.auth.TokenProvider;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.net.URIBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that talks HTTP to Power BI, and, one instance each with its own token audience, to the Fabric REST API
 * and OneLake ({@link Service}). The bearer token goes on requests to the configured API host and to the
 * Power BI hosts of {@link TokenHosts} (cluster redirects), never to another host a redirect leads to (storage); 429
 * waits {@code Retry-After} and resends; 5xx and broken connections back off with jitter and resend, as far as the
 * request's {@link Idempotency} allows (a request that creates something is resent only when it provably never reached
 * processing, and otherwise ends in {@link PowerBiOutcomeUnknownException}); a 401/403 {@code TokenExpired}
 * invalidates the token and replays the request once; every refusal becomes a {@link PowerBiException} with Power BI's
 * code, {@code RequestId} and a hint.
 */
public final class PowerBiClient {

    private static final Logger LOG = LoggerFactory.getLogger(PowerBiClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEPT_HEADERS = Set.of(
            "requestid",
            "x-ms-request-id",
            "location",
            "retry-after",
            "content-type",
            "content-length",
            "content-disposition",
            "home-cluster-uri",
            "x-powerbi-error-info",
            "x-ms-operation-id",
            "x-ms-error-code",
            "x-ms-public-api-error-code",
            "etag",
            "x-ms-content-length",
            "x-ms-resource-type");
    private static final int MAX_REDIRECTS = 5;

    private final CloseableHttpClient http;
    private final URI apiBase;
    private final TokenHosts tokenHosts;
    private final TokenProvider tokens;
    private final RetryPolicy retry;
    private final CallListener listener;
    private final Service service;
    private final Sleeper sleeper;

    /** @param apiBaseUrl e.g. {@code https://api.powerbi.com}; requests go to {@code {apiBaseUrl}/v1.0/myorg/...} */
    public PowerBiClient(CloseableHttpClient http, String apiBaseUrl, TokenProvider tokens, RetryPolicy retry) {
        this(http, apiBaseUrl, tokens, retry, CallListener.NONE);
    }

    /** @param listener told about retries and failures, for metrics; the token goes to the API host only */
    public PowerBiClient(
            CloseableHttpClient http,
            String apiBaseUrl,
            TokenProvider tokens,
            RetryPolicy retry,
            CallListener listener) {
        this(http, apiBaseUrl, List.of(), tokens, retry, listener);
    }

    /**
     * @param tokenHosts entries of {@link TokenHosts}: the Power BI hosts besides the API host that get the token
     * @throws InvalidOptionException for an entry that is not one, naming {@link TokenHosts#OPTION}
     */
    public PowerBiClient(
            CloseableHttpClient http,
            String apiBaseUrl,
            List<String> tokenHosts,
            TokenProvider tokens,
            RetryPolicy retry,
            CallListener listener) {
        this(Service.POWER_BI, http, apiBaseUrl, tokenHosts, tokens, retry, listener, Sleeper.SYSTEM);
    }

    /**
     * A client of {@code service} at {@code apiBaseUrl} (e.g. {@code https://api.fabric.microsoft.com}), with tokens of
     * that service's audience: they go to that host and {@code tokenHosts} only.
     */
    public PowerBiClient(
            Service service,
            CloseableHttpClient http,
            String apiBaseUrl,
            List<String> tokenHosts,
            TokenProvider tokens,
            RetryPolicy retry,
            CallListener listener) {
        this(service, http, apiBaseUrl, tokenHosts, tokens, retry, listener, Sleeper.SYSTEM);
    }

    /** @param sleeper what the retries wait with and their budget ({@link RetryPolicy#maxTotal()}) is measured on */
    public PowerBiClient(
            Service service,
            CloseableHttpClient http,
            String apiBaseUrl,
            List<String> tokenHosts,
            TokenProvider tokens,
            RetryPolicy retry,
            CallListener listener,
            Sleeper sleeper) {
        this.service = service;
        this.listener = listener;
        this.sleeper = sleeper;
        this.http = http;
        this.apiBase =
                URI.create(apiBaseUrl.endsWith("/") ? apiBaseUrl.substring(0, apiBaseUrl.length() - 1) : apiBaseUrl);
        this.tokenHosts = TokenHosts.of(apiBase, tokenHosts);
        this.tokens = tokens;
        this.retry = retry;
    }

    public String apiBaseUrl() {
        return apiBase.toString();
    }

    /** The service this client talks to. */
    public Service service() {
        return service;
    }

    public JsonNode getJson(String path, Map<String, String> query, String what) {
        return send(PowerBiRequest.get(path, query, what)).json();
    }

    /** Sends and reads the whole answer. */
    public PowerBiResponse send(PowerBiRequest request) {
        try (PowerBiDownload open = open(request)) {
            return new PowerBiResponse(
                    open.status(), open.headers(), open.body().readAllBytes());
        } catch (IOException e) {
            if (request.idempotency() == Idempotency.NOT_IDEMPOTENT) {
                // a 2xx had come: Power BI did it, and what it answered (the new id) is lost
                throw new PowerBiOutcomeUnknownException(
                        service, request.toString(), 0, "the answer broke off: " + e, null);
            }
            throw new PowerBiException(
                    service,
                    request.toString(),
                    0,
                    null,
                    "the answer broke off: " + e,
                    null,
                    "retry; if it persists check the network path to " + apiBase.getHost(),
                    -1);
        }
    }

    /**
     * Sends and hands back the answer's body as a stream, for downloads that must not sit in memory. The caller
     * closes it. Retries, token refresh and errors are handled as in {@link #send(PowerBiRequest)}.
     */
    public PowerBiDownload open(PowerBiRequest request) {
        URI uri = uri(request);
        long started = sleeper.nanoTime();
        boolean replayed = false;
        for (int attempt = 1; ; attempt++) {
            AccessToken token = tokens.getToken();
            Sent sent;
            try {
                sent = execute(request, uri, token);
            } catch (IOException e) {
                boolean neverSent = neverSent(e);
                if (!neverSent && request.idempotency() == Idempotency.NOT_IDEMPOTENT) {
                    throw lost(request, 0, e.toString(), null);
                }
                Duration wait = retry.backoff(attempt);
                if (canRetry(attempt, started, wait)) {
                    LOG.debug("{} failed ({}); retry {} in {} ms", request, e.toString(), attempt, wait.toMillis());
                    resending(request, neverSent, 0);
                    listener.retrying(0, wait);
                    pause(wait);
                    continue;
                }
                PowerBiException unreachable = new PowerBiException(
                        service,
                        request.toString(),
                        0,
                        null,
                        "cannot reach " + apiBase + ": " + e,
                        null,
                        "check the network path to " + apiBase.getHost()
                                + " (proxy, firewall, TLS trust) and apiBaseUrl",
                        -1);
                listener.failed(unreachable);
                throw unreachable;
            }
            ClassicHttpResponse response = sent.response();
            int status = response.getCode();
            Map<String, String> headers = keptHeaders(response);
            if (status < 300) {
                listener.succeeded();
                return new PowerBiDownload(status, headers, response);
            }
            byte[] bytes;
            try {
                bytes = readAndClose(response);
            } catch (IOException e) {
                bytes = new byte[0]; // the status and headers still tell what went wrong
            }
            ServiceError error = service.refusal(status, headers, parse(bytes), request.what());
            if (error.tokenExpired() && !replayed) {
                LOG.debug("{}: token expired at {}; refreshing and replaying once", request, service.displayName());
                tokens.invalidate(token);
                replayed = true;
                attempt--;
                continue;
            }
            Duration retryAfter = RetryAfter.parse(header(headers, "Retry-After"), sleeper.now());
            if (status == 429 || status == 500 || status == 502 || status == 503 || status == 504) {
                // refused before processing: throttled (429), or unavailable and saying when to come back (503 +
                // Retry-After)
                boolean notProcessed = status == 429 || status == 503 && retryAfter != null;
                if (!notProcessed && request.idempotency() == Idempotency.NOT_IDEMPOTENT) {
                    throw lost(
                            request, status, error.code() != null ? error.code() : error.detail(), requestId(headers));
                }
                Duration wait = retryAfter != null ? retryAfter : retry.backoff(attempt);
                boolean withinCap = retryAfter == null || wait.compareTo(retry.maxRetryAfter()) <= 0;
                if (withinCap && canRetry(attempt, started, wait)) {
                    LOG.info("{} answered {}; retry {} in {} ms", request, status, attempt, wait.toMillis());
                    resending(request, notProcessed, status);
                    listener.retrying(status, wait);
                    pause(wait);
                    continue;
                }
            }
            String hint = error.hint();
            if (status == 401 && !sent.withToken()) {
                hint = "Power BI redirected the call to " + sent.target().getHost()
                        + ", which is neither the API host nor one of "
                        + "the Power BI hosts the bearer token may go to (" + tokenHosts
                        + "), so it went without the token. "
                        + "If " + sent.target().getHost() + " is a Power BI host of your cloud, add it to "
                        + TokenHosts.OPTION;
            }
            PowerBiException refused = new PowerBiException(
                    service,
                    request.toString(),
                    status,
                    error.code(),
                    error.detail(),
                    requestId(headers),
                    hint,
                    RetryAfter.seconds(retryAfter));
            listener.failed(refused);
            throw refused;
        }
    }

    /**
     * The connection was never opened, so the request cannot have reached Power BI. Anything later (a reset after
     * sending, a read timeout, {@code NoHttpResponseException} on a connection the server had closed) leaves it open.
     */
    static boolean neverSent(IOException e) {
        return e instanceof ConnectException
                || e instanceof ConnectTimeoutException
                || e instanceof UnknownHostException
                || e instanceof NoRouteToHostException
                || e instanceof SSLHandshakeException
                || e instanceof ConnectionRequestTimeoutException;
    }

    private PowerBiOutcomeUnknownException lost(PowerBiRequest request, int status, String cause, String requestId) {
        PowerBiOutcomeUnknownException lost =
                new PowerBiOutcomeUnknownException(service, request.toString(), status, cause, requestId);
        LOG.warn(
                "{}: the answer was lost ({}); not sent again, as {} may have done it",
                request,
                status == 0 ? cause : "HTTP " + status,
                service.displayName());
        listener.failed(lost);
        return lost;
    }

    /** An at-least-once request sent again although Power BI may have processed it: said, and counted. */
    private void resending(PowerBiRequest request, boolean provablyNotProcessed, int status) {
        if (!provablyNotProcessed && request.idempotency() == Idempotency.AT_LEAST_ONCE) {
            LOG.warn(
                    "{}: sent again after {}, which leaves open whether Power BI processed it; it may arrive twice "
                            + "(at-least-once)",
                    request,
                    status == 0 ? "a broken connection" : "HTTP " + status);
            listener.resentAfterAmbiguousFailure(status);
        }
    }

    private boolean canRetry(int attempt, long startedNanos, Duration wait) {
        Duration elapsed = sleeper.since(startedNanos);
        return attempt < retry.maxAttempts() && elapsed.plus(wait).compareTo(retry.maxTotal()) <= 0;
    }

    /** The answer, and where the last hop went and whether it carried the token. */
    private record Sent(ClassicHttpResponse response, URI target, boolean withToken) {}

    /** Sends, following redirects by hand so the token is attached only where {@link TokenHosts} allows. */
    private Sent execute(PowerBiRequest request, URI uri, AccessToken token) throws IOException {
        URI target = uri;
        String method = request.method();
        for (int hop = 0; ; hop++) {
            HttpUriRequestBase http = new HttpUriRequestBase(method, target);
            service.decorate(http);
            boolean withToken = tokenHosts.allows(target);
            if (withToken) {
                http.setHeader("Authorization", "Bearer " + token.value());
            }
            http.setHeader("Accept", request.accept());
            if (request.body() != null && !"GET".equals(method)) {
                http.setEntity(request.body());
            }
            ClassicHttpResponse response = this.http.executeOpen(null, http, null);
            int status = response.getCode();
            Header location = response.getFirstHeader("Location");
            boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
            if (!redirect || location == null || hop >= MAX_REDIRECTS) {
                return new Sent(response, target, withToken);
            }
            readAndClose(response);
            target = target.resolve(location.getValue());
            if (status == 303) {
                method = "GET";
            }
            LOG.debug(
                    "{} redirected to host {}{}",
                    request,
                    target.getHost(),
                    tokenHosts.allows(target) ? "" : " (sent without token)");
        }
    }

    private URI uri(PowerBiRequest request) {
        String path = request.path();
        try {
            URIBuilder builder;
            if (isAbsolute(path)) {
                builder = new URIBuilder(path); // a URL Power BI handed out, followed as given
            } else {
                builder = new URIBuilder(apiBase.toString() + service.path(path));
            }
            if (request.query() != null) {
                request.query().forEach(builder::addParameter);
            }
            return builder.build();
        } catch (URISyntaxException e) {
            throw new InvalidOptionException(
                    "path",
                    "'" + path + "' is not a valid " + service.displayName() + " path (" + e.getReason() + ")",
                    "give the path with its special characters percent-encoded, e.g. /groups",
                    e);
        }
    }

    static boolean isAbsolute(String path) {
        return path.regionMatches(true, 0, "https://", 0, 8) || path.regionMatches(true, 0, "http://", 0, 7);
    }

    private static Map<String, String> keptHeaders(ClassicHttpResponse response) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : response.getHeaders()) {
            if (KEPT_HEADERS.contains(h.getName().toLowerCase(Locale.ROOT))) {
                headers.put(h.getName(), h.getValue());
            }
        }
        return headers;
    }

    /** Power BI's {@code RequestId}, or storage's {@code x-ms-request-id}. */
    private static String requestId(Map<String, String> headers) {
        String id = header(headers, "RequestId");
        return id != null ? id : header(headers, "x-ms-request-id");
    }

    static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static byte[] readAndClose(ClassicHttpResponse response) throws IOException {
        try (response) {
            return response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private void pause(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a call", e);
        }
    }
}
