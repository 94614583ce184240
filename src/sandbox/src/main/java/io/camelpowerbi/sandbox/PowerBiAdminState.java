package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The admin-API counters of {@code GET /_sandbox/state}. */
final class PowerBiAdminState {

    private PowerBiAdminState() {}

    /** {@code adminCalls} (per endpoint), {@code throttledAdminCalls}, {@code scans} (per status), {@code activityEventsRecorded}. */
    static ObjectNode json(PowerBiApi api) {
        ObjectNode body = Json.object();
        ObjectNode calls = body.putObject("adminCalls");
        api.adminCallCounts().forEach(calls::put);
        body.put("throttledAdminCalls", api.throttledAdminCallCount());
        ObjectNode scans = body.putObject("scans");
        java.time.Instant now = api.now();
        scans.put("total", api.scans().size());
        for (ScanJob job : api.scans()) {
            String status = job.status(now);
            scans.put(status, scans.path(status).asInt(0) + 1);
        }
        body.put("activityEventsRecorded", api.activityLog().recorded().size());
        return body;
    }
}
