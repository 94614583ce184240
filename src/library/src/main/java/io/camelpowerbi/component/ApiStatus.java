package io.camelpowerbi.component;

import io.camelpowerbi.client.CallListener;
import io.camelpowerbi.client.PowerBiException;
import java.time.Clock;
import java.time.Instant;

/**
 * The outcome of the component's last call to Power BI, whichever endpoint made it: what the "Power BI reachable"
 * health checks read, so a busy route is not probed on top of its own traffic.
 */
final class ApiStatus implements CallListener {

    /**
     * One call's outcome. Reachable when Power BI answered with anything but 401 or a 5xx: a 404 or a 429 is a
     * reachable Power BI saying no; no answer, a 401 (tenant switch, app not allowed) or a server error are not.
     *
     * @param status  HTTP status, 0 when no answer came
     * @param problem the failure's message (what happened and what to fix), null on success
     */
    record Outcome(Instant at, int status, String problem) {

        boolean reachable() {
            return status != 0 && status != 401 && status < 500;
        }
    }

    private final Clock clock;
    private volatile Outcome last;

    ApiStatus(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void succeeded() {
        last = new Outcome(clock.instant(), 200, null);
    }

    @Override
    public void failed(PowerBiException failure) {
        last = new Outcome(clock.instant(), failure.httpStatus(), failure.getMessage());
    }

    /** The last outcome, or null before the first call. */
    Outcome last() {
        return last;
    }
}
