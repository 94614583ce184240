package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dataset refreshes (https://learn.microsoft.com/en-us/power-bi/connect-data/asynchronous-refresh): plain and enhanced refresh, one at a time per dataset,
 * the history (newest first, {@code $top}, late appearance), details and cancel of enhanced refreshes, and the
 * shared-capacity rules.
 */
final class RefreshesApi implements PowerBiApi.Module {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshesApi.class);
    /** Fields that make a request an enhanced refresh (anything but {@code notifyOption}). */
    static final Set<String> ENHANCED_FIELDS = Set.of(
            "type",
            "commitMode",
            "maxParallelism",
            "retryCount",
            "objects",
            "applyRefreshPolicy",
            "effectiveDate",
            "timeout");

    private static final Set<String> TYPES =
            Set.of("Full", "ClearValues", "Calculate", "DataOnly", "Automatic", "Defragment");
    private static final Set<String> NOTIFY = Set.of("NoNotification", "MailOnFailure", "MailOnCompletion");
    private static final Pattern TIMEOUT = Pattern.compile("\\d{1,2}:\\d{2}:\\d{2}");

    private PowerBiApi api;

    @Override
    public void register(Router router, PowerBiApi powerBiApi) {
        this.api = powerBiApi;
        String base = PowerBiApi.GROUP + "/datasets/{datasetId}/refreshes";
        router.post(base, api.authenticated(this::refresh));
        router.get(base, api.authenticated(this::history));
        router.get(base + "/{refreshId}", api.authenticated(this::details));
        router.delete(base + "/{refreshId}", api.authenticated(this::cancel));
    }

    private void refresh(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        JsonNode body = PowerBiApi.jsonBody(ex);
        if (body != null && !body.isObject()) {
            throw DatasetsApi.bad("The refresh request must be a JSON object.");
        }
        boolean enhanced = false;
        if (body != null) {
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                enhanced |= ENHANCED_FIELDS.contains(it.next());
            }
            validate(body, enhanced);
        }
        if (d.isPush()) {
            // guess: push datasets are not refreshable (isRefreshable false); the refusal's shape is unverified
            throw DatasetsApi.bad("Dataset " + d.id() + " is a push dataset and cannot be refreshed.");
        }
        if (enhanced && !w.isOnDedicatedCapacity()) {
            // guess: "Enhanced refresh is not supported for shared capacities" (SW); status and body unverified
            throw DatasetsApi.bad("Enhanced refresh is not supported for shared capacities: the workspace needs a "
                    + "Premium, Premium Per User or Embedded capacity. Send an empty body (or only notifyOption).");
        }
        Instant now = api.now();
        ApiSettings.Refreshes settings = api.settings().refreshes();
        if (d.runningRefresh(now).isPresent()) {
            // current docs: 400; the 2021 docs: 409 Conflict (refreshes.conflictStatus). guess: the body. Microsoft
            // documents the status only; this code and message are the ones users quote from the live service, not a
            // documented text, and a client must not match on them
            throw new PowerBiError(
                            settings.conflictStatus(),
                            PowerBiError.codeMessage(
                                    "InvalidRequest",
                                    "Invalid dataset refresh request. Another refresh request is already executing"),
                            null)
                    .exception();
        }
        if (!w.isOnDedicatedCapacity() && settings.sharedCapacityDailyLimit() > 0) {
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            long count = d.refreshes().stream()
                    .filter(r ->
                            LocalDate.ofInstant(r.startTime(), ZoneOffset.UTC).equals(today))
                    .count();
            if (count >= settings.sharedCapacityDailyLimit()) {
                // guess: 400 (400 or 429 are both reported; unverified)
                throw DatasetsApi.bad("The dataset has been refreshed " + count + " times today (UTC); on shared "
                        + "capacity at most " + settings.sharedCapacityDailyLimit()
                        + " refreshes per day are allowed.");
            }
        }
        Dataset.RefreshBehaviour behaviour = d.refreshBehaviour();
        Refresh refresh = new Refresh(
                UUID.randomUUID().toString(),
                api.nextRefreshId(),
                enhanced,
                now,
                behaviour.duration() != null ? behaviour.duration() : ApiSettings.seconds(settings.durationSeconds()),
                behaviour.outcome(),
                behaviour.error() != null ? behaviour.error() : Dataset.DEFAULT_REFRESH_ERROR,
                now.plus(ApiSettings.seconds(settings.historyDelaySeconds())),
                body);
        if (d.isDirectLake()) {
            // framing: the model reads the lakehouse's tables as they are now, once this refresh completed
            refresh.frame(d.directLakeSource().frame());
        }
        d.addRefresh(refresh);
        LOG.info(
                "{} refresh {} of dataset {} '{}' started ({} after {})",
                enhanced ? "enhanced" : "plain",
                refresh.requestId(),
                d.id(),
                d.name(),
                behaviour.outcome(),
                behaviour.duration() != null ? behaviour.duration() : settings.durationSeconds() + " s");
        // the refresh id is the response's RequestId (powerbi-docs #5067), and x-ms-request-id + Location for enhanced
        ex.setResponseHeader("RequestId", refresh.requestId());
        if (enhanced) {
            ex.setResponseHeader("x-ms-request-id", refresh.requestId());
            ex.setResponseHeader(
                    "Location",
                    ex.origin() + PowerBiApi.BASE_PATH + "/groups/" + w.id() + "/datasets/" + d.id() + "/refreshes/"
                            + refresh.requestId());
        } else {
            ex.setResponseHeader("Content-Type", "application/octet-stream");
        }
        ex.sendEmpty(202);
    }

    private static void validate(JsonNode body, boolean enhanced) {
        JsonNode notify = body.get("notifyOption");
        if (notify != null && !(notify.isTextual() && NOTIFY.contains(notify.asText()))) {
            throw DatasetsApi.bad("notifyOption must be NoNotification, MailOnFailure or MailOnCompletion.");
        }
        if (enhanced && notify != null) {
            // SW: "for enhanced refresh, notifyOption is not required and must be excluded"; guess: refused with 400
            throw DatasetsApi.bad("notifyOption must be excluded from an enhanced refresh request.");
        }
        if (body.has("type")
                && !(body.get("type").isTextual()
                        && TYPES.contains(body.get("type").asText()))) {
            throw DatasetsApi.bad("type must be one of " + TYPES + ".");
        }
        if (body.has("commitMode")
                && !List.of("Transactional", "PartialBatch")
                        .contains(body.get("commitMode").asText())) {
            throw DatasetsApi.bad("commitMode must be Transactional or PartialBatch.");
        }
        for (String field : List.of("maxParallelism", "retryCount")) {
            if (body.has(field)
                    && !(body.get(field).canConvertToInt() && body.get(field).asInt() >= 0)) {
                throw DatasetsApi.bad(field + " must be a non-negative integer.");
            }
        }
        if (body.has("timeout")
                && !TIMEOUT.matcher(body.get("timeout").asText("")).matches()) {
            throw DatasetsApi.bad("timeout must be hh:mm:ss.");
        }
        if (body.has("objects")) {
            JsonNode objects = body.get("objects");
            if (!objects.isArray()) {
                throw DatasetsApi.bad("objects must be an array of {\"table\":...,\"partition\":...}.");
            }
            for (JsonNode o : objects) {
                if (!o.path("table").isTextual()) {
                    throw DatasetsApi.bad("every entry of objects needs a 'table'.");
                }
            }
        }
        if ("PartialBatch".equals(body.path("commitMode").asText())
                && body.path("applyRefreshPolicy").asBoolean(true)) {
            throw DatasetsApi.bad("applyRefreshPolicy must be false with commitMode PartialBatch.");
        }
    }

    /** {@code GET refreshes?$top=n}: newest first; a refresh shows only after {@code refreshes.historyDelaySeconds}. */
    private void history(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        int top = api.settings().refreshes().defaultTop();
        String topParam = ex.query("$top");
        if (topParam != null) {
            try {
                top = Integer.parseInt(topParam.trim());
            } catch (NumberFormatException e) {
                top = -1;
            }
            if (top < 1) {
                throw DatasetsApi.bad("Invalid value '" + topParam + "' for $top: a positive integer is required.");
            }
        }
        Instant now = api.now();
        ObjectNode body = Json.object();
        body.put(
                "@odata.context",
                PowerBiApi.odataContext(ex, "groups/" + w.id() + "/datasets/" + d.id() + "/refreshes"));
        ArrayNode value = body.putArray("value");
        d.refreshes().stream()
                .filter(r -> !now.isBefore(r.visibleAt()))
                .limit(top)
                .forEach(r -> value.add(r.historyJson(now)));
        ex.sendJson(200, body);
    }

    /** {@code GET refreshes/{id}}: enhanced refreshes only; 202 while running, 200 at the end. */
    private void details(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        Refresh r = enhancedRefresh(ex, d);
        Instant now = api.now();
        ObjectNode body =
                r.detailJson(now, d.tables().stream().map(PushTable::name).toList());
        ex.sendJson(r.isRunning(now) ? 202 : 200, body);
    }

    /** {@code DELETE refreshes/{id}}: cancels a running enhanced refresh; the history then shows Cancelled. */
    private void cancel(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        Refresh r = enhancedRefresh(ex, d);
        if (!r.cancel(api.now())) {
            // guess: cancelling a refresh that has ended is refused with 400
            throw DatasetsApi.bad("Refresh " + r.requestId() + " is not in progress (status " + r.status(api.now())
                    + ") and cannot be cancelled.");
        }
        LOG.info("enhanced refresh {} of dataset {} cancelled", r.requestId(), d.id());
        ex.sendEmpty(200);
    }

    /**
     * guess: an unknown id, or the id of a plain (standard) refresh, answers 404: only enhanced refreshes can be
     * queried or cancelled by id (https://learn.microsoft.com/en-us/power-bi/connect-data/asynchronous-refresh), and the service's refusal is unverified.
     */
    private static Refresh enhancedRefresh(SandboxExchange ex, Dataset d) {
        String id = ex.pathParam("refreshId");
        Refresh r = d.refresh(id).orElse(null);
        if (r == null || !r.enhanced()) {
            throw new PowerBiError(
                            404,
                            PowerBiError.codeMessage(
                                    "ItemNotFound",
                                    r == null
                                            ? "Refresh " + id + " was not found in dataset " + d.id() + "."
                                            : "Refresh " + id
                                                    + " is a standard refresh: only refreshes started through the enhanced "
                                                    + "refresh API can be queried or cancelled by id."),
                            null)
                    .exception();
        }
        return r;
    }
}
