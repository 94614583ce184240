package io.camelpowerbi.sandbox;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request and the sandbox's answer to it, as {@link SandboxObserver}s see them.
 *
 * @param method          the request method
 * @param path            the raw (still percent-encoded) path
 * @param rawQuery        the raw query string, null when there is none
 * @param requestHeaders  the request's headers (names as the JDK server gives them)
 * @param requestBody     the request body as read; null when the endpoint streamed it (uploads) or the connection was
 *                        dropped before it was read
 * @param status          the answer's status, 0 when the connection was dropped without an answer
 * @param responseHeaders the answer's headers
 * @param responseBody    the answer's body, empty when it has none
 * @param faultRuleId     the id of the fault rule that made this answer, null when the sandbox served it
 * @param service         which of the sandbox's services answered: {@value #POWER_BI} (Entra and Power BI, and the
 *                        control paths), {@value #STORAGE} (blobs), {@value #FABRIC} or {@value #ONELAKE}, each on a
 *                        listener of its own
 */
public record ObservedExchange(
        String method,
        String path,
        String rawQuery,
        Map<String, List<String>> requestHeaders,
        byte[] requestBody,
        int status,
        Map<String, List<String>> responseHeaders,
        byte[] responseBody,
        String faultRuleId,
        String service) {

    public static final String POWER_BI = "powerbi";
    public static final String STORAGE = "storage";
    public static final String FABRIC = "fabric";
    public static final String ONELAKE = "onelake";

    /** The first value of a request header, matched without regard to case; null when absent. */
    public String requestHeader(String name) {
        return first(requestHeaders, name);
    }

    /** The first value of a response header, matched without regard to case; null when absent. */
    public String responseHeader(String name) {
        return first(responseHeaders, name);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))
                    && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    /** Method, path and status only: headers and bodies may hold secrets. */
    @Override
    public String toString() {
        return method + " " + path + " -> " + (status == 0 ? "dropped" : status)
                + (faultRuleId == null ? "" : " (fault " + faultRuleId + ")");
    }
}
