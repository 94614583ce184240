package io.camelpowerbi.sandbox;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A semantic model's owner-level settings: Power Query parameters (get, {@code Default.UpdateParameters}), data
 * sources, and {@code Default.TakeOver}. The rules are the limitations Microsoft documents for Update Parameters In
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

    private PowerBiApi api;

    @Override
    public void register(Router router, PowerBiApi powerBiApi) {
        this.api = powerBiApi;
        String base = PowerBiApi.GROUP + "/datasets/{datasetId}";
        router.get(base + "/parameters", api.authenticated(this::parameters));
        router.post(base + "/Default.UpdateParameters", api.authenticated(this::updateParameters));
        router.get(base + "/datasources", api.authenticated(this::datasources));
        router.post(base + "/Default.TakeOver", api.authenticated(this::takeOver));
    }

    private void parameters(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        ex.sendJson(200, PowerBiApi.odataList(ex, "groups/" + w.id() + "/datasets/" + d.id() + "/parameters",
                d.parameters().stream()));
    }

    private void datasources(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        ex.sendJson(200, PowerBiApi.odataList(ex, "groups/" + w.id() + "/datasets/" + d.id() + "/datasources",
                d.datasources().stream()));
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
                    throw DatasetsApi.bad(name == null ? "Every entry of updateDetails needs a 'name'."
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
                d.parameter(detail.get("name").asText()).put("currentValue", value == null || value.isNull() ? null : value.asText());
            }
        }
        LOG.info("dataset {} '{}': parameters {} updated", d.id(), d.name(), seen);
        ex.sendEmpty(200);
    }

    private static void requireOwner(Dataset d, Caller caller) {
        if (!caller.appId().equalsIgnoreCase(d.configuredBy())) {
            throw new PowerBiError(403, PowerBiError.codeMessage("PowerBINotAuthorizedException", "Only the owner of"
                    + " dataset " + d.id() + " (" + d.configuredBy() + ") can change its parameters; take it over first"
                    + " (POST Default.TakeOver)."), null).exception();
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
            default -> true; // Text, DateTime, Date, Time, Duration...: any text (the service's parsing is undocumented)
        };
        if (!fits) {
            throw DatasetsApi.bad("'" + value + "' is not a valid value for parameter '" + name + "' of type " + type + ".");
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
