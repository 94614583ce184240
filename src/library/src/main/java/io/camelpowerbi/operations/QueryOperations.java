package io.camelpowerbi.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.client.Idempotency;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.client.PowerBiRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs DAX queries through {@code executeQueries}. Power BI has two ways of saying no: a bad query is a 400, but a result
 * that is too big (over 100,000 rows, 1,000,000 values or 15 MB) or has more than one table is a 200 with partial rows and
 * an {@code error} tucked inside the result. Taking that 200 at face value silently loses rows, so it is an error here
 * unless the caller allows truncation, and then the result says it was truncated.
 */
public final class QueryOperations {

    private static final Logger LOG = LoggerFactory.getLogger(QueryOperations.class);
    /** How much of a query an error message quotes. */
    static final int QUOTED = 200;

    private final PowerBiClient client;

    public QueryOperations(PowerBiClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** As {@link #execute(String, String, String, String, boolean, boolean, boolean)} with truncation an error. */
    public QueryResult execute(
            String groupId,
            String datasetId,
            String dax,
            String impersonatedUserName,
            boolean includeNulls,
            boolean stripTableNames) {
        return execute(groupId, datasetId, dax, impersonatedUserName, includeNulls, stripTableNames, false);
    }

    /**
     * Runs one DAX query and returns the rows of its result table.
     *
     * @param impersonatedUserName UPN whose row-level security applies, or null
     * @param includeNulls         ask Power BI to send null values (it leaves those columns out of a row otherwise)
     * @param stripTableNames      {@code Sales[Amount]} becomes {@code Amount}, {@code [Total]} becomes {@code Total};
     *                             columns whose short names would collide keep their full names
     * @param allowTruncated       return a truncated result (flagged) instead of raising
     * @throws DaxQueryException for a rejected query, or a truncated result that was not allowed
     */
    public QueryResult execute(
            String groupId,
            String datasetId,
            String dax,
            String impersonatedUserName,
            boolean includeNulls,
            boolean stripTableNames,
            boolean allowTruncated) {
        if (dax == null || dax.isBlank()) {
            throw new InvalidOptionException(
                    "query",
                    "no DAX query is given",
                    "set the query option, or send the query" + " as the body, e.g. EVALUATE VALUES(Sales)");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("queries", List.of(Map.of("query", dax)));
        body.put("serializerSettings", Map.of("includeNulls", includeNulls));
        if (impersonatedUserName != null && !impersonatedUserName.isBlank()) {
            body.put("impersonatedUserName", impersonatedUserName);
        }
        JsonNode response;
        try {
            // a POST that only reads: sent again after a lost answer like any GET
            response = client.send(PowerBiRequest.json(
                                    "POST",
                                    Api.dataset(groupId, datasetId) + "/executeQueries",
                                    Map.of(),
                                    Api.bytes(body),
                                    "dataset " + datasetId)
                            .with(Idempotency.IDEMPOTENT))
                    .json();
        } catch (PowerBiException e) {
            if (e.httpStatus() == 400) {
                throw new DaxQueryException(
                        "the DAX query was rejected: " + e.getMessage() + "\nQuery: " + quote(dax), false, e);
            }
            throw e;
        }
        JsonNode topError = response.get("error");
        JsonNode result = response.path("results").path(0);
        JsonNode tables = result.path("tables");
        JsonNode table = tables.path(0);
        if (topError != null && !topError.isNull() && table.isMissingNode()) {
            throw new DaxQueryException(
                    "the DAX query failed: " + errorText(topError) + "\nQuery: " + quote(dax), false, null);
        }
        String error = firstError(topError, result.get("error"), table.get("error"));
        if (error == null && tables.size() > 1) {
            error = "the query produced " + tables.size() + " result tables; only the first is returned";
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode row : table.path("rows")) {
            rows.add(Api.map(row));
        }
        if (stripTableNames) {
            rows = strip(rows);
        }
        if (error != null) {
            if (!allowTruncated) {
                throw new DaxQueryException(
                        "the DAX query's result was truncated by Power BI after " + rows.size() + " rows (" + error
                                + "). A query may return one table of at most 100,000 rows or 1,000,000 values and 15 MB. Fix: narrow the "
                                + "query (FILTER, TOPN, fewer columns, or one date range per call), or set allowTruncated=true to accept "
                                + "the partial rows.\nQuery: " + quote(dax),
                        true,
                        null);
            }
            LOG.warn("DAX query result truncated after {} rows: {}", rows.size(), error);
            return new QueryResult(rows, true, error);
        }
        return new QueryResult(rows, false, null);
    }

    /**
     * Strips the table part of the column names. The new names are worked out over all rows, since Power BI leaves null
     * columns out of a row unless includeNulls is set.
     */
    static List<Map<String, Object>> strip(List<Map<String, Object>> rows) {
        Set<String> keys = new LinkedHashSet<>();
        rows.forEach(r -> keys.addAll(r.keySet()));
        Map<String, List<String>> byShort = new LinkedHashMap<>();
        for (String k : keys) {
            byShort.computeIfAbsent(shortName(k), s -> new ArrayList<>()).add(k);
        }
        Map<String, String> rename = new LinkedHashMap<>();
        byShort.forEach((shortName, full) -> {
            if (full.size() == 1) {
                rename.put(full.get(0), shortName);
            } else {
                LOG.debug(
                        "columns {} would all be named '{}' without their table names; keeping their full names",
                        full,
                        shortName);
                full.forEach(f -> rename.put(f, f));
            }
        });
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Map<String, Object> renamed = new LinkedHashMap<>();
            row.forEach((k, v) -> renamed.put(rename.get(k), v));
            out.add(renamed);
        }
        return out;
    }

    /** {@code Sales[Amount]} → {@code Amount}, {@code 'My Table'[A]]B]} → {@code A]B}, {@code [Total]} → {@code Total}. */
    static String shortName(String key) {
        if (key == null || !key.endsWith("]")) {
            return key;
        }
        int open;
        if (key.startsWith("'")) {
            // A quoted table name escapes ' as ''; the column starts at the '[' right after the closing quote.
            int i = 1;
            while (i < key.length()) {
                if (key.charAt(i) == '\'') {
                    if (i + 1 < key.length() && key.charAt(i + 1) == '\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i++;
            }
            open = i + 1 < key.length() && key.charAt(i + 1) == '[' ? i + 1 : -1;
        } else {
            open = key.indexOf('[');
        }
        if (open < 0 || open >= key.length() - 1) {
            return key;
        }
        String name = key.substring(open + 1, key.length() - 1).replace("]]", "]");
        return name.isEmpty() ? key : name;
    }

    private static String firstError(JsonNode... errors) {
        for (JsonNode e : errors) {
            if (e != null && !e.isNull() && !e.isMissingNode()) {
                return errorText(e);
            }
        }
        return null;
    }

    private static String errorText(JsonNode error) {
        if (error.isTextual()) {
            return error.asText();
        }
        String code = Api.text(error, "code");
        String message = Api.text(error, "message");
        if (message == null) {
            List<String> details = new ArrayList<>();
            for (JsonNode d : error.path("pbi.error").path("details")) {
                String v = Api.text(d.path("detail"), "value");
                if (v != null) {
                    details.add(v);
                }
            }
            message = details.isEmpty() ? null : String.join("; ", details);
        }
        return code == null ? String.valueOf(message) : message == null ? code : code + ": " + message;
    }

    private static String quote(String dax) {
        return Api.first(dax.strip(), QUOTED);
    }
}
