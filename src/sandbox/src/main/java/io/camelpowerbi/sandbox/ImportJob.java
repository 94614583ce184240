package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One import (https://learn.microsoft.com/en-us/rest/api/power-bi/imports/post-import-in-group): {@code Publishing} until its duration has passed on the sandbox
 * clock, then {@code Succeeded} with the datasets and reports it created (they become visible in the workspace at
 * that moment) or {@code Failed} with an error.
 */
public final class ImportJob {

    private final String id = UUID.randomUUID().toString();
    private final String workspaceId;
    private final String name;
    private final String fileName;
    private final long fileSize;
    private final Instant created;
    private final Duration duration;
    private final List<Dataset> datasets;
    private final List<Report> reports;
    private final boolean fails;

    /** @param fails whether the import ends Failed (the reason is the caller's to log: the answer does not carry it) */
    ImportJob(
            String workspaceId,
            String name,
            String fileName,
            long fileSize,
            Instant created,
            Duration duration,
            List<Dataset> datasets,
            List<Report> reports,
            boolean fails) {
        this.workspaceId = workspaceId;
        this.name = name;
        this.fileName = fileName;
        this.fileSize = fileSize;
        this.created = created;
        this.duration = duration;
        this.datasets = List.copyOf(datasets);
        this.reports = List.copyOf(reports);
        this.fails = fails;
    }

    public String id() {
        return id;
    }

    public String workspaceId() {
        return workspaceId;
    }

    /** The display name (without the .pbix extension). */
    public String name() {
        return name;
    }

    /** The uploaded file's name as sent, and its size in bytes. */
    public String fileName() {
        return fileName;
    }

    public long fileSize() {
        return fileSize;
    }

    public List<Dataset> datasets() {
        return datasets;
    }

    public List<Report> reports() {
        return reports;
    }

    Instant completedAt() {
        return created.plus(duration);
    }

    /** {@code Publishing}, {@code Succeeded} or {@code Failed}. */
    public String importState(Instant now) {
        if (now.isBefore(completedAt())) {
            return "Publishing";
        }
        return fails ? "Failed" : "Succeeded";
    }

    ObjectNode toJson(Instant now, String origin) {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("importState", importState(now));
        json.put("createdDateTime", Json.time(created));
        json.put("updatedDateTime", Json.time(now.isBefore(completedAt()) ? created : completedAt()));
        json.put("name", name);
        json.put("connectionType", "import");
        json.put("source", "Upload");
        ArrayNode ds = json.putArray("datasets");
        ArrayNode rs = json.putArray("reports");
        String state = importState(now);
        if ("Succeeded".equals(state)) {
            String web = "https://app.powerbi.com/groups/" + workspaceId;
            for (Dataset d : datasets) {
                ds.addObject().put("id", d.id()).put("name", d.name()).put("webUrl", web + "/datasets/" + d.id());
            }
            for (Report r : reports) {
                rs.addObject()
                        .put("id", r.id())
                        .put("name", r.name())
                        .put("reportType", r.reportType())
                        .put("webUrl", web + "/reports/" + r.id())
                        .put(
                                "embedUrl",
                                "https://app.powerbi.com/reportEmbed?reportId=" + r.id() + "&groupId=" + workspaceId);
            }
        }
        // a Failed import says nothing more: Import documents no error property, and the service's failure details are
        // unverified
        return json;
    }

    @Override
    public String toString() {
        return "ImportJob[" + id + " '" + name + "']";
    }
}
