package io.camelpowerbi.operations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.client.PathSegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers shared by the operations: path building and JSON reading. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private Api() {}

    /** Encodes one path segment (see {@link PathSegment}). */
    static String seg(String value) {
        return PathSegment.encode(value);
    }

    /** {@code /groups/{g}}. */
    static String group(String groupId) {
        return "/groups/" + seg(groupId);
    }

    /** {@code /groups/{g}/datasets/{d}}. */
    static String dataset(String groupId, String datasetId) {
        return group(groupId) + "/datasets/" + seg(datasetId);
    }

    /** {@code /groups/{g}/reports/{r}}. */
    static String report(String groupId, String reportId) {
        return group(groupId) + "/reports/" + seg(reportId);
    }

    static byte[] bytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The {@code value} array of an OData list; {@code odata.context} and friends are dropped with the wrapper. */
    static List<Map<String, Object>> values(JsonNode body) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode n : body.path("value")) {
            out.add(map(n));
        }
        return out;
    }

    static Map<String, Object> map(JsonNode node) {
        if (node == null || !node.isObject()) {
            return new LinkedHashMap<>();
        }
        Map<String, Object> map = JSON.convertValue(node, MAP);
        map.keySet().removeIf(k -> k.startsWith("@odata.") || k.startsWith("odata."));
        return map;
    }

    /** A field's text, or null when absent, null or empty. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        String s = v.isValueNode() ? v.asText() : v.toString();
        return s.isEmpty() ? null : s;
    }

    /** The first of several spellings of a field (Power BI is not consistent about capitals). */
    static String text(JsonNode node, String... fields) {
        for (String f : fields) {
            String v = text(node, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new InvalidOptionException(name, "must be longer than zero, was " + d, "give a positive duration");
        }
    }

    static String first(String s, int max) {
        if (s == null) {
            return null;
        }
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
