package io.camelpowerbi.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelpowerbi.client.Idempotency;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiDownload;
import io.camelpowerbi.client.PowerBiRequest;
import io.camelpowerbi.client.PowerBiResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports a report to a file with Power BI's asynchronous export API: start the job, poll it (as often as its
 * {@code Retry-After} says), then stream the file. A job that fails <em>with</em> a {@code Retry-After} failed because
 * Power BI was busy and is started again; one that fails without it failed for good.
 *
 * <p>Not the same as downloading a report's .pbix ({@code GET .../reports/{r}/Export}), which this class does not do.
 */
public final class ExportOperations {

    private static final Logger LOG = LoggerFactory.getLogger(ExportOperations.class);
    private static final Set<String> PENDING = Set.of("NotStarted", "Running", "Undefined");

    private final PowerBiClient client;
    private final Poller poller;

    public ExportOperations(PowerBiClient client) {
        this(client, Poller.SYSTEM);
    }

    public ExportOperations(PowerBiClient client, Poller poller) {
        this.client = Objects.requireNonNull(client, "client");
        this.poller = Objects.requireNonNull(poller, "poller");
    }

    /**
     * Exports and opens the file. The caller must close the returned {@link ExportedFile}.
     *
     * @throws ExportFailedException      when the job fails for good (or still fails after {@code maxRestarts})
     * @throws OperationTimeoutException when the file is not ready within {@code options.timeout()}
     */
    public ExportedFile export(String groupId, String reportId, ExportRequest request, ExportWaitOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        Poller.Deadline deadline = poller.deadline(options.timeout());
        String report = Api.report(groupId, reportId);
        int restarts = 0;
        while (true) {
            // Sent again after a lost answer: a second job only renders the same report once more (capacity, nothing
            // in the tenant changes) and Power BI has no call that lists export jobs to look one up by.
            PowerBiResponse last = client.send(PowerBiRequest.json(
                            "POST", report + "/ExportTo", Map.of(), Api.bytes(request.toJson()), "report " + reportId)
                    .with(Idempotency.IDEMPOTENT));
            JsonNode job = last.json();
            String exportId = Api.text(job, "id");
            if (exportId == null) {
                throw new ExportFailedException(
                        "Power BI accepted the export of report " + reportId + " but sent no job id [RequestId "
                                + last.requestId() + "]",
                        null,
                        null);
            }
            LOG.info("export {} of report {} to {} started", exportId, reportId, request.format());
            String status = Api.text(job, "status");
            while (status == null || PENDING.contains(status)) {
                Poller.checkInterrupted();
                if (poller.expired(deadline)) {
                    throw new OperationTimeoutException(
                            "export " + exportId + " of report " + reportId + " to " + request.format()
                                    + " did not finish within " + options.timeout() + "; last status " + status + " ("
                                    + job.path("percentComplete").asInt(0)
                                    + "% done). Power BI keeps the job; raise the timeout for large reports.",
                            exportId,
                            status,
                            options.timeout());
                }
                Duration retryAfter = last.retryAfter(poller.sleeper().now());
                // "Retry-After: 0" would turn this into a busy loop; the poll interval applies then.
                poller.pause(
                        retryAfter != null && !retryAfter.isZero() ? retryAfter : options.pollInterval(), deadline);
                last = client.send(
                        PowerBiRequest.get(report + "/exports/" + Api.seg(exportId), Map.of(), "export " + exportId));
                job = last.json();
                status = Api.text(job, "status");
                LOG.debug(
                        "export {}: {} {}%",
                        exportId, status, job.path("percentComplete").asInt(0));
            }
            if ("Succeeded".equals(status)) {
                return download(report, exportId, job, request);
            }
            String error = error(job);
            Duration retryAfter = last.retryAfter(poller.sleeper().now());
            if ("Failed".equals(status) && retryAfter != null && restarts < options.maxRestarts()) {
                restarts++;
                LOG.info(
                        "export {} of report {} failed with Retry-After {} s (Power BI busy{}); restart {} of {}",
                        exportId,
                        reportId,
                        retryAfter.toSeconds(),
                        error == null ? "" : ": " + error,
                        restarts,
                        options.maxRestarts());
                poller.pause(retryAfter, deadline);
                if (poller.expired(deadline)) {
                    throw new OperationTimeoutException(
                            "export of report " + reportId + " failed while Power BI was busy and the "
                                    + options.timeout() + " timeout ran out before it could be restarted"
                                    + (error == null ? "" : ": " + error),
                            exportId,
                            status,
                            options.timeout());
                }
                continue;
            }
            StringBuilder sb = new StringBuilder("export ")
                    .append(exportId)
                    .append(" of report ")
                    .append(reportId)
                    .append(" to ")
                    .append(request.format())
                    .append(" ended ")
                    .append(status);
            if (error != null) {
                sb.append(": ").append(error);
            }
            if (retryAfter != null) {
                sb.append(" (Power BI was busy; ")
                        .append(restarts)
                        .append(" restarts were used, maxRestarts is ")
                        .append(options.maxRestarts())
                        .append(')');
            }
            sb.append(
                    ". Fix: the workspace must be on Premium, Embedded or Fabric capacity; the tenant settings must allow exporting "
                            + "to this format (PNG is off by default); R and Python visuals, uncertified custom visuals and reports with a "
                            + "sensitivity label (for service principals) cannot be exported.");
            throw new ExportFailedException(sb.toString(), exportId, errorCode(job));
        }
    }

    private ExportedFile download(String report, String exportId, JsonNode job, ExportRequest request) {
        // The file is where Power BI says it is: the id is base64 and may hold '/', so a path built from it can differ
        // from the service's own; the documented path (id escaped) is only the fallback for an answer without it.
        String location = Api.text(job, "resourceLocation");
        PowerBiDownload file = client.open(PowerBiRequest.download(
                location != null ? location : report + "/exports/" + Api.seg(exportId) + "/file",
                "file of export " + exportId));
        // SW spells it ResourceFileExtension, its example and the service resourceFileExtension.
        String extension = Api.text(job, "resourceFileExtension", "ResourceFileExtension");
        String fileName = FileNames.safe(
                Api.text(job, "reportName"),
                extension,
                "export-" + exportId.replaceAll("[^A-Za-z0-9_-]", "_"),
                request.format().extension());
        long size = -1;
        String length = file.header("Content-Length");
        if (length != null) {
            try {
                size = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                size = -1;
            }
        }
        LOG.info("export {} ready as {}", exportId, fileName);
        return new ExportedFile(exportId, fileName, file.header("Content-Type"), size, file.body(), file);
    }

    private static String error(JsonNode job) {
        JsonNode error = job.get("error");
        if (error == null || error.isNull()) {
            return null;
        }
        if (!error.isObject()) {
            return error.asText();
        }
        String code = Api.text(error, "code");
        String message = Api.text(error, "message", "details");
        return code == null ? message : message == null ? code : code + ": " + message;
    }

    private static String errorCode(JsonNode job) {
        JsonNode error = job.get("error");
        return error != null && error.isObject() ? Api.text(error, "code") : null;
    }
}
