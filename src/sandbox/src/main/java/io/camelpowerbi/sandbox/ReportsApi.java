package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports and export to file (https://learn.microsoft.com/en-us/power-bi/developer/embedded/export-to, https://learn.microsoft.com/en-us/rest/api/power-bi/groups/get-groups): list and get; {@code ExportTo} with the
 * format checked against the report type, the page limit and the concurrent-export limit of the capacity; polling
 * ({@code 202} + {@code Retry-After} while running); the file ({@code 404} once expired).
 *
 * <p>guess: the status and body of every refusal here; the service documents the rules, not the answers.
 */
final class ReportsApi implements PowerBiApi.Module {

    private static final Logger LOG = LoggerFactory.getLogger(ReportsApi.class);
    static final Set<String> POWER_BI_FORMATS = Set.of("PDF", "PPTX", "PNG");
    static final Set<String> PAGINATED_FORMATS =
            Set.of("PDF", "ACCESSIBLEPDF", "PPTX", "IMAGE", "XLSX", "DOCX", "CSV", "XML", "MHTML");

    private PowerBiApi api;

    @Override
    public void register(Router router, PowerBiApi powerBiApi) {
        this.api = powerBiApi;
        String base = PowerBiApi.GROUP + "/reports";
        router.get(
                base,
                api.workspaceList(
                        "reports",
                        (w, caller) -> w.visibleReports(api.now()).stream().map(ReportsApi::toJson)));
        router.get(base + "/{reportId}", api.authenticated(this::get));
        router.post(base + "/{reportId}/ExportTo", api.authenticated(this::exportTo));
        router.get(base + "/{reportId}/exports/{exportId}", api.authenticated(this::poll));
        router.get(base + "/{reportId}/exports/{exportId}/file", api.authenticated(this::file));
    }

    private void get(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Report r = api.report(ex, w);
        ex.sendJson(200, PowerBiApi.odataEntity(ex, "groups/" + w.id() + "/reports", toJson(r)));
    }

    /** A {@code Report} as GET reports lists it; paginated reports have no {@code datasetId} (SW). */
    static ObjectNode toJson(Report r) {
        ObjectNode json = Json.object();
        json.put("id", r.id());
        json.put("reportType", r.reportType());
        json.put("name", r.name());
        String group = "https://app.powerbi.com/groups/" + r.workspaceId();
        if (r.isPaginated()) {
            json.put("webUrl", group + "/rdlreports/" + r.id());
            json.put("embedUrl", "https://app.powerbi.com/rdlEmbed?reportId=" + r.id() + "&groupId=" + r.workspaceId());
        } else {
            json.put("webUrl", group + "/reports/" + r.id());
            json.put(
                    "embedUrl",
                    "https://app.powerbi.com/reportEmbed?reportId=" + r.id() + "&groupId=" + r.workspaceId());
        }
        json.put("isOwnedByMe", true);
        if (r.datasetId() != null && !r.isPaginated()) {
            json.put("datasetId", r.datasetId());
        }
        json.putArray("users");
        json.putArray("subscriptions");
        return json;
    }

    // ------------------------------------------------------------------ export

    private void exportTo(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Report r = api.report(ex, w);
        JsonNode body = PowerBiApi.jsonBody(ex);
        if (body == null || !body.path("format").isTextual()) {
            throw DatasetsApi.bad("The export request needs a 'format'.");
        }
        String format = body.get("format").asText().toUpperCase(Locale.ROOT);
        Set<String> allowed = r.isPaginated() ? PAGINATED_FORMATS : POWER_BI_FORMATS;
        if (!allowed.contains(format)) {
            throw DatasetsApi.bad("Format '" + format + "' is not supported for a " + r.reportType() + "; use one of "
                    + allowed.stream().sorted().toList() + ".");
        }
        if (!w.isOnDedicatedCapacity()) {
            throw DatasetsApi.bad("Export to file needs the workspace on a Premium, Embedded or Fabric capacity.");
        }
        ApiSettings.Exports settings = api.settings().exports();
        int pages = r.isPaginated() ? 1 : r.pageCount();
        JsonNode requested = body.path("powerBIReportConfiguration").path("pages");
        if (!r.isPaginated() && requested.isArray() && !requested.isEmpty()) {
            pages = requested.size();
        }
        if (pages > settings.maxPages()) {
            throw DatasetsApi.bad("The export request has " + pages + " pages or visuals; at most "
                    + settings.maxPages() + " can be exported per request.");
        }
        ExportFiles.Kind kind = kind(format, pages, body);
        Instant now = api.now();
        LimitsConfig limits = api.limits();
        if (limits.enabled() && w.capacityId() != null) {
            throttleCapacity(caller, w.capacityId(), limits.exportsPerCapacity(), now);
        }
        ExportJob job = new ExportJob(
                r,
                format,
                kind,
                pages,
                now,
                ApiSettings.seconds(settings.durationSeconds()),
                Duration.ofMillis((long) (settings.fileValidityHours() * 3_600_000)),
                r.nextExportOutcome());
        r.addExport(job);
        LOG.info(
                "export {} of report {} '{}' to {} started ({} page(s), ends {})",
                job.id(),
                r.id(),
                r.name(),
                format,
                pages,
                job.outcome());
        ex.sendJson(202, job.toJson(now, fileUrl(ex, w, r, job)));
    }

    private static ExportFiles.Kind kind(String format, int pages, JsonNode body) {
        return switch (format) {
            case "PDF", "ACCESSIBLEPDF" -> ExportFiles.Kind.PDF;
            case "PPTX" -> ExportFiles.Kind.PPTX;
            case "PNG" -> pages > 1 ? ExportFiles.Kind.PNG_ZIP : ExportFiles.Kind.PNG;
            case "XLSX" -> ExportFiles.Kind.XLSX;
            case "DOCX" -> ExportFiles.Kind.DOCX;
            case "CSV" -> ExportFiles.Kind.CSV;
            case "XML" -> ExportFiles.Kind.XML;
            case "MHTML" -> ExportFiles.Kind.MHTML;
            case "IMAGE" -> {
                JsonNode settings = body.path("paginatedReportConfiguration").path("formatSettings");
                String output = "TIFF";
                for (var it = settings.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (e.getKey().equalsIgnoreCase("OutputFormat")) {
                        output = e.getValue().asText().toUpperCase(Locale.ROOT);
                    }
                }
                yield switch (output) {
                    case "TIFF", "TIF" -> ExportFiles.Kind.TIFF;
                    case "PNG" -> ExportFiles.Kind.PNG;
                    case "JPEG", "JPG" -> ExportFiles.Kind.JPEG;
                    case "GIF" -> ExportFiles.Kind.GIF;
                    case "BMP" -> ExportFiles.Kind.BMP;
                    default ->
                        throw DatasetsApi.bad("OutputFormat '" + output
                                + "' is not produced by the sandbox; use TIFF, PNG, JPEG, GIF or BMP.");
                };
            }
            default -> throw DatasetsApi.bad("Unsupported format " + format);
        };
    }

    /** 500 concurrent export jobs per capacity, then 429 (https://learn.microsoft.com/en-us/power-bi/developer/embedded/export-to); Retry-After until the first running job ends. */
    private static void throttleCapacity(Caller caller, String capacityId, int max, Instant now) {
        long running = 0;
        Instant firstEnd = null;
        for (Workspace ws : PowerBiApi.tenantWorkspaces(caller)) {
            if (!capacityId.equals(ws.capacityId())) {
                continue;
            }
            for (Report report : ws.reports()) {
                for (ExportJob job : report.exports()) {
                    if (!job.isDone(now)) {
                        running++;
                        firstEnd =
                                firstEnd == null || job.completedAt().isBefore(firstEnd) ? job.completedAt() : firstEnd;
                    }
                }
            }
        }
        if (running >= max) {
            long seconds = Math.max(1, (Duration.between(now, firstEnd).toMillis() + 999) / 1000);
            LOG.info(
                    "ExportTo throttled: {} exports running on capacity {}: 429, Retry-After {}",
                    running,
                    capacityId,
                    seconds);
            throw PowerBiError.tooManyRequests(seconds).exception();
        }
    }

    private void poll(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Report r = api.report(ex, w);
        ExportJob job = export(ex, r);
        Instant now = api.now();
        ApiSettings.Exports settings = api.settings().exports();
        String status = job.status(now);
        int code = 200;
        if (!job.isDone(now)) {
            ex.setResponseHeader("Retry-After", String.valueOf(settings.retryAfterSeconds()));
            code = 202;
        } else if ("Failed".equals(status) && job.outcome() == ExportJob.Outcome.TRANSIENT_FAILURE) {
            // export-to.md: Failed WITH Retry-After = the service was busy; retry the whole export after the delay
            ex.setResponseHeader("Retry-After", String.valueOf(settings.failedRetryAfterSeconds()));
        }
        ex.sendJson(code, job.toJson(now, fileUrl(ex, w, r, job)));
    }

    private void file(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        Report r = api.report(ex, w);
        ExportJob job = export(ex, r);
        Instant now = api.now();
        if (!"Succeeded".equals(job.status(now))) {
            // guess: asking for the file of an export that has not succeeded is a 400
            throw DatasetsApi.bad("Export " + job.id() + " is " + job.status(now) + "; its file is available once it "
                    + "has Succeeded.");
        }
        if (!now.isBefore(job.expirationTime())) {
            // guess: 404 once the file has expired
            throw PowerBiError.entityNotFound().exception();
        }
        if (api.settings().exports().redirectFileDownload()) {
            BlobStore.Blob blob = api.blobs().createDownload(job.file(), job.contentType(), job.expirationTime());
            ex.setResponseHeader("Location", BlobEndpoint.url(ex, api, blob));
            ex.sendEmpty(307);
            return;
        }
        ex.send(200, job.contentType(), job.file());
    }

    /** guess: an unknown export id answers 404 PowerBIEntityNotFound. */
    private static ExportJob export(SandboxExchange ex, Report r) {
        return r.export(ex.pathParam("exportId"))
                .orElseThrow(() -> PowerBiError.entityNotFound().exception());
    }

    static String fileUrl(SandboxExchange ex, Workspace w, Report r, ExportJob job) {
        // the id may hold '/' and '+': escaped, so the URL names this export's file and nothing else
        return ex.origin() + PowerBiApi.BASE_PATH + "/groups/" + w.id() + "/reports/" + r.id() + "/exports/"
                + URLEncoder.encode(job.id(), StandardCharsets.UTF_8).replace("+", "%20")
                + "/file";
    }
}
