package io.camelpowerbi.sandbox;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sandbox's own control endpoints under {@code /_sandbox} (not part of any Microsoft API): state, fault rules and
 * the clock, so that tests and tools outside the JVM can steer a running sandbox.
 */
final class AdminApi {

    private final SandboxState state;
    private final FaultInjector faults;
    private final SandboxClock clock;
    private final LongSupplier tokenRequestCount;

    AdminApi(SandboxState state, FaultInjector faults, SandboxClock clock, LongSupplier tokenRequestCount) {
        this.state = state;
        this.faults = faults;
        this.clock = clock;
        this.tokenRequestCount = tokenRequestCount;
    }

    void register(Router router) {
        router.get("/_sandbox/state", this::state);
        router.get("/_sandbox/faults", ex -> ex.sendJson(200, faultsJson()));
        router.post("/_sandbox/faults", this::addFaults);
        router.delete("/_sandbox/faults", ex -> {
            faults.clear();
            ex.sendEmpty(204);
        });
        router.delete("/_sandbox/faults/{id}", ex -> {
            if (faults.remove(ex.pathParam("id"))) {
                ex.sendEmpty(204);
            } else {
                ex.sendJson(404, error("no fault rule " + ex.pathParam("id")));
            }
        });
        router.get("/_sandbox/clock", ex -> ex.sendJson(200, clockJson()));
        router.post("/_sandbox/clock", this::moveClock);
    }

    private void state(SandboxExchange ex) throws IOException {
        ObjectNode body = state.toJson();
        body.put("tokenRequestCount", tokenRequestCount.getAsLong());
        body.set("faults", faults.toJson());
        body.set("clock", clockJson());
        ex.sendJson(200, body);
    }

    private ObjectNode faultsJson() {
        ObjectNode body = Json.object();
        body.set("rules", faults.toJson());
        return body;
    }

    /** Body: one rule object or an array of them (the {@link FaultRule} keys). */
    private void addFaults(SandboxExchange ex) throws IOException {
        JsonNode json;
        try {
            json = ex.jsonBody();
        } catch (JsonProcessingException e) {
            ex.sendJson(400, error("body is not JSON: " + e.getOriginalMessage()));
            return;
        }
        if (json == null || !(json.isObject() || json.isArray())) {
            ex.sendJson(400, error("body must be a fault rule object or an array of them"));
            return;
        }
        List<FaultRule> parsed = new ArrayList<>();
        try {
            for (JsonNode node : json.isArray() ? json : List.of(json)) {
                parsed.add(Json.MAPPER.treeToValue(node, FaultRule.class));
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            ex.sendJson(400, error("invalid fault rule: " + cause.getMessage()));
            return;
        }
        ObjectNode body = Json.object();
        var added = body.putArray("rules");
        for (FaultRule rule : parsed) {
            added.add(Json.MAPPER.valueToTree(faults.add(rule)));
        }
        ex.sendJson(201, body);
    }

    /** Body {@code {"advanceSeconds": N}} or {@code {"reset": true}}. */
    private void moveClock(SandboxExchange ex) throws IOException {
        JsonNode json = ex.jsonBody();
        if (json != null && json.path("reset").asBoolean(false)) {
            clock.reset();
        } else if (json != null && json.has("advanceSeconds") && json.get("advanceSeconds").canConvertToLong()) {
            clock.advance(Duration.ofSeconds(json.get("advanceSeconds").asLong()));
        } else {
            ex.sendJson(400, error("expected {\"advanceSeconds\": N} or {\"reset\": true}"));
            return;
        }
        ex.sendJson(200, clockJson());
    }

    private ObjectNode clockJson() {
        ObjectNode node = Json.object();
        node.put("now", clock.now().toString());
        node.put("offsetSeconds", clock.offset().toSeconds());
        return node;
    }

    private static ObjectNode error(String message) {
        ObjectNode node = Json.object();
        node.putObject("error").put("message", message);
        return node;
    }
}
