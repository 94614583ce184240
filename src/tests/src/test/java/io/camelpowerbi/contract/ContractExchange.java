package io.camelpowerbi.contract;

import io.camelpowerbi.client.HttpClientFactory;
import io.camelpowerbi.sandbox.ObservedExchange;
import java.util.List;
import java.util.Map;

/**
 * One HTTP exchange seen by the oracle, from the sandbox or a WireMock server.
 *
 * @param source          where it was seen ({@code sandbox}, {@code wiremock}), for messages
 * @param method          the request method
 * @param rawPath         the path as sent, still percent-encoded
 * @param rawQuery        the query as sent, null when none
 * @param requestHeaders  the request's headers
 * @param requestBody     the request body, null when it was not kept (streamed uploads, dropped connections)
 * @param status          the answer's status, 0 when there was none (dropped connection)
 * @param responseHeaders the answer's headers
 * @param responseBody    the answer's body
 * @param checkRequest    whether the request is ours to check (sent by the component)
 * @param checkResponse   whether the answer is ours to check (made up by the sandbox, not by a test's stub or fault)
 * @param service         the sandbox listener it came in on ({@link ObservedExchange#service()}), null when not known
 *                        (WireMock): the Power BI and Fabric contracts then go by the path
 */
public record ContractExchange(
        String source,
        String method,
        String rawPath,
        String rawQuery,
        Map<String, List<String>> requestHeaders,
        byte[] requestBody,
        int status,
        Map<String, List<String>> responseHeaders,
        byte[] responseBody,
        boolean checkRequest,
        boolean checkResponse,
        String service) {

    /** An exchange whose service is told by its path alone. */
    public ContractExchange(
            String source,
            String method,
            String rawPath,
            String rawQuery,
            Map<String, List<String>> requestHeaders,
            byte[] requestBody,
            int status,
            Map<String, List<String>> responseHeaders,
            byte[] responseBody,
            boolean checkRequest,
            boolean checkResponse) {
        this(
                source,
                method,
                rawPath,
                rawQuery,
                requestHeaders,
                requestBody,
                status,
                responseHeaders,
                responseBody,
                checkRequest,
                checkResponse,
                null);
    }

    /** True when it came in on the sandbox's OneLake (DFS) listener. */
    boolean oneLake() {
        return ObservedExchange.ONELAKE.equals(service);
    }

    /**
     * True for a request the component sent (its User-Agent, {@link HttpClientFactory#USER_AGENT}), as opposed to a
     * test's own HTTP client probing the sandbox.
     */
    static boolean sentByComponent(Map<String, List<String>> requestHeaders) {
        return requestHeaders.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("User-Agent"))
                .flatMap(e -> e.getValue().stream())
                .anyMatch(v -> v.startsWith(HttpClientFactory.USER_AGENT));
    }

    @Override
    public String toString() {
        return source + ": " + method + " " + rawPath + (rawQuery == null ? "" : "?" + rawQuery) + " -> "
                + (status == 0 ? "no answer" : status);
    }
}
