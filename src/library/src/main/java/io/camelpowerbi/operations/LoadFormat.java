package io.camelpowerbi.operations;

import java.util.Locale;

/** The format of the file or folder Fabric's Load Table reads ({@code formatOptions.format}). */
public enum LoadFormat {
    /** By the file's extension: {@code .parquet} is Parquet, anything else CSV. */
    AUTO,
    CSV,
    PARQUET;

    /** This format for {@code path}: AUTO decided by its extension. */
    public LoadFormat of(String path) {
        if (this != AUTO) {
            return this;
        }
        return path != null && path.toLowerCase(Locale.ROOT).endsWith(".parquet") ? PARQUET : CSV;
    }

    /** The name Fabric's API uses: {@code Csv} or {@code Parquet}. */
    String wireName() {
        return this == PARQUET ? "Parquet" : "Csv";
    }
}
