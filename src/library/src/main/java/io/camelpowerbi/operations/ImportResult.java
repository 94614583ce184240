package io.camelpowerbi.operations;

import java.util.List;
import java.util.Map;

/**
 * An import as Power BI describes it.
 *
 * @param importState Publishing, Succeeded or Failed (Publishing when the import was not waited for)
 * @param datasets    the datasets it created or replaced ({@code id}, {@code name}, ...)
 * @param reports     the reports it created or replaced
 */
public record ImportResult(
        String id,
        String name,
        String importState,
        List<Map<String, Object>> datasets,
        List<Map<String, Object>> reports) {

    public ImportResult {
        datasets = datasets == null ? List.of() : datasets;
        reports = reports == null ? List.of() : reports;
    }
}
