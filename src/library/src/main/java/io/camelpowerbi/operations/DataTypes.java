package io.camelpowerbi.operations;

import java.util.Locale;
import java.util.Map;

/**
 * The column types a push dataset accepts. Power BI matches them case-insensitively and takes {@code bool} for
 * {@code Boolean} (its own swagger example writes {@code "string"}, {@code "bool"}, {@code "DateTime"}); we send one
 * canonical spelling and compare canonical spellings, so "datetime" in a file equals "DateTime" in Power BI.
 */
public final class DataTypes {

    public static final String KNOWN = "Int64, Double, Decimal, Boolean (or bool), DateTime, String";

    private static final Map<String, String> CANONICAL = Map.of(
            "int64", "Int64",
            "double", "Double",
            "decimal", "Decimal",
            "boolean", "Boolean",
            "bool", "Boolean",
            "datetime", "DateTime",
            "string", "String");

    private DataTypes() {}

    /** The canonical name, or null when Power BI does not know the type. */
    public static String canonical(String dataType) {
        return dataType == null ? null : CANONICAL.get(dataType.trim().toLowerCase(Locale.ROOT));
    }

    /** Whether two spellings name the same type; unknown spellings compare as written, ignoring case. */
    public static boolean same(String a, String b) {
        String ca = canonical(a);
        String cb = canonical(b);
        if (ca != null && cb != null) {
            return ca.equals(cb);
        }
        return a != null && a.equalsIgnoreCase(b);
    }
}
