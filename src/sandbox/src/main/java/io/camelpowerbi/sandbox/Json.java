package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The sandbox's shared Jackson mappers (thread-safe once configured). */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", java.util.Locale.ROOT)
            .withZone(java.time.ZoneOffset.UTC);

    /** A timestamp as Power BI writes them: {@code 2017-06-13T09:25:43.153Z}. */
    static String time(java.time.Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    /**
     * {@code base} (a record) with the keys of the JSON object {@code patch} replaced, nested objects merged key by key,
     * read back as {@code type}; a null value keeps the default. Unknown keys and invalid values are an
     * {@link IllegalArgumentException} naming them ({@code what} prefixes their path; empty at the top of a file).
     */
    static <T> T merge(Object base, JsonNode patch, Class<T> type, String what) {
        if (patch == null || !patch.isObject()) {
            throw new IllegalArgumentException(
                    (what.isEmpty() ? "the configuration" : what) + " must be a JSON object");
        }
        ObjectNode merged = MAPPER.valueToTree(base);
        mergeInto(merged, patch, what);
        try {
            return MAPPER.treeToValue(merged, type);
        } catch (JsonProcessingException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            String message =
                    cause instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : cause.getMessage();
            String where = e instanceof JsonMappingException jme ? path(what, jme.getPath()) : what;
            throw new IllegalArgumentException((where.isEmpty() ? "" : "invalid " + where + ": ") + message, e);
        }
    }

    private static void mergeInto(ObjectNode target, JsonNode patch, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JsonNode current = target.get(e.getKey());
            if (!target.has(e.getKey())) {
                throw new IllegalArgumentException("unknown key '" + key + "'");
            }
            if (e.getValue().isNull()) {
                continue;
            }
            if (current != null && current.isObject() && e.getValue().isObject()) {
                mergeInto((ObjectNode) current, e.getValue(), key);
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    /** {@code limits.rowsPerPost} or {@code tenants[0].apps[1]}: where in the document a mapping failed. */
    private static String path(String root, List<JsonMappingException.Reference> references) {
        StringBuilder result = new StringBuilder(root);
        for (JsonMappingException.Reference r : references) {
            if (r.getFieldName() != null) {
                result.append(result.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                result.append('[').append(r.getIndex()).append(']');
            }
        }
        return result.toString();
    }
}
