package io.camelpowerbi.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
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

    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000};

    private final Map<String, SerializableString> names = new HashMap<>();
    /** Room for a sign, 18 digits and a point. */
    private final char[] digits = new char[24];

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

    /**
     * A Decimal of at most 18 digits and 0 to 4 places, as nearly all are, written from its digits:
     * {@code toPlainString} builds several strings per value, a fifth of a push's serialising in profiles.
     */
    private void writeDecimal(JsonGenerator g, BigDecimal bd) throws IOException {
        int scale = bd.scale();
        if (scale < 0 || scale >= POWERS_OF_TEN.length || bd.precision() > 18) {
            g.writeNumber(bd);
            return;
        }
        long unscaled = bd.unscaledValue().longValue();
        int at = 0;
        if (unscaled < 0) {
            digits[at++] = '-';
            unscaled = -unscaled;
        }
        if (scale == 0) {
            at = NumberOutput.outputLong(unscaled, digits, at);
        } else {
            long power = POWERS_OF_TEN[scale];
            at = NumberOutput.outputLong(unscaled / power, digits, at);
            digits[at++] = '.';
            long fraction = unscaled % power;
            for (int i = at + scale - 1; i >= at; i--) {
                digits[i] = (char) ('0' + fraction % 10);
                fraction /= 10;
            }
            at += scale;
        }
        g.writeNumber(digits, 0, at);
    }

    private void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Long || v instanceof Integer) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof BigDecimal bd) {
            writeDecimal(g, bd);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof BigInteger bi) {
            g.writeNumber(bi);
        } else {
            g.writeString(v.toString());
        }
    }
}
