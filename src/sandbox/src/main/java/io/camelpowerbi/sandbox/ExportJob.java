package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * One export-to-file job (https://learn.microsoft.com/en-us/power-bi/developer/embedded/export-to). Its state follows the sandbox clock: NotStarted for
 * the first fifth of its duration, then Running with {@code percentComplete} rising, then Succeeded (the file can be
 * fetched until {@code expirationTime}) or Failed, transiently (with {@code Retry-After}) or for good.
 */
public final class ExportJob {

    /** How the job ends. */
    public enum Outcome {
        SUCCEEDED,
        TRANSIENT_FAILURE,
        FAILED
    }

    private final String id;
    private final Report report;
    private final String reportName;
    private final String format;
    private final ExportFiles.Kind kind;
    private final int pages;
    private final Instant created;
    private final Duration duration;
    private final Duration validity;
    private final Outcome outcome;
    private volatile byte[] file;

    ExportJob(
            Report report,
            String format,
            ExportFiles.Kind kind,
            int pages,
            Instant created,
            Duration duration,
            Duration validity,
            Outcome outcome) {
        this.id = newId(report.id());
        this.report = report;
        this.reportName = report.name();
        this.format = format;
        this.kind = kind;
        this.pages = pages;
        this.created = created;
        this.duration = duration;
        this.validity = validity;
        this.outcome = outcome;
    }

    /**
     * guess: export ids in the live service are opaque base64 strings (SW example {@code "Mi9C5419i....PS4="}, base64
     * of {@code "2/B..."}). The sandbox encodes {@code 2/REPORT/EXPORT.1} and three bytes that come out as
     * {@code "++//"}, so every id holds '+' and '/' and a client that puts one in a path unescaped, or builds a URL
     * where it should follow {@code resourceLocation}, fails here as it could against the service.
     */
    private static String newId(String reportId) {
        String plain = "2/" + reportId.replace("-", "").toUpperCase(Locale.ROOT) + "/"
                + UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT) + ".1";
        byte[] text = plain.getBytes(StandardCharsets.US_ASCII); // 69 bytes: the marker starts on a base64 group
        byte[] id = Arrays.copyOf(text, text.length + 3);
        id[text.length] = (byte) 0xFB;
        id[text.length + 1] = (byte) 0xEF;
        id[text.length + 2] = (byte) 0xFF;
        return Base64.getEncoder().encodeToString(id);
    }

    public String id() {
        return id;
    }

    public Report report() {
        return report;
    }

    /** The requested format ({@code PDF}, {@code PNG}, ...). */
    public String format() {
        return format;
    }

    public int pages() {
        return pages;
    }

    public Outcome outcome() {
        return outcome;
    }

    public Instant createdAt() {
        return created;
    }

    Instant completedAt() {
        return created.plus(duration);
    }

    public Instant expirationTime() {
        return completedAt().plus(validity);
    }

    /** {@code NotStarted}, {@code Running}, {@code Succeeded} or {@code Failed}. */
    public String status(Instant now) {
        if (!now.isBefore(completedAt())) {
            return outcome == Outcome.SUCCEEDED ? "Succeeded" : "Failed";
        }
        return now.isBefore(created.plus(duration.dividedBy(5))) ? "NotStarted" : "Running";
    }

    public boolean isDone(Instant now) {
        return !now.isBefore(completedAt());
    }

    int percentComplete(Instant now) {
        if (isDone(now)) {
            return outcome == Outcome.SUCCEEDED ? 100 : 0;
        }
        long total = Math.max(1, duration.toMillis());
        long elapsed = Duration.between(created, now).toMillis();
        return (int) Math.max(0, Math.min(99, elapsed * 100 / total));
    }

    /** The file's extension: {@code .pdf}, {@code .pptx}, {@code .png}, {@code .zip} (several PNG pages), ... */
    public String fileExtension() {
        return kind.extension();
    }

    String contentType() {
        return kind.contentType();
    }

    /** The file, generated on first use. */
    byte[] file() {
        byte[] bytes = file;
        if (bytes == null) {
            bytes = ExportFiles.generate(kind, reportName, pages);
            file = bytes;
        }
        return bytes;
    }

    /** The {@code Export} body; {@code fileUrl} is the download URL for {@code resourceLocation}. */
    ObjectNode toJson(Instant now, String fileUrl) {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("createdDateTime", Json.time(created));
        String status = status(now);
        Instant lastAction =
                isDone(now) ? completedAt() : "Running".equals(status) ? created.plus(duration.dividedBy(5)) : created;
        json.put("lastActionDateTime", Json.time(lastAction));
        json.put("reportId", report.id());
        json.put("reportName", reportName);
        json.put("status", status);
        json.put("percentComplete", percentComplete(now));
        if ("Succeeded".equals(status)) {
            json.put("resourceLocation", fileUrl);
            json.put("resourceFileExtension", fileExtension());
            json.put("expirationTime", Json.time(expirationTime()));
        }
        // a Failed export says nothing more: Export documents no error property, and the service's failure details
        // are undocumented
        return json;
    }

    @Override
    public String toString() {
        return "ExportJob[" + id + " " + format + " of " + report.name() + "]";
    }
}
