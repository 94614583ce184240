package io.camelpowerbi.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Power BI calls against a test sandbox with the dev app's token: paths are relative to {@code /v1.0/myorg}, bodies
 * JSON unless said otherwise. Redirects are not followed, so tests see 307s.
 */
final class PowerBiCalls {

    /** A response with its raw bytes. */
    record Response(int status, java.net.http.HttpHeaders headers, byte[] bytes) {
        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return TestHttp.JSON.readTree(bytes);
            } catch (IOException e) {
                throw new AssertionError("response body is not JSON: " + body(), e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + (bytes.length > 2000 ? body().substring(0, 2000) + "..." : body());
        }
    }

    static final String SALES = "/groups/" + Sandbox.WORKSPACE_SALES_ANALYTICS;
    static final String FINANCE = "/groups/" + Sandbox.WORKSPACE_FINANCE;

    final Sandbox sandbox;
    final HttpClient client;
    final String token;

    PowerBiCalls(Sandbox sandbox) {
        this.sandbox = sandbox;
        this.client = HttpClient.newBuilder()
                .sslContext(sandbox.sslContextTrustingSandbox())
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.token = SandboxTestSupport.devToken(sandbox, new TestHttp(sandbox));
    }

    String url(String path) {
        return path.startsWith("http") ? path : sandbox.apiBaseUrl() + PowerBiApi.BASE_PATH + path;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
    }

    Response get(String path) {
        return send(request(path).GET().build());
    }

    Response post(String path, String json) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    Response put(String path, String json) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    Response delete(String path) {
        return send(request(path).DELETE().build());
    }

    CompletableFuture<Response> postAsync(String path, String json) {
        return client.sendAsync(
                        request(path)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(r -> new Response(r.statusCode(), r.headers(), r.body()));
    }

    /** A request without the bearer token (blob URLs, /_sandbox). */
    Response sendPlain(String method, String url, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b.build());
    }

    Response control(String method, String path, String json) {
        return sendPlain(
                method,
                sandbox.baseUrl() + path,
                json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                json == null ? Map.of() : Map.of("Content-Type", "application/json"));
    }

    Response send(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Power BI's common headers are on every answer. */
    static void assertPowerBiHeaders(Response r) {
        assertNotNull(r.header("RequestId"), "RequestId header: " + r.headers().map());
        assertEquals(SandboxConfig.DEFAULT_HOME_CLUSTER_URI, r.header("home-cluster-uri"));
    }

    /** {@code {"error":{"code":code,...}}} with the status. */
    static JsonNode assertError(Response r, int status, String code) {
        assertEquals(status, r.status(), r.toString());
        JsonNode json = r.json();
        assertEquals(code, json.path("error").path("code").asText(), r.toString());
        assertPowerBiHeaders(r);
        return json;
    }

    /** The 429 of pbimonitor #58: Retry-After N and the message naming N. */
    static long assertThrottled(Response r) {
        assertEquals(429, r.status(), r.toString());
        String retryAfter = r.header("Retry-After");
        assertNotNull(retryAfter, "Retry-After");
        long seconds = Long.parseLong(retryAfter);
        assertTrue(seconds >= 1, retryAfter);
        assertEquals(
                "You have exceeded the amount of requests allowed in the current time frame and further requests "
                        + "will fail. Retry in " + seconds + " seconds.",
                r.json().path("message").asText());
        assertPowerBiHeaders(r);
        return seconds;
    }

    /** {@code {"rows":[...]}} of {@code n} rows made by {@code row.apply(i)} (JSON object text). */
    static String rows(int from, int n, java.util.function.IntFunction<String> row) {
        StringBuilder sb = new StringBuilder("{\"rows\":[");
        for (int i = from; i < from + n; i++) {
            if (i > from) {
                sb.append(',');
            }
            sb.append(row.apply(i));
        }
        return sb.append("]}").toString();
    }
}
