package io.camelpowerbi.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes checked rows as the JSON objects of a POST rows body, straight to bytes: field names are encoded once per
 * column, values as their column type coerced them. Not thread-safe: one per writer of batches.
 */
final class RowWriter {

    // a Decimal goes out as 1234.5678, never 1.2345678E+3, so Power BI reads the digits that were checked
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private final Map<String, SerializableString> names = new HashMap<>();
    private String[] lastNames;
    private SerializableString[] lastSerialized;

    /** A generator over {@code out}, for {@link #write(JsonGenerator, ValidRow)}. */
    static JsonGenerator generator(OutputStream out) throws IOException {
        return JSON.createGenerator(out);
    }

    /** Writes {@code row} as one JSON object. */
    void write(JsonGenerator g, ValidRow row) throws IOException {
        g.writeStartObject();
        if (row.values() instanceof FieldRow fields) {
            SerializableString[] serialized = serialized(fields.names);
            for (int i = 0; i < serialized.length; i++) {
                g.writeFieldName(serialized[i]);
                writeValue(g, fields.values[i]);
            }
        } else {
            for (Map.Entry<String, Object> field : row.values().entrySet()) {
                g.writeFieldName(names.computeIfAbsent(field.getKey(), SerializedString::new));
                writeValue(g, field.getValue());
            }
        }
        g.writeEndObject();
    }

    /** The field names of rows that share one names array, encoded once. */
    private SerializableString[] serialized(String[] fieldNames) {
        if (fieldNames != lastNames) {
            lastSerialized = new SerializableString[fieldNames.length];
            for (int i = 0; i < fieldNames.length; i++) {
                lastSerialized[i] = names.computeIfAbsent(fieldNames[i], SerializedString::new);
            }
            lastNames = fieldNames;
        }
        return lastSerialized;
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Long || v instanceof Integer) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof BigDecimal bd) {
            g.writeNumber(bd);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof BigInteger bi) {
            g.writeNumber(bi);
        } else {
            g.writeString(v.toString());
        }
    }
}
