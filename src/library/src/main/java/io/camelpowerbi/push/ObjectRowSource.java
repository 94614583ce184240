package io.camelpowerbi.push;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * Rows that are already objects: a List, an Iterator, a Stream. A Map is a row; a JSON object text is parsed into one
 * (a List of JSON strings is common after a Camel split); a bean is turned into a map by Jackson; anything else is a
 * rejected row.
 */
final class ObjectRowSource implements RowSource {

    private final Iterator<?> rows;
    private final long total;
    private final AutoCloseable onClose;
    private long read;

    /** @param total the number of rows when known, else -1 */
    ObjectRowSource(Iterator<?> rows, long total, AutoCloseable onClose) {
        this.rows = rows;
        this.total = total;
        this.onClose = onClose;
    }

    @Override
    public boolean hasNext() {
        try {
            return rows.hasNext();
        } catch (RuntimeException e) {
            throw new RowSourceException(read + 1, "the row iterator failed after row " + read + ": " + e, e);
        }
    }

    @Override
    public RawRow next() {
        Object element;
        try {
            element = rows.next();
        } catch (NoSuchElementException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RowSourceException(read + 1, "the row iterator failed after row " + read + ": " + e, e);
        }
        read++;
        return toRow(read, element);
    }

    @SuppressWarnings("unchecked")
    private static RawRow toRow(long n, Object element) {
        if (element instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                if (!(key instanceof String)) {
                    Map<String, Object> copy = new LinkedHashMap<>();
                    map.forEach((k, v) -> copy.put(String.valueOf(k), v));
                    return RawRow.of(n, copy);
                }
            }
            return RawRow.of(n, (Map<String, Object>) map);
        }
        if (element == null) {
            return RawRow.broken(n, "row " + n + " is null, not a map of column names to values");
        }
        if (element instanceof CharSequence text) {
            return parseObject(n, text.toString());
        }
        if (element instanceof Number
                || element instanceof Boolean
                || element instanceof Character
                || element instanceof Iterable
                || element.getClass().isArray()) {
            return RawRow.broken(
                    n,
                    "row " + n + " is a " + element.getClass().getSimpleName() + ", not a map of column "
                            + "names to values: send a Map (or a JSON object) per row");
        }
        try {
            return RawRow.of(n, JsonRows.MAPPER.convertValue(element, Map.class));
        } catch (IllegalArgumentException e) {
            return RawRow.broken(
                    n,
                    "row " + n + " is a " + element.getClass().getSimpleName() + " that cannot be turned "
                            + "into column values ("
                            + e.getMessage().lines().findFirst().orElse("") + "): send a Map per row");
        }
    }

    private static RawRow parseObject(long n, String text) {
        try (JsonParser p = JsonRows.FACTORY.createParser(text)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                Map<String, Object> row = JsonRows.readObject(p);
                if (row == null) {
                    return RawRow.broken(n, "row " + n + " is not read: " + JsonRows.tooLarge());
                }
                if (p.nextToken() == null) {
                    return RawRow.of(n, row);
                }
            }
        } catch (JsonProcessingException e) {
            return RawRow.broken(
                    n,
                    "row " + n + " is text that is not a JSON object (" + e.getOriginalMessage()
                            + "): send a Map or a {\"Column\": value} object per row");
        } catch (IOException e) {
            return RawRow.broken(n, "row " + n + " cannot be read: " + e.getMessage());
        }
        return RawRow.broken(
                n, "row " + n + " is text, not a JSON object: send a Map or a {\"Column\": value} object per row");
    }

    @Override
    public long rowsRead() {
        return read;
    }

    @Override
    public OptionalLong knownTotal() {
        return total >= 0 ? OptionalLong.of(total) : OptionalLong.empty();
    }

    @Override
    public void close() {
        if (onClose != null) {
            try {
                onClose.close();
            } catch (Exception ignored) {
                // the rows were read; a failing close of the caller's iterator changes nothing sent
            }
        }
    }
}
