package io.camelpowerbi.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code extraWorkspaces: N}: N generated workspaces in a tenant, for scanner scale tests. Ids are derived from the
 * index (stable across restarts); each holds an imported dataset with one table and a report bound to it; nobody is a
 * member. Every tenth is a personal workspace ({@code PersonalGroup}), every twenty-fifth is {@code Deleted}; their
 * modification times are spread over the seven days before the sandbox started.
 */
final class ExtraWorkspaces {

    private ExtraWorkspaces() {}

    static String id(int index, String what) {
        return UUID.nameUUIDFromBytes(("sandbox-extra-" + what + "-" + index).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    static void create(Tenant tenant, int count, Instant now) {
        for (int i = 1; i <= count; i++) {
            String datasetId = id(i, "dataset");
            boolean personal = i % 10 == 0;
            String name = personal
                    ? "PersonalWorkspace user" + String.format(Locale.ROOT, "%04d", i)
                    : String.format(Locale.ROOT, "Workspace %04d", i);
            var table = Json.object();
            table.put("name", "Facts");
            var columns = table.putArray("columns");
            columns.addObject().put("name", "Id").put("dataType", "Int64");
            columns.addObject().put("name", "Label").put("dataType", "String");
            columns.addObject().put("name", "Amount").put("dataType", "Decimal");
            SandboxConfig.DatasetConfig dataset = new SandboxConfig.DatasetConfig(
                    datasetId,
                    "Model " + i,
                    false,
                    null,
                    null,
                    List.of(table),
                    List.of(),
                    null,
                    null,
                    null,
                    List.of(),
                    List.of());
            SandboxConfig.ReportConfig report =
                    SandboxConfig.ReportConfig.powerBi(id(i, "report"), "Report " + i, datasetId);
            Workspace w = tenant.addWorkspace(new SandboxConfig.WorkspaceConfig(
                    id(i, "workspace"),
                    name,
                    List.of(),
                    i % 3 == 0,
                    i % 3 == 0 ? Sandbox.DEV_CAPACITY_ID : null,
                    List.of(dataset),
                    List.of(report)));
            if (personal) {
                w.setType("PersonalGroup");
            }
            if (i % 25 == 0) {
                w.setState("Deleted");
            }
            w.touch(now.minus(Duration.ofMinutes(31 + (long) i * 7 * 24 * 60 / (count + 1))));
        }
    }
}
