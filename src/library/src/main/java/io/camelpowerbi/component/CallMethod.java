package io.camelpowerbi.component;

import io.camelpowerbi.InvalidOptionException;
import java.util.Locale;

/**
 * The HTTP methods the {@code call} operation sends: the ones the Power BI REST API uses. Anything else is refused
 * before a request is made: {@code TRACE} would be retried as if the network failed, and a method with a line break
 * would rewrite the request line sent with the bearer token.
 */
public enum CallMethod {
    GET,
    POST,
    PUT,
    PATCH,
    DELETE;

    /**
     * @param value  a method name, any case, or a {@code CallMethod}
     * @param source where it came from, for the message (the header or option name)
     * @throws InvalidOptionException naming the source, showing the value (line breaks escaped) and the methods allowed
     */
    public static CallMethod parse(Object value, String source) {
        if (value instanceof CallMethod m) {
            return m;
        }
        String text = value == null ? "" : value.toString().trim();
        for (CallMethod m : values()) {
            if (m.name().equals(text.toUpperCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new InvalidOptionException(
                source,
                SingleLine.show(text) + " is not an HTTP method the call operation" + " sends",
                "use GET, POST, PUT, PATCH or DELETE");
    }
}
