package io.camelpowerbi.component;

import io.camelpowerbi.InvalidOptionException;

/**
 * Values taken from headers and options that end up in a request line, a URL or a log line: names, ids and paths. A
 * line break or other control character in one could forge a header or a log line, so it is refused, and shown with
 * its control characters escaped.
 */
final class SingleLine {

    private static final int SHOWN = 80;

    private SingleLine() {}

    /**
     * @return {@code value}, when it holds no control character (null passes)
     * @throws InvalidOptionException naming {@code source} and the position of the first control character
     */
    static String require(String value, String source) {
        if (value != null) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                    throw new InvalidOptionException(
                            source,
                            show(value) + " holds a line break or another control" + " character (at position "
                                    + (i + 1) + ")",
                            "names, ids and paths are one line of text:" + " remove it");
                }
            }
        }
        return value;
    }

    /** The value quoted, control characters escaped (\r, \n, \t, \\uXXXX) and cut short: safe in a message or a log line. */
    static String show(String value) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < value.length() && sb.length() <= SHOWN; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append(sb.length() > SHOWN ? "...'" : "'").toString();
    }
}
