package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dataflows (Dataflows_GetDataflows, RefreshDataflow, GetDataflowTransactions, CancelDataflowTransaction): a refresh
 * answers 200 without an id (the new transaction shows in the transactions), {@code notifyOption} is required and
 * {@code MailOnCompletion} "isn't supported" (SW RefreshDataflow).
 *
 * <p>guess: a refresh while one runs is refused with 400 {@code InvalidRequest}, and the refusals' bodies; Microsoft
 * documents the successes only. The cancel status is {@code successfullyMarked} or {@code alreadyConcluded} (SW enum).
 */
final class DataflowsApi implements PowerBiApi.Module {

    private static final Logger LOG = LoggerFactory.getLogger(DataflowsApi.class);
    private static final Set<String> NOTIFY = Set.of("NoNotification", "MailOnFailure");
    private static final Set<String> PROCESS_TYPES = Set.of("default", "processFull");

    private PowerBiApi api;

    @Override
    public void register(Router router, PowerBiApi powerBiApi) {
        this.api = powerBiApi;
        String base = PowerBiApi.GROUP + "/dataflows";
        router.get(
                base,
                api.workspaceList(
                        "dataflows", (w, caller) -> w.dataflows().stream().map(Dataflow::toJson)));
        router.post(base + "/{dataflowId}/refreshes", api.authenticated(this::refresh));
        router.get(base + "/{dataflowId}/transactions", api.authenticated(this::transactions));
        router.post(base + "/transactions/{transactionId}/cancel", api.authenticated(this::cancel));
    }

    private static Dataflow dataflow(SandboxExchange ex, Workspace w) {
        return w.dataflow(ex.pathParam("dataflowId"))
                .orElseThrow(() -> PowerBiError.entityNotFound().exception());
    }

    private void refresh(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataflow f = dataflow(ex, w);
        JsonNode body = PowerBiApi.jsonBody(ex);
        String notify = body == null ? null : body.path("notifyOption").asText(null);
        if (notify == null || !NOTIFY.contains(notify)) {
            throw DatasetsApi.bad("notifyOption is required: NoNotification or MailOnFailure (MailOnCompletion isn't"
                    + " supported for dataflows).");
        }
        String processType = ex.query("processType");
        if (processType != null && !PROCESS_TYPES.contains(processType)) {
            throw DatasetsApi.bad("processType must be default or processFull.");
        }
        Instant now = api.now();
        synchronized (f) {
            if (f.running(now).isPresent()) {
                throw DatasetsApi.bad("A refresh of dataflow " + f.id() + " is already in progress.");
            }
            Dataflow.Transaction t = f.start(now);
            LOG.info("dataflow {} '{}': refresh {} started", f.id(), f.name(), t.id());
        }
        ex.sendEmpty(200);
    }

    private void transactions(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataflow f = dataflow(ex, w);
        Instant now = api.now();
        ex.sendJson(
                200,
                PowerBiApi.odataList(
                        ex,
                        "groups/" + w.id() + "/dataflows/" + f.id() + "/transactions",
                        f.transactions().stream().map(t -> t.toJson(now))));
    }

    private void cancel(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        String id = ex.pathParam("transactionId");
        Instant now = api.now();
        Dataflow.Transaction found = w.dataflows().stream()
                .flatMap(f -> f.transactions().stream())
                .filter(t -> t.id().equals(id))
                .findFirst()
                .orElse(null);
        String status = found == null ? "notFound" : found.cancel(now) ? "successfullyMarked" : "alreadyConcluded";
        LOG.info("dataflow transaction {}: cancel {}", id, status);
        ObjectNode body = Json.object().put("transactionId", id).put("status", status);
        ex.sendJson(200, body);
    }
}
