package io.camelpowerbi.operations;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes a file name out of what Power BI says about an export (the report's name and the file's extension). Both come
 * from the API, and a route typically writes the file with {@code file:} under that name, so they are treated as hostile:
 * the result is a single, plain path element that cannot leave the target directory, hide itself, or trip Windows.
 */
public final class FileNames {

    /**
     * Longest name produced, in UTF-8 bytes: file systems allow 255 bytes (not characters: 150 × 'é' is 300 bytes), and
     * the rest is room for what tools add to a name (Camel's {@code .camelLock}, a {@code .tmp}, a counter).
     */
    public static final int MAX_BYTES = 200;

    /** Control characters, Unicode format characters (bidi overrides that disguise an extension) and line/paragraph separators. */
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");
    /** Characters Windows forbids in names; '/' and '\' are handled before as separators. */
    private static final Pattern WINDOWS_FORBIDDEN = Pattern.compile("[<>:\"|?*]");

    private static final Pattern EXTENSION = Pattern.compile("[^A-Za-z0-9]");
    private static final Set<String> RESERVED = Set.of(
            "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1",
            "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "CONIN$", "CONOUT$");

    private FileNames() {}

    /**
     * A safe file name {@code base.ext}.
     *
     * @param name      the wanted base name (e.g. the report's name); may be anything, or null
     * @param extension the wanted extension, with or without its dot; may be anything, or null
     * @param fallback  the base name to use when nothing of {@code name} survives (sanitised too)
     * @param defaultExtension used when nothing of {@code extension} survives
     */
    public static String safe(String name, String extension, String fallback, String defaultExtension) {
        String ext = extension(extension);
        if (ext.isEmpty()) {
            ext = extension(defaultExtension);
        }
        String base = base(name, ext);
        if (base.isEmpty()) {
            base = base(fallback, ext);
        }
        if (base.isEmpty()) {
            base = "export";
        }
        int room = MAX_BYTES - (ext.isEmpty() ? 0 : ext.length() + 1); // the extension is ASCII: a byte a character
        base = truncate(base, room);
        return ext.isEmpty() ? base : base + "." + ext;
    }

    /** Letters and digits only, at most 10 of them: ".pdf", "PDF", "../x/pdf" all become a plain extension. */
    static String extension(String extension) {
        if (extension == null) {
            return "";
        }
        String e = extension;
        int sep = Math.max(e.lastIndexOf('/'), e.lastIndexOf('\\'));
        e = e.substring(sep + 1);
        int dot = e.lastIndexOf('.');
        e = e.substring(dot + 1);
        e = EXTENSION.matcher(e).replaceAll("").toLowerCase(Locale.ROOT);
        return e.length() > 10 ? e.substring(0, 10) : e;
    }

    private static String base(String name, String ext) {
        if (name == null) {
            return "";
        }
        String s = Normalizer.normalize(name, Normalizer.Form.NFC);
        s = INVISIBLE.matcher(s).replaceAll("");
        // Keep only the last path element: no directory part survives, whichever separator it used.
        int sep = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        s = s.substring(sep + 1);
        s = WINDOWS_FORBIDDEN.matcher(s).replaceAll("_");
        while (s.contains("..")) {
            s = s.replace("..", ".");
        }
        // No leading dots (hidden files, "." and ".."), no trailing dots or spaces (Windows drops them silently).
        s = s.strip();
        s = s.replaceAll("^[.\\s]+", "").replaceAll("[.\\s]+$", "");
        // A report named "Sales.pdf" exported as PDF should not become "Sales.pdf.pdf".
        if (!ext.isEmpty() && s.toLowerCase(Locale.ROOT).endsWith("." + ext)) {
            s = s.substring(0, s.length() - ext.length() - 1).replaceAll("[.\\s]+$", "");
        }
        String stem = s.contains(".") ? s.substring(0, s.indexOf('.')) : s;
        if (RESERVED.contains(stem.strip().toUpperCase(Locale.ROOT))) {
            s = "_" + s;
        }
        return s;
    }

    /**
     * Cuts to at most {@code maxBytes} UTF-8 bytes, at a character boundary (never half a surrogate pair), and without
     * leaving a trailing dot or space.
     */
    private static String truncate(String s, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < s.length()) {
            int cp = s.codePointAt(end);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                return s.substring(0, end).replaceAll("[.\\s]+$", "");
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return s;
    }
}
