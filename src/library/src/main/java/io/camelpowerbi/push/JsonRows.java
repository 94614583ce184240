package io.camelpowerbi.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one JSON object into a row map, token by token, keeping numbers exact. Shared by JSON and NDJSON. A row larger
 * than {@link RowSource#MAX_ROW_CHARS} or with more than {@link RowSource#MAX_FIELDS} fields is skipped to its end as
 * it is read, never held whole; a single string longer than the row limit is refused by the parser itself.
 */
final class JsonRows {

    /**
     * NaN and Infinity literals are let through so that the row is rejected with the column's reason ("NaN is not
     * supported ... send null") instead of the whole input failing as malformed JSON.
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(RowSource.MAX_ROW_CHARS)
                    .build())
            .build();

    static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private JsonRows() {}

    /**
     * The parser stands on START_OBJECT; reads through the matching END_OBJECT.
     *
     * @return the row, or null when it was over the limits (see {@link #tooLarge()}): the parser then stands on its
     *         END_OBJECT all the same
     */
    static Map<String, Object> readObject(JsonParser p) throws IOException {
        JsonStreamContext outside = p.getParsingContext().getParent();
        long start = p.currentTokenLocation().getCharOffset();
        try {
            return object(p, start);
        } catch (TooLarge e) {
            while (p.getParsingContext() != outside && p.nextToken() != null) {
                // skip to the row's end: strings skipped are not even read into memory
            }
            return null;
        }
    }

    private static Map<String, Object> object(JsonParser p, long start) throws IOException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            if (row.size() >= RowSource.MAX_FIELDS) {
                throw TooLarge.INSTANCE;
            }
            String name = p.currentName();
            row.put(name, value(p, p.nextToken(), start));
        }
        return row;
    }

    private static Object value(JsonParser p, JsonToken t, long start) throws IOException {
        if (p.currentLocation().getCharOffset() - start > RowSource.MAX_ROW_CHARS) {
            throw TooLarge.INSTANCE;
        }
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
            case START_OBJECT -> object(p, start);
            case START_ARRAY -> array(p, start);
            default -> throw new IOException("unexpected " + t + " in an object");
        };
    }

    private static List<Object> array(JsonParser p, long start) throws IOException {
        List<Object> list = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (list.size() >= RowSource.MAX_FIELDS) {
                throw TooLarge.INSTANCE;
            }
            list.add(value(p, t, start));
        }
        return list;
    }

    /** Why {@link #readObject} returned null, for a rejected row. */
    static String tooLarge() {
        return String.format(
                Locale.ROOT,
                "it is larger than a row may be (more than %,d characters or %,d values; a "
                        + "Power BI table holds at most 75 columns of 4,000 characters)",
                RowSource.MAX_ROW_CHARS,
                RowSource.MAX_FIELDS);
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

    /** The row is over the limits: unwinds the reading of it. */
    private static final class TooLarge extends RuntimeException {
        static final TooLarge INSTANCE = new TooLarge();

        private TooLarge() {
            super(null, null, false, false);
        }
    }
}
