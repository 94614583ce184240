package io.camelpowerbi.operations;

import java.util.Locale;
import java.util.Set;

/** The file format of an export ({@code FileFormat} of {@code ExportTo}). */
public enum ExportFormat {
    PDF,
    PPTX,
    PNG,
    IMAGE,
    XLSX,
    DOCX,
    CSV,
    XML,
    MHTML,
    ACCESSIBLEPDF;

    /** What a Power BI report exports to. */
    public static final Set<ExportFormat> REPORT = Set.of(PDF, PPTX, PNG);
    /** What a paginated (RDL) report exports to. */
    public static final Set<ExportFormat> PAGINATED =
            Set.of(IMAGE, XLSX, DOCX, CSV, XML, MHTML, ACCESSIBLEPDF, PDF, PPTX);

    /** The extension of the file this format produces, for when Power BI does not say. */
    public String extension() {
        return switch (this) {
            case ACCESSIBLEPDF -> "pdf";
            case IMAGE -> "tiff";
            default -> name().toLowerCase(Locale.ROOT);
        };
    }
}
