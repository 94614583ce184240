package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST datasets/{d}/executeQueries} (https://learn.microsoft.com/en-us/rest/api/power-bi/datasets/execute-queries-in-group): exactly one query, evaluated by
 * {@link DaxQuery} over the dataset's tables or answered from the dataset's canned results; nulls omitted unless
 * {@code serializerSettings.includeNulls}; {@code impersonatedUserName} accepted (no RLS in the sandbox); results over
 * the row or value cap truncated with an {@code error} inside {@code results[0]}; 120 requests per minute per caller.
 */
final class QueriesApi implements PowerBiApi.Module {

    private static final Logger LOG = LoggerFactory.getLogger(QueriesApi.class);

    private PowerBiApi api;

    @Override
    public void register(Router router, PowerBiApi powerBiApi) {
        this.api = powerBiApi;
        router.post(PowerBiApi.GROUP + "/datasets/{datasetId}/executeQueries", api.authenticated(this::execute));
    }

    private void execute(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Dataset d = api.dataset(ex, w);
        LimitsConfig limits = api.limits();
        if (limits.enabled()) {
            long wait = api.queryWindow(caller.appId())
                    .tryAcquire(System.nanoTime(), limits.windowNanos(60), limits.executeQueriesPerMinute(), 1);
            if (wait > 0) {
                api.countThrottledQuery();
                long seconds = RateWindow.retryAfterSeconds(wait);
                LOG.info(
                        "executeQueries of app {} throttled (more than {} per minute): 429, Retry-After {}",
                        caller.appId(),
                        limits.executeQueriesPerMinute(),
                        seconds);
                throw PowerBiError.tooManyRequests(seconds).exception();
            }
        }
        JsonNode body;
        try {
            body = ex.jsonBody();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw daxError("The request body is not valid JSON");
        }
        JsonNode queries = body == null ? null : body.get("queries");
        if (queries == null || !queries.isArray() || queries.size() != 1) {
            throw daxError("Exactly one query is supported per request; 'queries' has "
                    + (queries != null && queries.isArray() ? queries.size() : 0));
        }
        String query = queries.get(0).path("query").asText(null);
        if (query == null || query.isBlank()) {
            throw daxError("The query is empty");
        }
        boolean includeNulls =
                body.path("serializerSettings").path("includeNulls").asBoolean(false);
        String impersonated = body.path("impersonatedUserName").asText(null);

        ArrayNode rows = Json.array();
        long cap = limits.executeQueriesMaxRows();
        boolean truncated;
        Optional<List<JsonNode>> canned = d.cannedQuery(query);
        if (canned.isPresent()) {
            List<JsonNode> all = canned.get();
            long columns = all.isEmpty() ? 1 : Math.max(1, all.get(0).size());
            long rowCap = Math.min(cap, Math.max(1, limits.executeQueriesMaxValues() / columns));
            truncated = all.size() > rowCap;
            for (JsonNode r : all.subList(0, (int) Math.min(all.size(), rowCap))) {
                rows.add(withoutNulls(r, includeNulls));
            }
        } else {
            DaxQuery.Result result;
            try {
                // ask for one row more than the caps allow, to know whether the result is truncated
                result = DaxQuery.evaluate(d, query, cap + 1, ex.now());
            } catch (DaxQuery.DaxException e) {
                LOG.info("executeQueries on dataset {}: not evaluated: {}", d.id(), e.getMessage());
                throw daxError(e.getMessage());
            }
            long columns = Math.max(1, result.columns().size());
            long rowCap = Math.min(cap, Math.max(1, limits.executeQueriesMaxValues() / columns));
            truncated = result.rows().size() > rowCap;
            List<Object[]> kept =
                    result.rows().subList(0, (int) Math.min(result.rows().size(), rowCap));
            for (Object[] values : kept) {
                rows.add(row(result.columns(), values, includeNulls));
            }
        }
        ObjectNode response = Json.object();
        ObjectNode first = response.putArray("results").addObject();
        first.putArray("tables").addObject().set("rows", rows);
        if (truncated) {
            // the service answers 200 with the rows it kept and an error in the result
            // (https://learn.microsoft.com/en-us/rest/api/power-bi/datasets/execute-queries-in-group); guess: code and
            // text
            first.putObject("error")
                    .put("code", "DatasetExecuteQueriesResultTruncated")
                    .put(
                            "message",
                            "The query result exceeds the limit of " + limits.executeQueriesMaxRows() + " rows or "
                                    + limits.executeQueriesMaxValues() + " values; only the first " + rows.size()
                                    + " rows are returned.");
        }
        LOG.debug(
                "executeQueries on dataset {}{}: {} rows{}",
                d.id(),
                impersonated == null ? "" : " as " + impersonated,
                rows.size(),
                truncated ? " (truncated)" : "");
        ex.sendJson(200, response);
    }

    private static ObjectNode row(List<String> columns, Object[] values, boolean includeNulls) {
        ObjectNode row = Json.object();
        for (int i = 0; i < columns.size(); i++) {
            Object v = values[i];
            String key = columns.get(i);
            if (v == null) {
                if (includeNulls) {
                    row.putNull(key);
                }
            } else if (v instanceof Long l) {
                row.put(key, l);
            } else if (v instanceof Double dbl) {
                row.put(key, dbl);
            } else if (v instanceof BigDecimal b) {
                BigDecimal plain = b.stripTrailingZeros();
                row.put(key, plain.scale() < 0 ? plain.setScale(0) : plain);
            } else if (v instanceof Boolean bool) {
                row.put(key, bool);
            } else {
                row.put(key, v.toString());
            }
        }
        return row;
    }

    private static JsonNode withoutNulls(JsonNode row, boolean includeNulls) {
        if (includeNulls || !row.isObject()) {
            return row.deepCopy();
        }
        ObjectNode copy = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                copy.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return copy;
    }

    /**
     * The DAX error of https://learn.microsoft.com/en-us/rest/api/power-bi/datasets/execute-queries-in-group (gbrueckl/PowerBI-VSCode#45), with one more detail giving the sandbox's reason
     * ({@code SandboxDetail}, not in the live service's answer).
     */
    static PowerBiException daxError(String reason) {
        ObjectNode body = PowerBiError.pbiError("DatasetExecuteQueriesError");
        ObjectNode pbi = (ObjectNode) body.get("error").get("pbi.error");
        pbi.remove("exceptionCulprit");
        ArrayNode details = (ArrayNode) pbi.get("details");
        List<String[]> entries = new ArrayList<>();
        entries.add(new String[] {"DetailsMessage", "Failed to execute the DAX query."});
        entries.add(new String[] {"AnalysisServicesErrorCode", "3239575574"});
        entries.add(new String[] {"SandboxDetail", reason});
        for (String[] e : entries) {
            ObjectNode detail = details.addObject();
            detail.put("code", e[0]);
            detail.putObject("detail").put("type", 1).put("value", e[1]);
        }
        return new PowerBiError(400, body, null).exception();
    }
}
