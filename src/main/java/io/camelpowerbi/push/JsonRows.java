package io.camelpowerbi.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads one JSON object into a row map, token by token, keeping numbers exact. Shared by JSON and NDJSON. */
final class JsonRows {

    /**
     * NaN and Infinity literals are let through so that the row is rejected with the column's reason ("NaN is not
     * supported ... send null") instead of the whole input failing as malformed JSON.
     */
    static final JsonFactory FACTORY = JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private JsonRows() {
    }

    /** The parser stands on START_OBJECT; reads through the matching END_OBJECT. */
    static Map<String, Object> readObject(JsonParser p) throws IOException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            row.put(name, value(p, p.nextToken()));
        }
        return row;
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue(); // Integer, Long or BigInteger, whichever holds it
            // BigDecimal, not double: a Decimal column must see 1234567890.1234 exactly as written
            case VALUE_NUMBER_FLOAT -> p.isNaN() ? (Object) p.getDoubleValue() : p.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case VALUE_EMBEDDED_OBJECT -> p.getEmbeddedObject();
            // nested values are kept so the column can reject them with a reason
            case START_OBJECT, START_ARRAY -> MAPPER.readValue(p, Object.class);
            default -> throw new IOException("unexpected " + t + " in an object");
        };
    }

    /** What a JSON element is, for "element is a number, not an object". */
    static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> String.valueOf(t);
        };
    }
}
