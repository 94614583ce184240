package io.camelpowerbi.operations;

import java.util.List;
import java.util.Map;

/**
 * The rows of a DAX query's (first) result table.
 *
 * @param rows         one map per row, columns in Power BI's order
 * @param truncated    Power BI cut the result short (only returned when truncation was allowed)
 * @param errorMessage Power BI's error text that came with a truncated result, or null
 */
public record QueryResult(List<Map<String, Object>> rows, boolean truncated, String errorMessage) {

    public QueryResult {
        rows = rows == null ? List.of() : rows;
    }
}
