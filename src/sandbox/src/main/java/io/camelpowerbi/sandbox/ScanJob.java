package io.camelpowerbi.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One scanner request ({@code POST admin/workspaces/getInfo}, https://learn.microsoft.com/en-us/power-bi/enterprise/service-admin-metadata-scanning): {@code NotStarted} for the
 * first third of its duration, then {@code Running}, then {@code Succeeded} (sandbox clock). Its result can be fetched
 * from success until {@code resultValidity} later.
 */
public final class ScanJob {

    /** The query options of getInfo. */
    public record Options(
            boolean lineage,
            boolean datasourceDetails,
            boolean datasetSchema,
            boolean datasetExpressions,
            boolean getArtifactUsers) {}

    private final String id;
    private final String tenantId;
    private final Instant createdAt;
    private final Duration duration;
    private final Duration resultValidity;
    private final List<String> workspaceIds;
    private final Options options;

    ScanJob(
            String id,
            String tenantId,
            Instant createdAt,
            Duration duration,
            Duration resultValidity,
            List<String> workspaceIds,
            Options options) {
        this.id = id;
        this.tenantId = tenantId;
        this.createdAt = createdAt;
        this.duration = duration;
        this.resultValidity = resultValidity;
        this.workspaceIds = List.copyOf(workspaceIds);
        this.options = options;
    }

    public String id() {
        return id;
    }

    public String tenantId() {
        return tenantId;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public List<String> workspaceIds() {
        return workspaceIds;
    }

    public Options options() {
        return options;
    }

    public Instant succeededAt() {
        return createdAt.plus(duration);
    }

    /** {@code NotStarted}, {@code Running} or {@code Succeeded} at {@code now}. */
    public String status(Instant now) {
        if (!now.isBefore(succeededAt())) {
            return "Succeeded";
        }
        return now.isBefore(createdAt.plus(duration.dividedBy(3))) ? "NotStarted" : "Running";
    }

    public boolean inFlight(Instant now) {
        return now.isBefore(succeededAt());
    }

    /** True once the result is gone (resultValidity after success). */
    public boolean expired(Instant now) {
        return !now.isBefore(succeededAt().plus(resultValidity));
    }
}
