package io.camelpowerbi.component;

import io.camelpowerbi.auth.AccessToken;
import io.camelpowerbi.auth.RefreshingToken;
import io.camelpowerbi.auth.TokenProvider;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.client.PowerBiRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The two questions behind the readiness health checks, answered for one endpoint: is a token held or obtainable, and
 * is Power BI reachable. Answers are null when all is well, else a sentence that says what is wrong and what to fix
 * (built from the component's own error messages, which never hold a token, secret or assertion).
 */
final class PowerBiReadiness {

    /** A call outcome younger than this answers "reachable?"; an older one, or none, is renewed by a light call. */
    static final Duration FRESH = Duration.ofSeconds(60);
    /** The light call: the first workspace the app can see (what {@code doctor} calls too). */
    static final PowerBiRequest PROBE = PowerBiRequest.get("/groups", Map.of("$top", "1"), "workspaces (health check)");

    private PowerBiReadiness() {}

    /** Null when a valid token is held, or one could be obtained now; else why not. */
    static String tokenProblem(TokenProvider tokens, Clock clock) {
        if (tokens == null) {
            return "the endpoint is not started";
        }
        if (tokens instanceof RefreshingToken refreshing) {
            AccessToken held = refreshing.peek();
            if (held != null && held.isValidAt(clock.instant())) {
                return null;
            }
        }
        try {
            tokens.getToken();
            return null;
        } catch (RuntimeException e) {
            return "no Power BI token can be obtained: " + e.getMessage();
        }
    }

    /** Why a valid token is kept but its refresh fails, or null. */
    static String refreshProblem(TokenProvider tokens) {
        if (tokens instanceof RefreshingToken refreshing && refreshing.lastFailure() != null) {
            return "the token is still valid but refreshing it failed: "
                    + refreshing.lastFailure().getMessage();
        }
        return null;
    }

    /**
     * Null when Power BI answered the component's last call, made within {@link #FRESH}; else a light call through
     * {@code probe} (one attempt) decides, so a fixed problem shows UP at the next check. Null, or why not.
     */
    static String apiProblem(ApiStatus status, PowerBiClient probe, Clock clock) {
        ApiStatus.Outcome last = status.last();
        if (last == null
                || !last.reachable()
                || last.at().isBefore(clock.instant().minus(FRESH))) {
            if (probe == null) {
                return last == null ? null : verdict(last);
            }
            try {
                probe.send(PROBE);
            } catch (PowerBiException e) {
                // recorded in status by the client's listener
            } catch (RuntimeException e) {
                return "Power BI was not called: no token: " + e.getMessage();
            }
            last = status.last();
        }
        return last == null ? null : verdict(last);
    }

    private static String verdict(ApiStatus.Outcome last) {
        return last.reachable() ? null : "Power BI is not reachable: " + last.problem();
    }

    /** Details every check shows: when and how the last call ended. */
    static void lastCallDetails(ApiStatus status, Map<String, Object> details) {
        ApiStatus.Outcome last = status.last();
        if (last != null) {
            details.put("powerbi.last.call.time", last.at().toString());
            details.put("powerbi.last.call.status", last.status());
        }
    }
}
