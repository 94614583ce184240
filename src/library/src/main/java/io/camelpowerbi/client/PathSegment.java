package io.camelpowerbi.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Percent-encodes one segment of a Power BI path. Every id and name that goes into a path passes through here: table
 * names come from users and may hold spaces, '#', '?' or '/', and ids come from Power BI (export ids are base64 with
 * '/', '+' and '='; scan ids are documented as strings, not GUIDs), so none is trusted to be path-safe.
 */
public final class PathSegment {

    private PathSegment() {}

    /**
     * @throws IllegalArgumentException when {@code value} is empty (the path would lose a segment)
     */
    public static String encode(String value) {
        Objects.requireNonNull(value, "path segment");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("an id or name used in a Power BI path is empty");
        }
        // URLEncoder is for forms: '+' means a space there, not in a path; it leaves '*' alone, which some servers
        // treat
        // as a wildcard.
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A");
        // A segment of dots only would be read as "this" or "parent" directory; elsewhere '.' is an ordinary character.
        return encoded.chars().allMatch(c -> c == '.') ? encoded.replace(".", "%2E") : encoded;
    }
}
