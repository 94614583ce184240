package io.camelpowerbi.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A report of a workspace: a Power BI report bound to a dataset, or a paginated (RDL) report without one. Holds its
 * export jobs and how they end: the first {@code transientFailures} exports fail with {@code Retry-After} (the service
 * was busy), and {@code exportOutcome: Failed} makes every export fail for good.
 */
public final class Report {

    public static final String POWER_BI_REPORT = "PowerBIReport";
    public static final String PAGINATED_REPORT = "PaginatedReport";

    private final String id;
    private final String workspaceId;
    private volatile String name;
    private volatile String datasetId;
    private final String reportType;
    private final int pageCount;
    private volatile Instant availableAt;
    private int transientFailuresLeft;
    private String exportOutcome;
    private final Map<String, ExportJob> exports = new LinkedHashMap<>();

    Report(
            String id,
            String workspaceId,
            String name,
            String datasetId,
            String reportType,
            int pageCount,
            int transientFailures,
            String exportOutcome) {
        this.id = id.toLowerCase(Locale.ROOT);
        this.workspaceId = workspaceId;
        this.name = name;
        this.datasetId = datasetId == null ? null : datasetId.toLowerCase(Locale.ROOT);
        this.reportType = reportType;
        this.pageCount = pageCount;
        this.transientFailuresLeft = transientFailures;
        this.exportOutcome = exportOutcome == null ? "Succeeded" : exportOutcome;
    }

    static Report fromConfig(SandboxConfig.ReportConfig c, String workspaceId) {
        return new Report(
                c.id(),
                workspaceId,
                c.name(),
                c.datasetId(),
                c.reportType(),
                c.pageCount(),
                c.exportTransientFailures(),
                c.exportOutcome());
    }

    public String id() {
        return id;
    }

    public String workspaceId() {
        return workspaceId;
    }

    public String name() {
        return name;
    }

    void setName(String value) {
        name = value;
    }

    /** The bound dataset; null for paginated reports. */
    public String datasetId() {
        return datasetId;
    }

    void setDatasetId(String value) {
        datasetId = value;
    }

    /** {@code PowerBIReport} or {@code PaginatedReport}. */
    public String reportType() {
        return reportType;
    }

    public boolean isPaginated() {
        return PAGINATED_REPORT.equals(reportType);
    }

    public int pageCount() {
        return pageCount;
    }

    Instant availableAt() {
        return availableAt;
    }

    void setAvailableAt(Instant value) {
        availableAt = value;
    }

    boolean isVisible(Instant now) {
        Instant at = availableAt;
        return at == null || !now.isBefore(at);
    }

    /**
     * How the next exports end: the first {@code transientFailures} fail with {@code Retry-After}, then each ends with
     * {@code outcome} ({@code Succeeded} or {@code Failed}, a permanent failure).
     */
    public synchronized void setExportBehaviour(int transientFailures, String outcome) {
        if (transientFailures < 0) {
            throw new IllegalArgumentException("transientFailures must not be negative");
        }
        if (outcome != null && !outcome.equals("Succeeded") && !outcome.equals("Failed")) {
            throw new IllegalArgumentException("export outcome must be Succeeded or Failed: " + outcome);
        }
        transientFailuresLeft = transientFailures;
        if (outcome != null) {
            exportOutcome = outcome;
        }
    }

    /** The outcome for a new export job, consuming one transient failure if any are left. */
    synchronized ExportJob.Outcome nextExportOutcome() {
        if (transientFailuresLeft > 0) {
            transientFailuresLeft--;
            return ExportJob.Outcome.TRANSIENT_FAILURE;
        }
        return "Failed".equals(exportOutcome) ? ExportJob.Outcome.FAILED : ExportJob.Outcome.SUCCEEDED;
    }

    synchronized void addExport(ExportJob job) {
        exports.put(job.id(), job);
    }

    public synchronized Optional<ExportJob> export(String exportId) {
        return Optional.ofNullable(exports.get(exportId));
    }

    /** Export jobs, oldest first. */
    public synchronized List<ExportJob> exports() {
        return new ArrayList<>(exports.values());
    }

    @Override
    public String toString() {
        return "Report[" + id + " '" + name + "' " + reportType + "]";
    }
}
