package io.camelpowerbi.operations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What to export from a report ({@code ExportReportRequest}). Power BI reports and paginated (RDL) reports take
 * different formats and different settings; mixing them is refused here with the reason, rather than by Power BI with a
 * bare 400 after the job was queued.
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
public record ExportRequest(String format, boolean paginated, List<Page> pages, String bookmarkName, String bookmarkState,
        String reportLevelFilter, String locale, Map<String, String> parameterValues, Map<String, String> formatSettings) {

    /** Power BI stops a job with more pages or visuals than this. */
    public static final int MAX_PAGES = 50;

    private static final Set<String> REPORT_FORMATS = Set.of("PDF", "PPTX", "PNG");
    private static final Set<String> PAGINATED_FORMATS = Set.of("IMAGE", "XLSX", "DOCX", "CSV", "XML", "MHTML", "ACCESSIBLEPDF", "PDF",
            "PPTX");

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
                throw new IllegalArgumentException("pages: every page needs a pageName");
            }
        }

        public Page(String pageName) {
            this(pageName, null, null);
        }
    }

    public ExportRequest {
        if (format == null || format.isBlank()) {
            throw new IllegalArgumentException("format is required (PDF, PPTX, PNG for Power BI reports; IMAGE, XLSX, DOCX, CSV, "
                    + "XML, MHTML, ACCESSIBLEPDF for paginated reports)");
        }
        format = format.trim().toUpperCase(Locale.ROOT);
        pages = pages == null ? List.of() : List.copyOf(pages);
        parameterValues = parameterValues == null ? Map.of() : Map.copyOf(parameterValues);
        formatSettings = formatSettings == null ? Map.of() : Map.copyOf(formatSettings);
        if (paginated) {
            if (!PAGINATED_FORMATS.contains(format)) {
                throw new IllegalArgumentException("format " + format + " is not available for paginated reports (use one of "
                        + "IMAGE, XLSX, DOCX, CSV, XML, MHTML, ACCESSIBLEPDF, PDF, PPTX)");
            }
            if (!pages.isEmpty() || bookmarkName != null || bookmarkState != null || reportLevelFilter != null || locale != null) {
                throw new IllegalArgumentException("pages, bookmarks, reportLevelFilter and locale apply to Power BI reports, not to "
                        + "paginated reports (use parameterValues and formatSettings)");
            }
        } else {
            if (!REPORT_FORMATS.contains(format)) {
                throw new IllegalArgumentException("format " + format + " is not available for Power BI reports (use PDF, PPTX or PNG; "
                        + (PAGINATED_FORMATS.contains(format) ? "set paginated=true if this is a paginated report)" : "or a paginated report format with paginated=true)"));
            }
            if (!parameterValues.isEmpty() || !formatSettings.isEmpty()) {
                throw new IllegalArgumentException("parameterValues and formatSettings apply to paginated reports only "
                        + "(set paginated=true if this is one)");
            }
            if (bookmarkName != null && bookmarkState != null) {
                throw new IllegalArgumentException("give a bookmark name or a bookmark state, not both");
            }
            if (pages.size() > MAX_PAGES) {
                throw new IllegalArgumentException("pages: " + pages.size() + " pages or visuals requested; Power BI exports at most "
                        + MAX_PAGES + " per job");
            }
        }
    }

    /** The whole Power BI report in {@code format}. */
    public static ExportRequest report(String format) {
        return new ExportRequest(format, false, List.of(), null, null, null, null, Map.of(), Map.of());
    }

    /** A paginated report in {@code format} with parameters. */
    public static ExportRequest paginated(String format, Map<String, String> parameterValues) {
        return new ExportRequest(format, true, List.of(), null, null, null, null, parameterValues, Map.of());
    }

    /** The body of {@code POST .../ExportTo}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", format);
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

    /** The extension of the file this format produces, for when Power BI does not say. */
    String defaultExtension() {
        return switch (format) {
            case "ACCESSIBLEPDF" -> "pdf";
            case "IMAGE" -> "tiff";
            default -> format.toLowerCase(Locale.ROOT);
        };
    }
}
