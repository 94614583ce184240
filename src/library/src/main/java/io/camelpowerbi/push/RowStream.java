package io.camelpowerbi.push;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.camelpowerbi.client.Idempotency;
import io.camelpowerbi.client.PathSegment;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.client.PowerBiRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows that arrive one or a few at a time (a message per row from a queue, change data capture, sensors), gathered per
 * table into POST rows batches and sent within each dataset's limits, like Kafka's own producer batches records: a
 * batch goes when it holds {@code batchSize} rows, or once its first row waited {@code linger} and the dataset's
 * limits admit it (a batch held back by the limits goes on filling meanwhile). Each offer's {@link RowAck} hears when
 * Power BI accepted its rows, or why not.
 *
 * <p>Bounded: the rows held (buffered, in batches waiting for the limits, or in flight) are at most
 * {@code maxBufferedRows} in all and {@code batchSize × (maxPending + 2)} per dataset; an offer beyond waits until
 * rows are accepted. Threads: one scheduler for every dataset and table, and a fixed pool of senders; none per table.
 *
 * <p>The rows of one offer go out in one batch (a batch is closed early rather than split an offer), unless the offer
 * alone is larger than {@code batchSize}: so the rows of a message dropped with its {@linkplain RowAck#source()
 * source} were never partly sent.
 */
public final class RowStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RowStream.class);
    /** How long a lane waits before asking again when its pending slots are held by someone else (a blocking push). */
    private static final long SLOT_RETRY_MS = 50;

    private static final byte[] OPEN = "{\"rows\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Where offered rows go.
     *
     * @param client    the client that sends them (its endpoint's credential and retries)
     * @param groupId   workspace id
     * @param datasetId dataset id: the dataset's limiter and lane
     * @param table     table name
     * @param limiter   the dataset's limiter, shared with every other push to it
     * @param batchSize rows per POST rows request, 1 to 10,000
     * @param linger    how long a batch's first row may wait for more before the batch may go
     */
    public record Target(
            PowerBiClient client,
            String groupId,
            String datasetId,
            String table,
            DatasetRateLimiter limiter,
            int batchSize,
            Duration linger) {

        public Target {
            RowBatcher.checkBatchSize(batchSize);
            if (linger == null || linger.isNegative()) {
                throw new IllegalArgumentException("linger must not be negative: " + linger);
            }
        }

        String path() {
            return "/groups/" + PathSegment.encode(groupId) + "/datasets/" + PathSegment.encode(datasetId) + "/tables/"
                    + PathSegment.encode(table) + "/rows";
        }
    }

    private final long maxBufferedRows;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService senders;
    private final PushListener listener;
    private final Clock clock;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    /** Rows held, all lanes; guarded by {@link #gate}. */
    private long buffered;

    private final ReentrantLock gate = new ReentrantLock();
    private final Condition space = gate.newCondition();
    /** Batches in flight per source, for {@link #awaitSent(Object, Duration)}; guarded by itself. */
    private final Map<Object, Integer> inFlightBySource = new HashMap<>();

    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean flushing;
    private final AtomicInteger backpressureWaits = new AtomicInteger();

    /**
     * @param maxBufferedRows the most rows held at once, in all
     * @param scheduler       one thread that decides what goes when; never blocked (closed with the stream)
     * @param senders         the threads that send batches (closed with the stream)
     * @param listener        told about accepted batches and limit waits, for metrics
     */
    public RowStream(
            long maxBufferedRows,
            ScheduledExecutorService scheduler,
            ExecutorService senders,
            PushListener listener,
            Clock clock) {
        if (maxBufferedRows < 1) {
            throw new IllegalArgumentException("maxBufferedRows must be at least 1, got " + maxBufferedRows);
        }
        this.maxBufferedRows = maxBufferedRows;
        this.scheduler = scheduler;
        this.senders = senders;
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * Buffers {@code rows} for {@code target}; waits while the buffer bounds are reached. The ack hears
     * {@link RowAck#buffered} before this returns, then once what became of the rows. An offer of no rows does nothing.
     *
     * @throws PushException        the stream is closed: nothing was buffered, the ack hears nothing
     * @throws InterruptedException interrupted while waiting for room: nothing was buffered
     */
    public void offer(Target target, List<ValidRow> rows, RowAck ack) throws InterruptedException {
        if (rows.isEmpty()) {
            return;
        }
        List<Chunk> chunks = serialise(rows, target.batchSize());
        int n = rows.size();
        Lane lane = lanes.computeIfAbsent(target.datasetId(), id -> new Lane(target.limiter()));
        reserve(lane, n, (long) target.batchSize() * (target.limiter().limits().maxPending() + 2), target);
        Offer offer = new Offer(ack, n, target);
        ack.buffered(this, n);
        boolean wake;
        synchronized (lane) {
            if (closed.get()) {
                lane.buffered -= n;
                release(n);
                offer.fail(n, PushException.streamStopped(target.datasetId(), target.table(), n));
                return;
            }
            Pipe pipe = lane.pipes.computeIfAbsent(
                    new PipeKey(target.table(), ack.source()), k -> new Pipe(target, ack.source()));
            for (Chunk chunk : chunks) {
                if (pipe.rows > 0
                        && (pipe.rows + chunk.rows > target.batchSize()
                                || pipe.bytes() + chunk.json.length > RowBatcher.DEFAULT_MAX_BATCH_BYTES)) {
                    lane.close(pipe);
                }
                if (pipe.rows == 0) {
                    pipe.firstAt = clock.millis();
                }
                pipe.append(chunk, offer);
                if (pipe.rows >= target.batchSize()) {
                    lane.close(pipe);
                }
            }
            wake = !lane.ready.isEmpty() || flushing && pipe.rows > 0;
            if (pipe.rows == 0) {
                lane.pipes.values().remove(pipe); // an idle table holds nothing
            } else if (!wake) {
                lane.armAt(pipe.firstAt + target.linger().toMillis());
            }
        }
        if (wake) {
            lane.wake();
        }
    }

    /** Waits until the bounds allow {@code n} more rows, then counts them. */
    private void reserve(Lane lane, int n, long laneBound, Target target) throws InterruptedException {
        gate.lockInterruptibly();
        try {
            boolean waited = false;
            while (true) {
                if (closed.get()) {
                    throw PushException.streamStopped(target.datasetId(), target.table(), n);
                }
                long inLane;
                synchronized (lane) {
                    inLane = lane.buffered;
                    // a lone offer larger than a bound still goes, once it is alone
                    if ((inLane == 0 || inLane + n <= laneBound)
                            && (buffered == 0 || buffered + n <= maxBufferedRows)) {
                        lane.buffered += n;
                        buffered += n;
                        return;
                    }
                }
                if (!waited) {
                    waited = true;
                    backpressureWaits.incrementAndGet();
                    LOG.debug(
                            "dataset {}: {} rows held ({} in all): the offer of {} rows waits for room",
                            target.datasetId(),
                            inLane,
                            buffered,
                            n);
                }
                // woken by every release; the timeout only guards against a lane freed without the gate held
                space.await(100, TimeUnit.MILLISECONDS);
            }
        } finally {
            gate.unlock();
        }
    }

    private void release(long n) {
        gate.lock();
        try {
            buffered -= n;
            space.signalAll();
        } finally {
            gate.unlock();
        }
    }

    /**
     * Drops the unsent rows of {@code source} (a Kafka partition this node no longer owns): they are not sent, and their
     * acks hear nothing more. Batches already in flight go on; {@link #awaitSent(Object, Duration)} waits for them.
     */
    public void drop(Object source) {
        long dropped = 0;
        for (Lane lane : lanes.values()) {
            synchronized (lane) {
                long before = lane.buffered;
                lane.pipes.values().removeIf(p -> {
                    if (p.source == source) {
                        lane.buffered -= p.rows;
                        return true;
                    }
                    return false;
                });
                lane.ready.removeIf(b -> {
                    if (b.source == source) {
                        lane.buffered -= b.rows;
                        return true;
                    }
                    return false;
                });
                dropped += before - lane.buffered;
            }
        }
        if (dropped > 0) {
            release(dropped);
            LOG.debug("{} unsent rows of {} dropped", dropped, source);
        }
    }

    /** Waits until no batch holding rows of {@code source} is in flight; false when {@code timeout} passed first. */
    public boolean awaitSent(Object source, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inFlightBySource) {
            while (inFlightBySource.containsKey(source)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(inFlightBySource, left);
            }
            return true;
        }
    }

    /** Rows held now: buffered, in batches waiting for the limits, or in flight. */
    public long bufferedRows() {
        gate.lock();
        try {
            return buffered;
        } finally {
            gate.unlock();
        }
    }

    /** Offers that had to wait for room, since the stream was made. */
    public int backpressureWaits() {
        return backpressureWaits.get();
    }

    /**
     * From now on, batches go as soon as the limits admit them, without waiting for the linger time: the stream is about
     * to close (e.g. Camel is stopping and waits for the messages in flight, which wait for their batches).
     */
    public void flush() {
        flushing = true;
        lanes.values().forEach(Lane::wake);
    }

    /**
     * Sends what is buffered without waiting for the linger time, for at most {@code timeout}; then fails what is still
     * unsent (its acks hear {@link PushException}) and stops the threads once the batches in flight are answered.
     */
    public void close(Duration timeout) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        gate.lock();
        try {
            space.signalAll();
        } finally {
            gate.unlock();
        }
        flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (unsent() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10); // polling a count at close; no signal is worth adding for it
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Lane lane : lanes.values()) {
            List<Sending> left = new ArrayList<>();
            synchronized (lane) {
                new ArrayList<>(lane.pipes.values()).forEach(lane::close);
                left.addAll(lane.ready);
                lane.ready.clear();
                lane.buffered -= left.stream().mapToLong(b -> b.rows).sum();
            }
            for (Sending b : left) {
                release(b.rows);
                for (Part part : b.parts) {
                    part.offer.fail(
                            part.rows,
                            PushException.streamStopped(b.target.datasetId(), b.target.table(), part.offer.rows));
                }
            }
        }
        scheduler.shutdownNow();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(
                    Math.max(1, (deadline - System.nanoTime()) / 1_000_000) + 60_000, TimeUnit.MILLISECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            senders.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /** Rows not yet handed to a sender. */
    private long unsent() {
        long n = 0;
        for (Lane lane : lanes.values()) {
            synchronized (lane) {
                n += lane.pipes.values().stream().mapToLong(p -> p.rows).sum();
                n += lane.ready.stream().mapToLong(b -> b.rows).sum();
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ serialising

    /** Rows of an offer as JSON objects joined by commas, at most {@code batchSize} rows and a batch's bytes each. */
    private record Chunk(byte[] json, int rows) {}

    private static final SerializedString COMMA = new SerializedString(",");

    private static List<Chunk> serialise(List<ValidRow> rows, int batchSize) {
        List<Chunk> chunks = new ArrayList<>(1);
        RowWriter writer = new RowWriter();
        ByteArrayBuilder buffer = new ByteArrayBuilder(256);
        int i = 0;
        try {
            while (i < rows.size()) {
                buffer.reset();
                int count = 0;
                try (JsonGenerator g = RowWriter.generator(buffer)) {
                    g.setRootValueSeparator(COMMA);
                    while (i < rows.size()
                            && count < batchSize
                            && buffer.size() + g.getOutputBuffered() < RowBatcher.DEFAULT_MAX_BATCH_BYTES) {
                        writer.write(g, rows.get(i++));
                        count++;
                    }
                }
                chunks.add(new Chunk(buffer.toByteArray(), count));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write rows", e); // to memory: not expected
        }
        return chunks;
    }

    // ------------------------------------------------------------------ the parts

    private record PipeKey(String table, Object source) {}

    /** What became of one offer's rows, over every batch they went into. */
    private static final class Offer {
        final RowAck ack;
        final int rows;
        final Target target;
        private final AtomicInteger unsettled;
        private final AtomicBoolean failed = new AtomicBoolean();

        Offer(RowAck ack, int rows, Target target) {
            this.ack = ack;
            this.rows = rows;
            this.target = target;
            this.unsettled = new AtomicInteger(rows);
        }

        void accepted(int n) {
            if (unsettled.addAndGet(-n) == 0 && !failed.get()) {
                notify(() -> ack.accepted(rows));
            }
        }

        void fail(int n, RuntimeException reason) {
            unsettled.addAndGet(-n);
            if (failed.compareAndSet(false, true)) {
                notify(() -> ack.failed(rows, reason));
            }
        }

        private void notify(Runnable call) {
            try {
                call.run();
            } catch (RuntimeException e) {
                LOG.warn("an ack of rows for table '{}' failed: {}", target.table(), e.toString(), e);
            }
        }
    }

    /** Rows of one offer inside a batch. */
    private record Part(Offer offer, int rows) {}

    /** A closed batch: its body and whose rows it holds. */
    private record Sending(Target target, Object source, byte[] body, int rows, List<Part> parts) {}

    /** The open batch of one table (and source): its body so far, and whose rows it holds. */
    private static final class Pipe {
        final Target target;
        final Object source;
        ByteArrayBuilder body;
        int rows;
        long firstAt;
        List<Part> parts = new ArrayList<>(4);

        Pipe(Target target, Object source) {
            this.target = target;
            this.source = source;
        }

        int bytes() {
            return body == null ? 0 : body.size();
        }

        void append(Chunk chunk, Offer offer) {
            if (body == null) {
                body = new ByteArrayBuilder(Math.max(256, chunk.json.length + OPEN.length + CLOSE.length));
            }
            body.write(rows == 0 ? OPEN : new byte[] {','});
            body.write(chunk.json);
            rows += chunk.rows;
            parts.add(new Part(offer, chunk.rows));
        }

        /** The batch so far, and an empty pipe; the body's buffer is let go (an idle table holds none). */
        Sending take() {
            body.write(CLOSE);
            Sending s = new Sending(target, source, body.toByteArray(), rows, parts);
            body = null;
            rows = 0;
            parts = new ArrayList<>(4);
            return s;
        }
    }

    /** The batches of one dataset, its limiter and its single timer. Guarded by its own monitor. */
    private final class Lane {
        final DatasetRateLimiter limiter;
        final Map<PipeKey, Pipe> pipes = new HashMap<>();
        final java.util.ArrayDeque<Sending> ready = new java.util.ArrayDeque<>();
        long buffered;
        int inFlight;
        private boolean checkQueued;
        private long timerAt;
        /** When the head of the lane began waiting for the limits, or 0. */
        private long throttledSince;

        Lane(DatasetRateLimiter limiter) {
            this.limiter = limiter;
        }

        /** Closes the pipe's batch into the send queue; lock held. */
        void close(Pipe pipe) {
            if (pipe.rows > 0) {
                ready.addLast(pipe.take());
            }
        }

        void wake() {
            synchronized (this) {
                if (checkQueued) {
                    return;
                }
                checkQueued = true;
            }
            try {
                scheduler.execute(this::check);
            } catch (RejectedExecutionException e) {
                // closing: what is left is failed by close()
            }
        }

        /** Asks again at {@code at} (epoch ms), unless it will ask sooner anyway; lock held. */
        void armAt(long at) {
            if (timerAt != 0 && timerAt <= at) {
                return;
            }
            timerAt = at;
            try {
                scheduler.schedule(
                        () -> {
                            synchronized (this) {
                                if (timerAt == at) {
                                    timerAt = 0;
                                }
                            }
                            check();
                        },
                        Math.max(0, at - clock.millis()),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }

        /** On the scheduler: hands to the senders every batch the limits admit now, and arms the next look. */
        void check() {
            List<Sending> go = new ArrayList<>();
            long waited = 0;
            synchronized (this) {
                checkQueued = false;
                long now = clock.millis();
                long next = 0;
                while (true) {
                    Sending head = ready.peekFirst();
                    Pipe due = null;
                    int rows;
                    if (head != null) {
                        rows = head.rows;
                    } else {
                        due = oldestDue(now);
                        if (due == null) {
                            next = nextDeadline();
                            break;
                        }
                        rows = due.rows;
                    }
                    long wait = limiter.tryAcquire(rows);
                    if (wait != 0) {
                        if (throttledSince == 0) {
                            throttledSince = now;
                        }
                        // the head goes first (FIFO): ask again when the windows admit it, or when a slot frees (a
                        // batch of ours in flight wakes the lane when answered; a slot held by a blocking push does
                        // not)
                        next = wait > 0 ? now + wait : inFlight == 0 ? now + SLOT_RETRY_MS : 0;
                        break;
                    }
                    if (head == null) {
                        close(due);
                        pipes.values().remove(due);
                    }
                    go.add(ready.pollFirst());
                    inFlight++;
                    if (throttledSince != 0) {
                        waited += now - throttledSince;
                        throttledSince = 0;
                    }
                }
                if (next > 0) {
                    armAt(next);
                }
            }
            if (waited > 0) {
                listener.throttled(limiter.datasetId(), Duration.ofMillis(waited));
            }
            for (Sending batch : go) {
                startSending(batch.source);
                try {
                    senders.execute(() -> send(this, batch));
                } catch (RejectedExecutionException e) {
                    limiter.release();
                    settle(
                            this,
                            batch,
                            PushException.streamStopped(batch.target.datasetId(), batch.target.table(), batch.rows));
                }
            }
        }

        /** The pipe whose first row waited longest, if it waited its linger time (or the stream is closing). */
        private Pipe oldestDue(long now) {
            Pipe oldest = null;
            for (Pipe p : pipes.values()) {
                if (p.rows > 0
                        && (flushing || p.firstAt + p.target.linger().toMillis() <= now)
                        && (oldest == null || p.firstAt < oldest.firstAt)) {
                    oldest = p;
                }
            }
            return oldest;
        }

        /** When the next pipe's linger time ends, or 0; called when none has ended. */
        private long nextDeadline() {
            long next = 0;
            for (Pipe p : pipes.values()) {
                if (p.rows > 0) {
                    long at = p.firstAt + p.target.linger().toMillis();
                    next = next == 0 ? at : Math.min(next, at);
                }
            }
            return next;
        }
    }

    // ------------------------------------------------------------------ sending

    private void send(Lane lane, Sending batch) {
        Target t = batch.target;
        RuntimeException failure = null;
        try {
            // at-least-once: a batch whose answer was lost is sent again and may arrive twice (Power BI has no batch id
            // to deduplicate by); the client logs and counts each such resend
            t.client()
                    .send(PowerBiRequest.json("POST", t.path(), Map.of(), batch.body, "table '" + t.table() + "'")
                            .with(Idempotency.AT_LEAST_ONCE));
        } catch (PowerBiException e) {
            if (e.httpStatus() == 429) {
                lane.limiter.onThrottled(e.retryAfter().orElse(Duration.ZERO));
            }
            failure = e;
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            lane.limiter.release();
        }
        if (failure == null) {
            listener.batchAccepted(t.datasetId(), batch.rows);
            LOG.debug("table '{}' of dataset {}: a batch of {} rows accepted", t.table(), t.datasetId(), batch.rows);
        } else {
            LOG.warn(
                    "table '{}' of dataset {}: a batch of {} rows failed: {}",
                    t.table(),
                    t.datasetId(),
                    batch.rows,
                    failure.getMessage());
        }
        settle(lane, batch, failure);
    }

    /** The batch is done with (accepted, failed or never sent): frees its room and tells its offers. */
    private void settle(Lane lane, Sending batch, RuntimeException failure) {
        synchronized (lane) {
            lane.inFlight--;
            lane.buffered -= batch.rows;
        }
        release(batch.rows);
        for (Part part : batch.parts) {
            if (failure == null) {
                part.offer.accepted(part.rows);
            } else {
                part.offer.fail(
                        part.rows,
                        PushException.streamBatchFailed(
                                batch.target.datasetId(), batch.target.table(), part.offer.rows, batch.rows, failure));
            }
        }
        finishSending(batch.source);
        lane.wake();
    }

    private void startSending(Object source) {
        if (source != null) {
            synchronized (inFlightBySource) {
                inFlightBySource.merge(source, 1, Integer::sum);
            }
        }
    }

    private void finishSending(Object source) {
        if (source != null) {
            synchronized (inFlightBySource) {
                inFlightBySource.computeIfPresent(source, (k, v) -> v == 1 ? null : v - 1);
                inFlightBySource.notifyAll();
            }
        }
    }
}
