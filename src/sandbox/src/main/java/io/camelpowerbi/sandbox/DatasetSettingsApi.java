package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A semantic model's owner-level settings: Power Query parameters (get, {@code Default.UpdateParameters}), data
 * sources, {@code Default.TakeOver}, {@code Default.BindToGateway} and the refresh schedule (get, PATCH). The rules are the limitations Microsoft documents for Update Parameters In
 * Group (https://learn.microsoft.com/rest/api/power-bi/datasets/update-parameters-in-group): the caller owns the
 * dataset, at most 100 parameters, each exists (names are case-sensitive), no duplicates, not empty, values of the
 * parameter's type, a required parameter gets a value, Any and Binary parameters cannot be updated.
 *
 * <p>guess: how each limitation is refused (400 {@code InvalidRequest} with a message naming it; 403
 * {@code PowerBINotAuthorizedException} for a caller who does not own the dataset): Microsoft documents the rules, not
 * the answers.
 */
final class DatasetSettingsApi implements PowerBiApi.Module {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetSettingsApi.class);
    static final int MAX_PARAMETERS_PER_UPDATE = 100;
    private static final java.util.regex.Pattern TIME = java.util.regex.Pattern.compile("([01]\\d|2[0-3]):(00|30)");
    private static final Set<String> DAYS =
            Set.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");

    private PowerBiApi api;

    @Override
    public void register(Router router, PowerBiApi powerBiApi) {
        this.api = powerBiApi;
        String base = PowerBiApi.GROUP + "/datasets/{datasetId}";
        router.get(base + "/parameters", api.authenticated(this::parameters));
        router.post(base + "/Default.UpdateParameters", api.authenticated(this::updateParameters));
        router.get(base + "/datasources", api.authenticated(this::datasources));
        router.post(base + "/Default.TakeOver", api.authenticated(this::takeOver));
        router.post(base + "/Default.BindToGateway", api.authenticated(this::bindToGateway));
        router.get(base + "/refreshSchedule", api.authenticated(this::refreshSchedule));
        router.patch(base + "/refreshSchedule", api.authenticated(this::updateRefreshSchedule));
    }

    private void parameters(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        ex.sendJson(
                200,
                PowerBiApi.odataList(
                        ex, "groups/" + w.id() + "/datasets/" + d.id() + "/parameters", d.parameters().stream()));
    }

    private void datasources(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        ex.sendJson(
                200,
                PowerBiApi.odataList(
                        ex, "groups/" + w.id() + "/datasets/" + d.id() + "/datasources", d.datasources().stream()));
    }

    private void takeOver(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        d.takeOver(caller.appId());
        LOG.info("dataset {} '{}' taken over by {}", d.id(), d.name(), caller.appId());
        ex.sendEmpty(200);
    }

    private void updateParameters(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        requireOwner(d, caller);
        JsonNode body = PowerBiApi.jsonBody(ex);
        JsonNode details = body == null ? null : body.get("updateDetails");
        if (details == null || !details.isArray() || details.isEmpty()) {
            throw DatasetsApi.bad("updateDetails must list at least one parameter {\"name\":...,\"newValue\":...}.");
        }
        if (details.size() > MAX_PARAMETERS_PER_UPDATE) {
            throw DatasetsApi.bad("At most " + MAX_PARAMETERS_PER_UPDATE + " parameters can be updated in one request; "
                    + "this one has " + details.size() + ".");
        }
        Set<String> seen = new HashSet<>();
        synchronized (d) {
            for (JsonNode detail : details) {
                String name = detail.path("name").asText(null);
                if (name == null || !seen.add(name)) {
                    throw DatasetsApi.bad(
                            name == null
                                    ? "Every entry of updateDetails needs a 'name'."
                                    : "Parameter '" + name + "' is listed twice.");
                }
                ObjectNode parameter = d.parameter(name);
                if (parameter == null) {
                    throw DatasetsApi.bad("Parameter '" + name + "' does not exist in dataset " + d.id()
                            + " (parameter names are case-sensitive).");
                }
                check(parameter, detail.get("newValue"));
            }
            for (JsonNode detail : details) {
                JsonNode value = detail.get("newValue");
                d.parameter(detail.get("name").asText())
                        .put("currentValue", value == null || value.isNull() ? null : value.asText());
            }
        }
        LOG.info("dataset {} '{}': parameters {} updated", d.id(), d.name(), seen);
        ex.sendEmpty(200);
    }

    /**
     * {@code Default.BindToGateway}: the data sources are bound to the gateway (all of them, or those whose ids are
     * listed, in order). guess: the sandbox has no gateways of its own, so any gateway id is accepted.
     */
    private void bindToGateway(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        JsonNode body = PowerBiApi.jsonBody(ex);
        String gateway = body == null ? null : body.path("gatewayObjectId").asText(null);
        if (gateway == null || !SandboxConfig.isGuid(gateway)) {
            throw DatasetsApi.bad("gatewayObjectId must be the gateway's id (a GUID).");
        }
        JsonNode ids = body.get("datasourceObjectIds");
        synchronized (d) {
            java.util.List<JsonNode> sources = d.datasourceNodes();
            if (ids != null && (!ids.isArray() || ids.size() > sources.size())) {
                throw DatasetsApi.bad(
                        "datasourceObjectIds must list at most one gateway data source id per data source of"
                                + " the dataset (" + sources.size() + ").");
            }
            for (int i = 0; i < sources.size(); i++) {
                ObjectNode source = (ObjectNode) sources.get(i);
                if (ids == null || i < ids.size()) {
                    source.put("gatewayId", gateway.toLowerCase(Locale.ROOT));
                    if (ids != null) {
                        source.put("datasourceId", ids.get(i).asText().toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        LOG.info("dataset {} '{}' bound to gateway {}", d.id(), d.name(), gateway);
        ex.sendEmpty(200);
    }

    private void refreshSchedule(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        // as Microsoft's sample answer: the schedule itself, notifyOption in camelCase
        ex.sendJson(200, (ObjectNode) d.refreshSchedule());
    }

    /**
     * {@code PATCH refreshSchedule} with {@code {"value":{...}}}: the fields given change, the rules are those of
     * Update Refresh Schedule In Group (days, {@code hh:mm} times on the hour or half hour, at most 8 a day on shared
     * capacity and 48 on Premium, a disabling request changes nothing else, service principals only NoNotification,
     * the caller owns the dataset).
     */
    private void updateRefreshSchedule(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        requireOwner(d, caller);
        JsonNode body = PowerBiApi.jsonBody(ex);
        JsonNode value = body == null ? null : body.get("value");
        if (value == null || !value.isObject() || value.isEmpty()) {
            throw DatasetsApi.bad("The request must be {\"value\":{...}} with the schedule's fields to change.");
        }
        if (value.has("enabled") && !value.get("enabled").asBoolean(true) && value.size() > 1) {
            throw DatasetsApi.bad("A request that disables the refresh schedule should contain no other changes.");
        }
        JsonNode days = value.get("days");
        if (days != null) {
            for (JsonNode day : days) {
                if (!DAYS.contains(day.asText())) {
                    throw DatasetsApi.bad("'" + day.asText() + "' is not a day: use Monday ... Sunday.");
                }
            }
        }
        JsonNode times = value.get("times");
        if (times != null) {
            int max = w.isOnDedicatedCapacity() ? 48 : 8;
            if (times.size() > max) {
                throw DatasetsApi.bad(times.size() + " times a day: at most " + max + " on "
                        + (max == 8 ? "shared" : "Premium") + " capacity.");
            }
            for (JsonNode time : times) {
                if (!TIME.matcher(time.asText()).matches()) {
                    throw DatasetsApi.bad("'" + time.asText() + "' is not hh:mm with mm 00 or 30.");
                }
            }
        }
        JsonNode notify = value.has("notifyOption") ? value.get("notifyOption") : value.get("NotifyOption");
        if (notify != null && !notify.asText().equals("NoNotification")) {
            throw DatasetsApi.bad("Service principals only support the NoNotification notifyOption.");
        }
        synchronized (d) {
            ObjectNode schedule = d.refreshScheduleNode();
            ObjectNode next = schedule.deepCopy();
            value.fields()
                    .forEachRemaining(f ->
                            next.set(f.getKey().equals("NotifyOption") ? "notifyOption" : f.getKey(), f.getValue()));
            if (next.path("enabled").asBoolean() && next.path("days").isEmpty()) {
                throw DatasetsApi.bad("At least one day must be specified.");
            }
            schedule.setAll(next);
        }
        LOG.info("dataset {} '{}': refresh schedule {}", d.id(), d.name(), d.refreshSchedule());
        ex.sendEmpty(200);
    }

    private static void requireOwner(Dataset d, Caller caller) {
        if (!caller.appId().equalsIgnoreCase(d.configuredBy())) {
            throw new PowerBiError(
                            403,
                            PowerBiError.codeMessage(
                                    "PowerBINotAuthorizedException",
                                    "Only the owner of"
                                            + " dataset " + d.id() + " (" + d.configuredBy()
                                            + ") can change its settings; take it over first"
                                            + " (POST Default.TakeOver)."),
                            null)
                    .exception();
        }
    }

    /** Refuses a value the parameter cannot take. */
    private static void check(ObjectNode parameter, JsonNode newValue) {
        String name = parameter.get("name").asText();
        String type = parameter.path("type").asText("Any");
        String value = newValue == null || newValue.isNull() ? null : newValue.asText();
        if (type.equals("Any") || type.equals("Binary")) {
            throw DatasetsApi.bad("Parameter '" + name + "' is of type " + type + ", which cannot be updated.");
        }
        if (value == null || value.isEmpty()) {
            if (parameter.path("isRequired").asBoolean()) {
                throw DatasetsApi.bad("Parameter '" + name + "' is required and needs a non-empty value.");
            }
            return;
        }
        boolean fits = switch (type) {
            case "Number" -> isNumber(value);
            case "Logical" -> Set.of("true", "false").contains(value.toLowerCase(Locale.ROOT));
            default ->
                true; // Text, DateTime, Date, Time, Duration...: any text (the service's parsing is undocumented)
        };
        if (!fits) {
            throw DatasetsApi.bad(
                    "'" + value + "' is not a valid value for parameter '" + name + "' of type " + type + ".");
        }
    }

    private static boolean isNumber(String value) {
        try {
            new BigDecimal(value.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
