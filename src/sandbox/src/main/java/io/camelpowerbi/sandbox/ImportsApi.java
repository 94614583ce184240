package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports (https://learn.microsoft.com/en-us/rest/api/power-bi/imports/post-import-in-group): {@code POST imports} with a multipart file or JSON
 * {@code {"fileUrl"}} of a temporary upload location, {@code GET imports[/{id}]}, and
 * {@code POST imports/createTemporaryUploadLocation}. Name conflicts follow the documented modes; the answers to
 * Overwrite without a match (404 DuplicatePackageNotFoundError, PowerBI-Cli #9) and with several (409
 * MoreThanOneDuplicatePackageFoundError, PowerBI-Cli #72) are the ones users reported.
 */
final class ImportsApi implements PowerBiApi.Module {

    private static final Logger LOG = LoggerFactory.getLogger(ImportsApi.class);
    private static final List<String> CONFLICT_MODES =
            List.of("Ignore", "Abort", "Overwrite", "CreateOrOverwrite", "GenerateUniqueName");

    private PowerBiApi api;

    /** What was uploaded: its name (may be null), size and first bytes. */
    private record Upload(String fileName, long size, byte[] head) {}

    @Override
    public void register(Router router, PowerBiApi powerBiApi) {
        this.api = powerBiApi;
        String base = PowerBiApi.GROUP + "/imports";
        router.post(base, api.authenticated(this::create));
        router.get(base, api.authenticated(this::list));
        router.get(base + "/{importId}", api.authenticated(this::get));
        router.post(base + "/createTemporaryUploadLocation", api.authenticated(this::uploadLocation));
    }

    private void create(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        String displayName = ex.query("datasetDisplayName");
        if (displayName == null || displayName.isBlank()) {
            // pbi-cli #6: the backend requires datasetDisplayName; guess: the answer's body
            throw DatasetsApi.bad("datasetDisplayName is required.");
        }
        String conflict = conflictMode(ex.query("nameConflict"));
        String skipReport = ex.query("skipReport");
        if (skipReport != null && !skipReport.equalsIgnoreCase("true")) {
            throw DatasetsApi.bad("skipReport must be true when given.");
        }
        Upload upload = upload(ex);
        String fileName = upload.fileName() != null ? upload.fileName() : displayName;
        String kind = kind(fileName, displayName);
        if (kind.equals("json")) {
            throw DatasetsApi.bad("Service principals cannot import dataflows (model.json).");
        }
        if (kind.equals("rdl")) {
            if (!displayName.toLowerCase(Locale.ROOT).endsWith(".rdl")) {
                throw DatasetsApi.bad("For an .rdl file, datasetDisplayName must include the .rdl extension.");
            }
            if (!conflict.equals("Abort") && !conflict.equals("Overwrite")) {
                throw DatasetsApi.bad("For an .rdl file, nameConflict must be Abort or Overwrite.");
            }
        } else if (skipReport != null && !kind.equals("pbix")) {
            throw DatasetsApi.bad("skipReport applies to .pbix files only.");
        }
        String name = stripExtension(displayName);
        Instant now = api.now();
        Duration duration = ApiSettings.seconds(api.settings().imports().durationSeconds());
        Instant done = now.plus(duration);

        List<Dataset> datasets = new ArrayList<>();
        List<Report> reports = new ArrayList<>();
        String failure = validate(kind, upload);
        synchronized (w) {
            List<Object> existing = new ArrayList<>(
                    kind.equals("rdl")
                            ? w.visibleReports(now).stream()
                                    .filter(r -> r.isPaginated() && r.name().equalsIgnoreCase(name))
                                    .toList()
                            : w.visibleDatasets(now).stream()
                                    .filter(d -> !d.isPush() && d.name().equalsIgnoreCase(name))
                                    .toList());
            boolean overwrite = switch (conflict) {
                case "Abort" -> {
                    if (!existing.isEmpty()) {
                        // msft-extensions #479: 400 for Abort with an existing name; guess: the code
                        throw new PowerBiError(400, PowerBiError.pbiError("DuplicatePackageFoundError"), null)
                                .exception();
                    }
                    yield false;
                }
                case "Overwrite", "CreateOrOverwrite" -> {
                    if (existing.size() > 1) {
                        throw new PowerBiError(
                                        409, PowerBiError.pbiError("MoreThanOneDuplicatePackageFoundError"), null)
                                .exception();
                    }
                    if (existing.isEmpty() && conflict.equals("Overwrite")) {
                        ObjectNode body = PowerBiError.pbiError("DuplicatePackageNotFoundError");
                        ObjectNode pbi = (ObjectNode) body.get("error").get("pbi.error");
                        pbi.remove("exceptionCulprit");
                        pbi.putObject("parameters").putNull("DuplicatePackagesFullMatch");
                        throw new PowerBiError(404, body, null).exception();
                    }
                    yield !existing.isEmpty();
                }
                default -> false;
            };
            String finalName = conflict.equals("GenerateUniqueName") ? uniqueName(w, name, kind, now) : name;
            if (failure == null) {
                if (overwrite) {
                    collectOverwritten(w, existing, datasets, reports);
                } else {
                    create(w, caller, kind, finalName, skipReport != null, done, datasets, reports);
                }
            }
            ImportJob job = new ImportJob(
                    w.id(), finalName, fileName, upload.size(), now, duration, datasets, reports, failure != null);
            w.addImport(job);
            LOG.info(
                    "import {} of '{}' ({} bytes, {}) into {} started: {}",
                    job.id(),
                    fileName,
                    upload.size(),
                    conflict,
                    w,
                    failure == null
                            ? (overwrite ? "overwrites" : "creates") + " " + datasets.size() + " dataset(s), "
                                    + reports.size() + " report(s)"
                            : "will fail: " + failure);
            ObjectNode body = Json.object();
            body.put("id", job.id());
            ex.sendJson(202, body);
        }
    }

    private static String conflictMode(String value) {
        if (value == null) {
            return "Ignore";
        }
        for (String mode : CONFLICT_MODES) {
            if (mode.equalsIgnoreCase(value.trim())) {
                return mode;
            }
        }
        throw DatasetsApi.bad("nameConflict must be one of " + CONFLICT_MODES + ".");
    }

    /** The uploaded file: the file part of a multipart body, or the committed blob a JSON {@code fileUrl} names. */
    private Upload upload(SandboxExchange ex) throws IOException {
        String contentType = ex.header("Content-Type");
        String boundary = Multipart.boundary(contentType);
        if (boundary != null) {
            List<Multipart.Part> parts;
            try (InputStream in = ex.bodyStream()) {
                parts = Multipart.scan(in, boundary);
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IllegalArgumentException e) {
                throw DatasetsApi.bad("The multipart body is malformed: " + e.getMessage());
            }
            Multipart.Part file = parts.stream()
                    .filter(p -> p.filename() != null)
                    .findFirst()
                    .orElse(parts.isEmpty() ? null : parts.get(0));
            if (file == null) {
                throw DatasetsApi.bad("The multipart body has no file.");
            }
            return new Upload(file.filename(), file.size(), file.head());
        }
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            JsonNode body = PowerBiApi.jsonBody(ex);
            if (body == null || !body.isObject()) {
                throw DatasetsApi.bad("The import request must be a JSON object with 'fileUrl'.");
            }
            if (body.has("filePath")
                    || "connect".equalsIgnoreCase(body.path("connectionType").asText())) {
                throw DatasetsApi.bad("Service principals cannot import files from OneDrive for Business.");
            }
            String fileUrl = body.path("fileUrl").asText(null);
            if (fileUrl == null) {
                throw DatasetsApi.bad("The import request needs 'fileUrl' (from createTemporaryUploadLocation).");
            }
            BlobStore.Blob blob = blobOf(fileUrl);
            if (blob == null || blob.size() < 0) {
                // guess: a fileUrl that names no uploaded file is refused at once
                throw DatasetsApi.bad("fileUrl does not name an uploaded file of a temporary upload location.");
            }
            return new Upload(null, blob.size(), blob.head());
        }
        throw DatasetsApi.bad("Send the file as multipart/form-data, or JSON {\"fileUrl\": ...} after uploading it to "
                + "a temporary upload location.");
    }

    private BlobStore.Blob blobOf(String fileUrl) {
        try {
            String path = URI.create(fileUrl).getPath();
            String prefix = BlobEndpoint.PATH;
            if (path == null || !path.startsWith(prefix)) {
                return null;
            }
            return api.blobs().get(path.substring(prefix.length())).orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code pbix}, {@code xlsx}, {@code rdl} or {@code json} by the file's (else the display name's) extension. */
    private static String kind(String fileName, String displayName) {
        for (String n : new String[] {fileName, displayName}) {
            String lower = n.toLowerCase(Locale.ROOT);
            for (String ext : List.of("pbix", "xlsx", "rdl", "json")) {
                if (lower.endsWith("." + ext)) {
                    return ext;
                }
            }
        }
        return "pbix";
    }

    private static String stripExtension(String displayName) {
        String lower = displayName.toLowerCase(Locale.ROOT);
        for (String ext : List.of(".pbix", ".xlsx", ".rdl")) {
            if (lower.endsWith(ext)) {
                return displayName.substring(0, displayName.length() - ext.length());
            }
        }
        return displayName;
    }

    /**
     * guess ({@code imports.validateFiles}): a .pbix or .xlsx that is not a zip, an .rdl that is not XML or an empty
     * file makes the import end Failed; the service's error details are unverified.
     */
    /** Why the import will fail, or null when it succeeds. */
    private String validate(String kind, Upload upload) {
        if (upload.size() == 0) {
            return "the uploaded file is empty";
        }
        if (!api.settings().imports().validateFiles()) {
            return null;
        }
        byte[] head = upload.head();
        if ((kind.equals("pbix") || kind.equals("xlsx"))
                && !(head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)) {
            return "the uploaded file is not a valid ." + kind + " package (not a zip archive)";
        }
        if (kind.equals("rdl")) {
            String text = new String(head, StandardCharsets.UTF_8)
                    .replace("\uFEFF", "")
                    .trim();
            if (!text.startsWith("<")) {
                return "the uploaded .rdl file is not XML";
            }
        }
        return null;
    }

    private static void collectOverwritten(
            Workspace w, List<Object> existing, List<Dataset> datasets, List<Report> reports) {
        for (Object o : existing) {
            if (o instanceof Dataset d) {
                datasets.add(d);
                w.reports().stream().filter(r -> d.id().equals(r.datasetId())).forEach(reports::add);
            } else if (o instanceof Report r) {
                reports.add(r);
            }
        }
    }

    private static void create(
            Workspace w,
            Caller caller,
            String kind,
            String name,
            boolean skipReport,
            Instant done,
            List<Dataset> datasets,
            List<Report> reports) {
        if (kind.equals("rdl")) {
            Report r =
                    new Report(UUID.randomUUID().toString(), w.id(), name, null, Report.PAGINATED_REPORT, 1, 0, null);
            r.setAvailableAt(done);
            reports.add(w.addReport(r));
            return;
        }
        Dataset d = new Dataset(UUID.randomUUID().toString(), w.id(), name, false, null, null, caller.appId(), done);
        d.setAvailableAt(done);
        datasets.add(w.addDataset(d));
        if (!skipReport) {
            Report r =
                    new Report(UUID.randomUUID().toString(), w.id(), name, d.id(), Report.POWER_BI_REPORT, 1, 0, null);
            r.setAvailableAt(done);
            reports.add(w.addReport(r));
        }
    }

    /** guess: GenerateUniqueName appends " (2)", " (3)", ... to a name in use. */
    private static String uniqueName(Workspace w, String name, String kind, Instant now) {
        List<String> taken = new ArrayList<>();
        w.datasets().forEach(d -> taken.add(d.name().toLowerCase(Locale.ROOT)));
        if (kind.equals("rdl")) {
            w.reports().forEach(r -> taken.add(r.name().toLowerCase(Locale.ROOT)));
        }
        if (!taken.contains(name.toLowerCase(Locale.ROOT))) {
            return name;
        }
        for (int i = 2; ; i++) {
            String candidate = name + " (" + i + ")";
            if (!taken.contains(candidate.toLowerCase(Locale.ROOT))) {
                return candidate;
            }
        }
    }

    private void list(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        ObjectNode body = Json.object();
        body.put("@odata.context", PowerBiApi.odataContext(ex, "groups/" + w.id() + "/imports"));
        ArrayNode value = body.putArray("value");
        Instant now = api.now();
        w.imports().forEach(i -> value.add(i.toJson(now, ex.origin())));
        ex.sendJson(200, body);
    }

    private void get(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        ImportJob job = w.importJob(ex.pathParam("importId"))
                .orElseThrow(() -> PowerBiError.entityNotFound().exception());
        ex.sendJson(200, job.toJson(api.now(), ex.origin()));
    }

    /**
     * {@code POST imports/createTemporaryUploadLocation}: a SAS URL of the sandbox's blob store. guess: refused with 400
     * outside a dedicated capacity (large-file imports are Premium-only, https://learn.microsoft.com/en-us/rest/api/power-bi/imports/post-import-in-group).
     */
    private void uploadLocation(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        if (!w.isOnDedicatedCapacity()) {
            throw DatasetsApi.bad("Temporary upload locations (large files) need the workspace on a Premium capacity.");
        }
        Instant expires = api.now()
                .plus(Duration.ofMillis((long) (api.settings().imports().uploadLocationValidityHours() * 3_600_000)));
        BlobStore.Blob blob = api.blobs().createUpload(expires);
        ObjectNode body = Json.object();
        body.put("Url", BlobEndpoint.url(ex, api, blob));
        body.put("ExpirationTime", Json.time(expires));
        LOG.info("temporary upload location {} created for {}", blob.id, w);
        ex.sendJson(200, body);
    }
}
