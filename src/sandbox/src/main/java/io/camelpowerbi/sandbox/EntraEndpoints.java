package io.camelpowerbi.sandbox;

import java.util.regex.Pattern;

/** Headers every Entra (ESTS) response carries, and the path shapes of the token endpoints. */
final class EntraEndpoints {

    /** {@code /{tenant}/oauth2/v2.0/token} or {@code /{tenant}/oauth2/token}: the POSTs counted as token requests. */
    static final Pattern TOKEN_PATH = Pattern.compile("^/[^/]+/oauth2/(v2\\.0/)?token$", Pattern.CASE_INSENSITIVE);

    private EntraEndpoints() {}

    static void standardHeaders(SandboxExchange exchange) {
        exchange.setResponseHeader("Cache-Control", "no-store, no-cache");
        exchange.setResponseHeader("Pragma", "no-cache");
        exchange.setResponseHeader("x-ms-request-id", exchange.requestId());
        exchange.setResponseHeader("x-ms-ests-server", "camel-powerbi-sandbox");
        // MSAL sends return-client-request-id: true and checks the echo (HttpHelper.verifyReturnedCorrelationId).
        // The JDK server writes header names capitalised ("Client-request-id"); names are case-insensitive in HTTP,
        // but MSAL4J looks the echo up case-sensitively and only logs an INFO line about the mismatch.
        if ("true".equalsIgnoreCase(exchange.header("return-client-request-id"))
                && exchange.header("client-request-id") != null) {
            exchange.setResponseHeader("client-request-id", exchange.correlationId());
        }
    }
}
