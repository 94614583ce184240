package io.camelpowerbi.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Power BI keys of the configuration: limits, settings, seeded datasets, reports and canned queries. */
class ContentConfigTest {

    static final String WS = "4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f70";

    @Test
    void behaviourKeysAndSeededContentLoad(@TempDir Path dir) throws Exception {
        String yaml = """
                stateDir: %s
                limits: { timeScale: 60, fifoRows: 3, postRowsPerMinute: 10 }
                refreshes: { durationSeconds: 0.25, conflictStatus: 409 }
                exports: { redirectFileDownload: true }
                imports: { validateFiles: false }
                wrongCluster: true
                tenants:
                  - id: 6c1d9e8f-7a2b-4c3d-8e4f-5a6b7c8d9e0f
                    domain: contoso.onmicrosoft.com
                    workspaces:
                      - id: %s
                        name: Ops
                        isOnDedicatedCapacity: true
                        capacityId: 3e7a9c1b-2d4f-4a6e-8b0c-5d9f1e3a7c26
                        datasets:
                          - id: 11111111-2222-4333-8444-555555555555
                            name: Telemetry
                            push: true
                            defaultRetentionPolicy: basicfifo
                            tables:
                              - name: Events
                                columns: [ { name: At, dataType: datetime }, { name: Value, dataType: double } ]
                                rows:
                                  - { At: "2026-01-01T00:00:00Z", Value: 1.5 }
                                  - { At: "2026-01-02", Value: 2 }
                                  - { At: "01/03/2026", Value: 3 }
                                  - { At: "2026-01-04T00:00:00Z", Value: 4 }
                          - id: 66666666-7777-4888-8999-000000000000
                            name: Model
                            refreshSeconds: 0.05
                            refreshOutcome: Failed
                            refreshError: { errorCode: ModelRefresh_ShortMessage_ProcessingError, errorDescription: boom }
                            queries:
                              - query: "EVALUATE  {1}"
                                rows: [ { "[Value]": 1 } ]
                        reports:
                          - id: 12121212-3434-4565-8787-909090909090
                            name: Ops Report
                            datasetId: 66666666-7777-4888-8999-000000000000
                            pageCount: 3
                            exportTransientFailures: 2
                """.formatted(dir.resolve("state"), WS);
        SandboxConfig c = SandboxConfig.load(Files.writeString(dir.resolve("c.yaml"), yaml));
        assertEquals(60.0, c.limits().timeScale());
        assertEquals(3, c.limits().fifoRows());
        assertEquals(120, c.limits().executeQueriesPerMinute(), "unset limits keep their default");
        assertEquals(0.25, c.refreshes().durationSeconds());
        assertEquals(409, c.refreshes().conflictStatus());
        assertTrue(c.exports().redirectFileDownload());
        assertFalse(c.imports().validateFiles());
        assertTrue(c.wrongCluster());
        assertTrue(c.settings().wrongCluster());

        SandboxState state = SandboxState.from(c.effectiveTenants());
        Workspace ops = state.tenant("contoso.onmicrosoft.com")
                .orElseThrow()
                .workspace(WS)
                .orElseThrow();
        Dataset telemetry = ops.datasets().get(0);
        assertEquals(Dataset.BASIC_FIFO, telemetry.retentionPolicy());
        assertEquals(4, telemetry.table("events").orElseThrow().rowCount(), "seeds are not subject to the FIFO cap");
        assertEquals(
                "2026-01-03T00:00:00",
                telemetry.table("Events").orElseThrow().rows(3).get(2)[0]);
        Dataset model = ops.dataset("66666666-7777-4888-8999-000000000000").orElseThrow();
        assertFalse(model.isPush());
        assertEquals(Refresh.FAILED, model.refreshBehaviour().outcome());
        assertEquals(50, model.refreshBehaviour().duration().toMillis());
        assertEquals(
                "boom", model.refreshBehaviour().error().get("errorDescription").asText());
        assertTrue(model.cannedQuery("EVALUATE {1}").isPresent(), "whitespace is collapsed");
        Report report = ops.reports().get(0);
        assertEquals(3, report.pageCount());
        assertEquals(ExportJob.Outcome.TRANSIENT_FAILURE, report.nextExportOutcome());
        assertEquals(ExportJob.Outcome.TRANSIENT_FAILURE, report.nextExportOutcome());
        assertEquals(ExportJob.Outcome.SUCCEEDED, report.nextExportOutcome());

        // reset returns to the seeds
        telemetry.table("Events").orElseThrow().deleteRows();
        ops.resetContent();
        assertEquals(4, ops.datasets().get(0).table("Events").orElseThrow().rowCount());
    }

    @Test
    void invalidContentIsRefusedWithAClearMessage(@TempDir Path dir) {
        assertInvalid(dir, "limits: { timeScale: -1 }", "timeScale");
        assertInvalid(dir, "limits: { fifoRow: 3 }", "fifoRow");
        assertInvalid(dir, "refreshes: { conflictStatus: 500 }", "conflictStatus");
        assertInvalid(dir, workspace("datasets: [ { id: not-a-guid, name: X } ]"), "dataset id must be a GUID");
        assertInvalid(
                dir,
                workspace("datasets: [ { id: 11111111-2222-4333-8444-555555555555, name: X, tables: "
                        + "[ { name: T, columns: [ { name: c, dataType: Int32 } ] } ] } ]"),
                "Int32");
        assertInvalid(
                dir,
                workspace("datasets: [ { id: 11111111-2222-4333-8444-555555555555, name: X, "
                        + "refreshOutcome: Maybe } ]"),
                "refreshOutcome");
        assertInvalid(
                dir,
                workspace("reports: [ { id: 11111111-2222-4333-8444-555555555555, name: R, "
                        + "reportType: Dashboard } ]"),
                "reportType");
    }

    @Test
    void invalidSeedRowsStopTheStart(@TempDir Path dir) throws IOException {
        SandboxConfig c = SandboxConfig.load(Files.writeString(
                dir.resolve("rows.yaml"),
                workspace(
                        "datasets: [ { id: 11111111-2222-4333-8444-555555555555, name: X, push: true, tables: [ { name: T, "
                                + "columns: [ { name: n, dataType: Int64 } ], rows: [ { n: many } ] } ] } ]")));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SandboxState.from(c.effectiveTenants()));
        assertTrue(
                e.getMessage().contains("dataset X, table T") && e.getMessage().contains("many"), e.getMessage());
    }

    @Test
    void limitsAndSettingsMergeLikeTheControlEndpoints() {
        LimitsConfig limits = LimitsConfig.defaults().merge(Map.of("timeScale", 120, "enabled", false));
        assertEquals(120.0, limits.timeScale());
        assertFalse(limits.enabled());
        assertEquals(
                500_000_000L,
                LimitsConfig.defaults().with(LimitsConfig::timeScale, 120.0).windowNanos(60));
        assertThrows(IllegalArgumentException.class, () -> limits.merge(Map.of("rowsPerPost", 0)));
        ApiSettings settings = ApiSettings.defaults().merge(Map.of("exports", Map.of("maxPages", 5)));
        assertEquals(5, settings.exports().maxPages());
        assertEquals(1.5, settings.exports().durationSeconds());
        assertThrows(IllegalArgumentException.class, () -> settings.merge(Map.of("export", Map.of())));
    }

    static String workspace(String content) {
        return """
                tenants:
                  - id: 6c1d9e8f-7a2b-4c3d-8e4f-5a6b7c8d9e0f
                    domain: contoso.onmicrosoft.com
                    workspaces:
                      - id: %s
                        name: Ops
                        %s
                """.formatted(WS, content);
    }

    static void assertInvalid(Path dir, String yaml, String mentioned) {
        IOException e = assertThrows(
                IOException.class, () -> SandboxConfig.load(Files.writeString(dir.resolve("bad.yaml"), yaml)));
        assertTrue(e.getMessage().contains(mentioned), e.getMessage());
    }
}
