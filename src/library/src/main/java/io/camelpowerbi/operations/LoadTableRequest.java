package io.camelpowerbi.operations;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A Load Table request (Fabric's {@code LoadTableRequest}): a file, or a folder (a path ending with {@code /}) of files
 * with the format's extension, below {@code Files/} of the lakehouse, loaded into a table in {@code mode}. CSV files are
 * read with {@code header} and {@code delimiter}.
 *
 * @param relativePath {@code Files/...}; a trailing {@code /} makes it a folder
 * @param mode         Append or Overwrite
 * @param format       CSV or PARQUET (AUTO: by the file's extension; a folder needs one of the two)
 * @param header       CSV: the first line names the columns
 * @param delimiter    CSV: the field separator, one character
 * @param recursive    folder: its sub-folders too
 */
public record LoadTableRequest(
        String relativePath, LoadMode mode, LoadFormat format, boolean header, String delimiter, boolean recursive) {

    public LoadTableRequest {
        Objects.requireNonNull(relativePath, "relativePath");
        mode = mode == null ? LoadMode.Append : mode;
        format = format == null ? LoadFormat.AUTO : format;
        delimiter = delimiter == null || delimiter.isEmpty() ? "," : delimiter;
    }

    /** A CSV file with a header line, comma separated, as loadRows writes them. */
    public static LoadTableRequest csvFile(String relativePath, LoadMode mode) {
        return new LoadTableRequest(relativePath, mode, LoadFormat.CSV, true, ",", false);
    }

    public boolean folder() {
        return relativePath.endsWith("/");
    }

    /** The body Fabric takes. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        String path = folder() ? relativePath.substring(0, relativePath.length() - 1) : relativePath;
        LoadFormat resolved = format.of(path);
        json.put("relativePath", path);
        json.put("pathType", folder() ? "Folder" : "File");
        if (folder()) {
            json.put("fileExtension", resolved.name().toLowerCase(Locale.ROOT));
            json.put("recursive", recursive);
        }
        json.put("mode", mode.name());
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("format", resolved.wireName());
        if (resolved == LoadFormat.CSV) {
            options.put("header", header);
            options.put("delimiter", delimiter);
        }
        json.put("formatOptions", options);
        return json;
    }
}
