package io.camelpowerbi.operations;

import io.camelpowerbi.InvalidOptionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to export from a report ({@code ExportReportRequest}). Power BI reports and paginated (RDL) reports take
 * different formats and different settings; mixing them is refused here with the reason, rather than by Power BI with a
 * bare 400 after the job was queued; the errors name the options of {@code powerbi:exportReport}.
 *
 * @param format             PDF, PPTX, PNG (Power BI reports); IMAGE, XLSX, DOCX, CSV, XML, MHTML, ACCESSIBLEPDF, PDF,
 *                           PPTX (paginated reports)
 * @param paginated          the report is a paginated (RDL) report
 * @param pages              Power BI reports: pages (and single visuals) to export; empty for the whole report
 * @param bookmarkName       Power BI reports: a bookmark applied to every page (name or state, not both)
 * @param bookmarkState      Power BI reports: a captured bookmark state
 * @param reportLevelFilter  Power BI reports: one URL-filter expression, e.g. {@code Store/Territory eq 'NC'}
 * @param locale             Power BI reports: e.g. {@code en-US}
 * @param parameterValues    paginated reports: report parameters
 * @param formatSettings     paginated reports: device-info settings of the format, e.g. {@code OutputFormat: JPEG}
 */
public record ExportRequest(
        ExportFormat format,
        boolean paginated,
        List<Page> pages,
        String bookmarkName,
        String bookmarkState,
        String reportLevelFilter,
        String locale,
        Map<String, String> parameterValues,
        Map<String, String> formatSettings) {

    /** Power BI stops a job with more pages or visuals than this. */
    public static final int MAX_PAGES = 50;

    /**
     * A page of a Power BI report, optionally one visual on it and a bookmark for it.
     *
     * @param pageName   the page's internal name (e.g. {@code ReportSection1}), not its display name
     * @param visualName one visual's name, or null for the whole page
     * @param bookmark   a bookmark name for this page, or null
     */
    public record Page(String pageName, String visualName, String bookmark) {

        public Page {
            if (pageName == null || pageName.isBlank()) {
                throw new InvalidOptionException("pages", "a page has no name", "name every page, e.g. ReportSection1");
            }
        }

        public Page(String pageName) {
            this(pageName, null, null);
        }
    }

    public ExportRequest {
        if (format == null) {
            throw new InvalidOptionException(
                    "exportFormat",
                    "no format is set",
                    "use PDF, PPTX or PNG for a Power BI"
                            + " report; IMAGE, XLSX, DOCX, CSV, XML, MHTML, ACCESSIBLEPDF, PDF or PPTX for a paginated report");
        }
        pages = pages == null ? List.of() : List.copyOf(pages);
        parameterValues = parameterValues == null ? Map.of() : Map.copyOf(parameterValues);
        formatSettings = formatSettings == null ? Map.of() : Map.copyOf(formatSettings);
        if (paginated) {
            if (!ExportFormat.PAGINATED.contains(format)) {
                throw new InvalidOptionException(
                        "exportFormat",
                        format + " is not available for paginated reports",
                        "use one of IMAGE, XLSX, DOCX, CSV, XML, MHTML, ACCESSIBLEPDF, PDF, PPTX");
            }
            if (!pages.isEmpty()
                    || bookmarkName != null
                    || bookmarkState != null
                    || reportLevelFilter != null
                    || locale != null) {
                throw new InvalidOptionException(
                        !pages.isEmpty() ? "pages" : reportLevelFilter != null ? "reportLevelFilter" : "bookmark",
                        "pages, bookmarks, reportLevelFilter and locale apply to Power BI reports, not to"
                                + " paginated reports",
                        "drop it, or use parameterValues (paginated=true is set)");
            }
        } else {
            if (!ExportFormat.REPORT.contains(format)) {
                throw new InvalidOptionException(
                        "exportFormat",
                        format + " is not available for Power BI reports",
                        "use PDF, PPTX or PNG, or set paginated=true if this is a paginated report");
            }
            if (!parameterValues.isEmpty() || !formatSettings.isEmpty()) {
                throw new InvalidOptionException(
                        "parameterValues",
                        "parameter values apply to paginated reports only",
                        "set paginated=true if this is one, or drop parameterValues");
            }
            if (bookmarkName != null && bookmarkState != null) {
                throw new InvalidOptionException(
                        "bookmark", "a bookmark name and a bookmark state are both given", "give one of them");
            }
            if (pages.size() > MAX_PAGES) {
                throw new InvalidOptionException(
                        "pages",
                        pages.size() + " pages or visuals are requested; Power BI" + " exports at most " + MAX_PAGES
                                + " per job",
                        "split them over several exports");
            }
        }
    }

    /** The whole Power BI report in {@code format}. */
    public static ExportRequest report(ExportFormat format) {
        return new ExportRequest(format, false, List.of(), null, null, null, null, Map.of(), Map.of());
    }

    /** A paginated report in {@code format} with parameters. */
    public static ExportRequest paginated(ExportFormat format, Map<String, String> parameterValues) {
        return new ExportRequest(format, true, List.of(), null, null, null, null, parameterValues, Map.of());
    }

    /** The body of {@code POST .../ExportTo}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", format.name());
        Map<String, Object> config = new LinkedHashMap<>();
        if (paginated) {
            if (!formatSettings.isEmpty()) {
                config.put("formatSettings", new LinkedHashMap<>(formatSettings));
            }
            if (!parameterValues.isEmpty()) {
                List<Object> params = new ArrayList<>();
                parameterValues.forEach((k, v) -> params.add(Map.of("name", k, "value", v)));
                config.put("parameterValues", params);
            }
            if (!config.isEmpty()) {
                json.put("paginatedReportConfiguration", config);
            }
        } else {
            if (locale != null) {
                config.put("settings", Map.of("locale", locale));
            }
            if (bookmarkName != null) {
                config.put("defaultBookmark", Map.of("name", bookmarkName));
            } else if (bookmarkState != null) {
                config.put("defaultBookmark", Map.of("state", bookmarkState));
            }
            if (reportLevelFilter != null) {
                // Power BI takes a list but supports exactly one filter.
                config.put("reportLevelFilters", List.of(Map.of("filter", reportLevelFilter)));
            }
            if (!pages.isEmpty()) {
                List<Object> ps = new ArrayList<>();
                for (Page p : pages) {
                    Map<String, Object> page = new LinkedHashMap<>();
                    page.put("pageName", p.pageName());
                    if (p.visualName() != null) {
                        page.put("visualName", p.visualName());
                    }
                    if (p.bookmark() != null) {
                        page.put("bookmark", Map.of("name", p.bookmark()));
                    }
                    ps.add(page);
                }
                config.put("pages", ps);
            }
            if (!config.isEmpty()) {
                json.put("powerBIReportConfiguration", config);
            }
        }
        return json;
    }
}
