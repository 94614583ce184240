package io.camelpowerbi.push;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Percent-encodes one URL path segment: table names may hold spaces, '#', '@' and other characters. */
final class PathSegments {

    private PathSegments() {
    }

    static String encode(String segment) {
        // URLEncoder is for forms: '+' stands for a space there, not in a path
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
