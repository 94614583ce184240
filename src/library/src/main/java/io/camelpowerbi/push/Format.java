package io.camelpowerbi.push;

import java.util.Locale;

/** How a text body (file, stream, bytes, string) holds its rows. */
public enum Format {

    /** By file extension ({@code .csv}, {@code .json}, {@code .ndjson}, {@code .jsonl}), else by the first character. */
    AUTO,
    /** A JSON array of objects, or one or more objects one after another (pretty-printed or not). */
    JSON,
    /** One JSON object per line; a broken line is a rejected row and the next line is read on. */
    NDJSON,
    /** A header row naming the columns, then one row per line; ',' ';' or tab separated (taken from the header). */
    CSV;

    /** The format a file name implies, or {@link #AUTO} when the extension says nothing. */
    public static Format fromFileName(String fileName) {
        if (fileName == null) {
            return AUTO;
        }
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz") || name.endsWith(".zip")) {
            return AUTO; // compressed: the component must unpack it first; the first character will tell
        }
        if (name.endsWith(".csv") || name.endsWith(".tsv")) {
            return CSV;
        }
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            return NDJSON;
        }
        if (name.endsWith(".json")) {
            return JSON;
        }
        return AUTO;
    }
}
