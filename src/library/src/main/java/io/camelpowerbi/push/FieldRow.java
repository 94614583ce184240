package io.camelpowerbi.push;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A row as two arrays: names shared by every row of its source (a CSV header, the columns a table receives) and this
 * row's values. To everyone else it is an ordered, read-only Map; {@link RowValidator} and {@link RowBatcher} read the
 * arrays, so a streamed row costs one small array instead of a hash map built and hashed twice.
 */
final class FieldRow extends AbstractMap<String, Object> {

    final String[] names;
    final Object[] values;

    /** @param names shared, never modified; {@code values} has the same length */
    FieldRow(String[] names, Object[] values) {
        this.names = names;
        this.values = values;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    private int indexOf(Object key) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return names.length;
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < names.length;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (i >= names.length) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<String, Object> e = new SimpleImmutableEntry<>(names[i], values[i]);
                        i++;
                        return e;
                    }
                };
            }
        };
    }
}
