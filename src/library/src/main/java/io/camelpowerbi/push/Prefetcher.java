package io.camelpowerbi.push;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs an iterator one step ahead on its own thread, so reading, checking and serialising the next batch overlaps
 * with sending the current one. At most {@code depth} items wait, so memory stays bounded. A failure of the source is
 * rethrown to the consumer in order, after the items that came before it. Close it before closing the source.
 */
final class Prefetcher<T> implements Iterator<T>, AutoCloseable {

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private Object next;
    private volatile boolean closed;

    Prefetcher(Iterator<T> source, int depth, String name) {
        this.queue = new ArrayBlockingQueue<>(depth);
        this.thread = new Thread(
                () -> {
                    try {
                        while (!closed && source.hasNext()) {
                            put(source.next());
                        }
                        put(END);
                    } catch (RuntimeException | Error e) {
                        put(new Failure(e));
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
    }

    private void put(Object item) {
        try {
            while (!closed && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                // the consumer is busy sending; wait for room (or for close)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading rows", e);
            }
        }
        if (next instanceof Failure f) {
            next = END;
            if (f.error instanceof RuntimeException re) {
                throw re;
            }
            throw (Error) f.error;
        }
        return next != END;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T item = (T) next;
        next = null;
        return item;
    }

    /** Stops the reading thread and waits for it, so the source can be closed safely. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Failure(Throwable error) {}
}
