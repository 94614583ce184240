package io.camelpowerbi.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Power BI workspace (group) of a tenant. Members are app client ids (the sandbox's simplification of
 * "service principal added as Member or Admin"). Holds the workspace's datasets, reports and imports; those an import
 * creates become visible only when it has published them.
 */
public final class Workspace {

    private final String id;
    private final String tenantId;
    private volatile String name;
    private volatile boolean onDedicatedCapacity;
    private volatile String capacityId;
    private final Set<String> members = ConcurrentHashMap.newKeySet();
    private volatile SandboxConfig.WorkspaceConfig config;
    private volatile String type = "Workspace";
    private volatile String state = "Active";
    private volatile Instant lastModified = Instant.now();
    // insertion order: listings show items in the order they were seeded or created
    private final Map<String, Dataset> datasets = new LinkedHashMap<>();
    private final Map<String, Report> reports = new LinkedHashMap<>();
    private final Map<String, ImportJob> imports = new LinkedHashMap<>();
    private final Map<String, Dataflow> dataflows = new LinkedHashMap<>();
    /**
     * Principals given access through the users API, by lower-case identifier (e-mail, or object id of a group or app),
     * each a {@code GroupUser}; a member app without an entry here is an Admin.
     */
    private final Map<String, com.fasterxml.jackson.databind.node.ObjectNode> users = new LinkedHashMap<>();

    Workspace(String id, String tenantId, String name, boolean onDedicatedCapacity, String capacityId) {
        this.id = id.toLowerCase(Locale.ROOT);
        this.tenantId = tenantId;
        this.name = name;
        this.onDedicatedCapacity = onDedicatedCapacity;
        this.capacityId = capacityId;
    }

    public String id() {
        return id;
    }

    public String tenantId() {
        return tenantId;
    }

    public String name() {
        return name;
    }

    public void setName(String value) {
        name = value;
    }

    public boolean isOnDedicatedCapacity() {
        return onDedicatedCapacity;
    }

    public void setOnDedicatedCapacity(boolean value) {
        onDedicatedCapacity = value;
    }

    public String capacityId() {
        return capacityId;
    }

    public void setCapacityId(String value) {
        capacityId = value;
    }

    public boolean isReadOnly() {
        return false;
    }

    public Set<String> members() {
        return Set.copyOf(members);
    }

    public boolean isMember(String clientId) {
        return clientId != null && members.contains(clientId.toLowerCase(Locale.ROOT));
    }

    public void addMember(String clientId) {
        members.add(clientId.toLowerCase(Locale.ROOT));
    }

    public void removeMember(String clientId) {
        members.remove(clientId.toLowerCase(Locale.ROOT));
    }

    /** {@code Workspace} or {@code PersonalGroup} (admin APIs). */
    public String type() {
        return type;
    }

    public void setType(String value) {
        type = value;
    }

    /** {@code Active}, {@code Deleted}, {@code Removing} or {@code Orphaned} (admin APIs). */
    public String state() {
        return state;
    }

    public void setState(String value) {
        state = value;
    }

    /** When the workspace or its content last changed (GET admin/workspaces/modified). */
    public Instant lastModified() {
        return lastModified;
    }

    /** Marks the workspace modified at {@code when} (API calls that change content do this). */
    public void touch(Instant when) {
        lastModified = when;
    }

    @Override
    public String toString() {
        return "Workspace[" + id + " '" + name + "']";
    }

    // ------------------------------------------------------------------ content

    /** Seeds datasets and reports from the configuration (also what {@link #resetContent()} returns to). */
    synchronized void seed(SandboxConfig.WorkspaceConfig workspaceConfig) {
        this.config = workspaceConfig;
        Instant now = Instant.now();
        for (SandboxConfig.DatasetConfig d : workspaceConfig.datasets()) {
            addDataset(Dataset.fromConfig(d, id, now));
        }
        for (SandboxConfig.ReportConfig r : workspaceConfig.reports()) {
            addReport(Report.fromConfig(r, id));
        }
        for (SandboxConfig.DataflowConfig f : workspaceConfig.dataflows()) {
            Dataflow dataflow = new Dataflow(f, id);
            dataflows.put(dataflow.id(), dataflow);
        }
    }

    /** Drops every dataset, report and import, rows and refresh history included, and seeds the configured ones again. */
    public synchronized void resetContent() {
        datasets.clear();
        reports.clear();
        imports.clear();
        users.clear();
        dataflows.clear();
        if (config != null) {
            seed(config);
        }
    }

    /** The dataflows, in their order. */
    public synchronized List<Dataflow> dataflows() {
        return List.copyOf(dataflows.values());
    }

    public synchronized Optional<Dataflow> dataflow(String dataflowId) {
        return Optional.ofNullable(dataflowId == null ? null : dataflows.get(dataflowId.toLowerCase(Locale.ROOT)));
    }

    /** The principals given access through the users API (the entries themselves: change them under this lock). */
    synchronized Map<String, com.fasterxml.jackson.databind.node.ObjectNode> users() {
        return users;
    }

    /** Adds a dataset; an id used already is an {@link IllegalArgumentException}. */
    public synchronized Dataset addDataset(Dataset dataset) {
        if (datasets.putIfAbsent(dataset.id(), dataset) != null) {
            throw new IllegalArgumentException("dataset " + dataset.id() + " exists already in " + this);
        }
        return dataset;
    }

    public synchronized boolean removeDataset(String datasetId) {
        return datasetId != null && datasets.remove(datasetId.toLowerCase(Locale.ROOT)) != null;
    }

    /** Every dataset, including those an import has not published yet. */
    public synchronized List<Dataset> datasets() {
        return new ArrayList<>(datasets.values());
    }

    /** The dataset with this id (published or not). */
    public synchronized Optional<Dataset> dataset(String datasetId) {
        return datasetId == null
                ? Optional.empty()
                : Optional.ofNullable(datasets.get(datasetId.toLowerCase(Locale.ROOT)));
    }

    /** Datasets visible to the API at {@code now}. */
    List<Dataset> visibleDatasets(Instant now) {
        return datasets().stream().filter(d -> d.isVisible(now)).toList();
    }

    Optional<Dataset> visibleDataset(String datasetId, Instant now) {
        return dataset(datasetId).filter(d -> d.isVisible(now));
    }

    public synchronized Report addReport(Report report) {
        if (reports.putIfAbsent(report.id(), report) != null) {
            throw new IllegalArgumentException("report " + report.id() + " exists already in " + this);
        }
        return report;
    }

    public synchronized List<Report> reports() {
        return new ArrayList<>(reports.values());
    }

    public synchronized Optional<Report> report(String reportId) {
        return reportId == null
                ? Optional.empty()
                : Optional.ofNullable(reports.get(reportId.toLowerCase(Locale.ROOT)));
    }

    List<Report> visibleReports(Instant now) {
        return reports().stream().filter(r -> r.isVisible(now)).toList();
    }

    Optional<Report> visibleReport(String reportId, Instant now) {
        return report(reportId).filter(r -> r.isVisible(now));
    }

    synchronized void addImport(ImportJob job) {
        imports.put(job.id(), job);
    }

    public synchronized List<ImportJob> imports() {
        return new ArrayList<>(imports.values());
    }

    public synchronized Optional<ImportJob> importJob(String importId) {
        return importId == null
                ? Optional.empty()
                : Optional.ofNullable(imports.get(importId.toLowerCase(Locale.ROOT)));
    }
}
