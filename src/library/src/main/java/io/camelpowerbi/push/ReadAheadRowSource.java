package io.camelpowerbi.push;

import java.util.NoSuchElementException;

/** A row source that reads one row ahead: subclasses say how to read the next row, or null at the end. */
abstract class ReadAheadRowSource implements RowSource {

    private RawRow next;
    private boolean done;

    /** The next row, or null when the input is exhausted. */
    protected abstract RawRow advance();

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = advance();
            done = next == null;
        }
        return next != null;
    }

    @Override
    public RawRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        RawRow row = next;
        next = null;
        return row;
    }
}
