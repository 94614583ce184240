package io.camelpowerbi.sandbox;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code $filter}, {@code $skip} and {@code $top} of a list request, applied in that order. Invalid values answer
 * 400 (guess: code InvalidRequest; Power BI's exact body for these is unverified).
 */
public record ODataQuery(ODataFilter filter, Integer top, int skip) {

    public static ODataQuery from(SandboxExchange ex, Set<String> filterProperties) {
        ODataFilter filter = null;
        String rawFilter = ex.query("$filter");
        if (rawFilter != null && !rawFilter.isBlank()) {
            try {
                filter = ODataFilter.parse(rawFilter, filterProperties);
            } catch (IllegalArgumentException e) {
                throw PowerBiError.badRequest("InvalidRequest", "Invalid $filter: " + e.getMessage())
                        .exception();
            }
        }
        return new ODataQuery(filter, intParam(ex, "$top"), intParam(ex, "$skip") == null ? 0 : intParam(ex, "$skip"));
    }

    /** Filters, skips and limits {@code items}; {@code properties} maps an item to its property accessor. */
    public <T> List<T> apply(List<T> items, Function<T, Function<String, Object>> properties) {
        Stream<T> stream = items.stream();
        if (filter != null) {
            stream = stream.filter(item -> filter.test(properties.apply(item)));
        }
        stream = stream.skip(skip);
        if (top != null) {
            stream = stream.limit(top);
        }
        return stream.toList();
    }

    private static Integer intParam(SandboxExchange ex, String name) {
        String value = ex.query(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw PowerBiError.badRequest(
                            "InvalidRequest",
                            "Invalid value '" + value + "' for " + name + ": a non-negative integer is required")
                    .exception();
        }
    }
}
