package io.camelpowerbi.push;

import io.camelpowerbi.client.Idempotency;
import io.camelpowerbi.client.PathSegment;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.client.PowerBiRequest;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the rows of a message body into a push dataset table: reads them as a stream, checks and coerces them against
 * the table, sends them in batches of at most 10,000 within the dataset's rate limits, one request at a time, and
 * returns only when Power BI accepted every batch (at-least-once: a batch counts once Power BI answered 200).
 *
 * <p>With {@link InvalidRowPolicy#FAIL} every row is checked before the first is sent, and what is sent is what was
 * checked: the checking pass writes the batches it makes, serialised, to a temporary spool file, and the sending pass
 * sends those bytes. With {@link InvalidRowPolicy#SKIP} rows flow straight through.
 *
 * <p>A file body is watched: if its size or modification time changes while it is read (a writer still at work), FAIL
 * sends nothing and SKIP stops before the next batch, saying which rows went; a change after it was read, before the
 * push ends, fails the push too, as the rows written since were not sent. With {@link PushCheckpoints} in the request,
 * the rows Power BI accepted of a file are recorded after every batch, and a push of the same, unchanged file resumes
 * after them.
 */
public final class PushPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(PushPipeline.class);
    private static final String USE_A_READ_LOCK = "Push files once they are complete: with Camel's file consumer, "
            + "readLock=changed with a readLockMinAge, or a done file (doneFileName)";

    private final PushListener listener;
    private final int maxParts;
    private final long minPartBytes;

    public PushPipeline() {
        this(PushListener.NONE);
    }

    /** @param listener told about accepted batches and rate-limit waits, for metrics */
    public PushPipeline(PushListener listener) {
        this(
                listener,
                defaultParts(
                        Runtime.getRuntime().availableProcessors(),
                        Runtime.getRuntime().maxMemory()),
                CsvParts.MIN_PART_BYTES);
    }

    /**
     * One part per core, at most 4, and at most one per 64 MiB of heap: a part holds up to two copies of a batch being
     * made (up to {@link RowBatcher#DEFAULT_MAX_BATCH_BYTES} each), so the parts' batches stay within half the heap.
     */
    static int defaultParts(int cores, long maxHeapBytes) {
        long byHeap = maxHeapBytes / (4 * RowBatcher.DEFAULT_MAX_BATCH_BYTES);
        return (int) Math.max(1, Math.min(Math.min(4, cores), byHeap));
    }

    /**
     * @param maxParts     a CSV file checked under FAIL is cut into at most this many parts, checked at once
     * @param minPartBytes each at least this long
     */
    PushPipeline(PushListener listener, int maxParts, long minPartBytes) {
        this.listener = listener;
        this.maxParts = maxParts;
        this.minPartBytes = minPartBytes;
    }

    /**
     * @throws InvalidRowsException rows do not fit and the policy is FAIL: nothing was sent
     * @throws PushException        anything else that stopped the push: Power BI refused a batch, the input could not
     *                              be read (cause {@link RowSourceException}) or changed, or failed otherwise (even with
     *                              an Error); says what was accepted, possibly nothing, and from which row to resend
     * @throws IllegalArgumentException the body is of a kind that holds no rows
     */
    public PushResult push(PowerBiClient client, PushRequest request) {
        return new Run(client, request, listener, maxParts, minPartBytes).execute();
    }

    /** One push: its counters and its steps. */
    private static final class Run {

        private final PowerBiClient client;
        private final PushRequest request;
        private final RowValidator validator;
        private final String path;
        private final long started = System.nanoTime();
        private final PushProgress progress;
        private final PushListener listener;
        private final int maxParts;
        private final long minPartBytes;
        /** The body when it is a file: watched for changes, and checkpointed. */
        private InputFile file;

        private PushCheckpoints checkpoints;
        /** Records what Power BI accepted of the file, after each batch; opened by the first. */
        private PushCheckpoints.Recorder recorder;
        /** Valid rows up to this one were accepted by an earlier push of the same file: not sent again. */
        private long resumeAfterRow;

        private long rowsResumed;

        private volatile long rowsRead; // counted by the reader thread, shown in progress by the sender
        private long rowsToSend = -1;
        private long rowsSent;
        private long lastRowSent;
        private int batchesSent;
        private long throttledWaits;
        private long throttledNanos;
        private final RowRejections rejections;
        private boolean checkpointWarned;

        Run(PowerBiClient client, PushRequest request, PushListener listener, int maxParts, long minPartBytes) {
            this.client = client;
            this.listener = listener;
            this.maxParts = maxParts;
            this.minPartBytes = minPartBytes;
            this.request = request;
            this.validator = new RowValidator(request.schema(), request.ignoreUnknownColumns());
            this.rejections = new RowRejections(request.policy(), request.maxRejectedRows());
            this.path = "/groups/" + PathSegment.encode(request.groupId()) + "/datasets/"
                    + PathSegment.encode(request.datasetId()) + "/tables/" + PathSegment.encode(request.tableName())
                    + "/rows";
            this.progress = new PushProgress(
                    "push to table '" + request.tableName() + "' (dataset " + request.datasetId() + ")",
                    request.progressInterval(),
                    started);
        }

        PushResult execute() {
            try {
                run();
            } catch (InvalidRowsException | PushException e) {
                throw e;
            } catch (RowSourceException e) {
                long row = e.rowNumber();
                boolean named =
                        row == 0 || e.getMessage() != null && e.getMessage().contains("row " + row);
                throw stopped(
                        row,
                        e.column(),
                        "the input could not be read" + (named ? "" : " at row " + PushException.n(row)) + ": "
                                + e.getMessage(),
                        "",
                        e);
            } catch (FileChangedException e) {
                throw stopped(
                        0,
                        null,
                        "the file " + file.path() + " changed while it was read (" + e.getMessage() + ")"
                                + (rowsSent + rowsResumed == 0 && request.policy() == InvalidRowPolicy.FAIL
                                        ? "; nothing is sent of a file that changes under the push (invalidRowPolicy=FAIL)"
                                        : ""),
                        USE_A_READ_LOCK + ".",
                        null);
            } catch (TooManyRejectedException e) {
                throw stopped(
                        0,
                        null,
                        "more than " + request.maxRejectedRows() + " rows were rejected",
                        "",
                        rejections.tooMany(request.tableName(), rowsRead));
            } catch (UncheckedIOException e) {
                throw stopped(0, null, e.getMessage(), "", e);
            } catch (IllegalArgumentException e) {
                if (rowsRead == 0 && rowsSent == 0) {
                    throw e; // a body that holds no rows, or a bad option: nothing happened yet
                }
                throw stopped(rowsRead + 1, null, "it failed while reading or sending (" + e + ")", "", e);
            } catch (RuntimeException | Error e) {
                // whatever it was (an OutOfMemoryError too), it ends this push with what was sent, not the caller's
                // thread: a file consumer's poller that an Error escapes never polls again
                LOG.debug("push stopped by {}", e.toString(), e);
                throw stopped(rowsRead + 1, null, "it failed while reading or sending (" + e + ")", "", e);
            } finally {
                if (recorder != null) {
                    recorder.close();
                }
            }
            if (file != null) {
                String change = file.change();
                if (change != null) { // after everything read was sent: what was written since was not
                    throw stopped(
                            0,
                            null,
                            "the file " + file.path() + " changed after it was read (" + change
                                    + "): every row it held when read is accounted for, rows written since were not sent",
                            USE_A_READ_LOCK + ".",
                            null);
                }
            }
            PushResult result = new PushResult(
                    rowsRead,
                    rowsSent,
                    batchesSent,
                    rejections.rows(),
                    throttledWaits,
                    Duration.ofNanos(throttledNanos),
                    Duration.ofNanos(System.nanoTime() - started),
                    rowsResumed);
            progress.done(result);
            return result;
        }

        private PushException stopped(long row, String column, String what, String advice, Throwable cause) {
            return PushException.stopped(
                    request,
                    rowsResumed + rowsSent,
                    batchesSent,
                    lastRowSent,
                    row,
                    column,
                    what,
                    withResume(advice),
                    cause);
        }

        /** The advice, and that pushing the file again resumes where this push stopped, when it does. */
        private String withResume(String advice) {
            if (file == null || checkpoints == null || rowsSent + rowsResumed == 0) {
                return advice;
            }
            return (advice.isEmpty() ? "" : advice + " ") + "Pushing the same file again, unchanged, resumes after row "
                    + PushException.n(lastRowSent) + ".";
        }

        private void run() {
            Object body = request.body();
            Path filePath = body instanceof File f ? f.toPath() : body instanceof Path p ? p : null;
            if (filePath != null) {
                file = InputFile.of(filePath);
                checkpoints = request.checkpoints();
                PushCheckpoints.Checkpoint done = checkpoints == null ? null : checkpoints.find(file);
                if (done != null) {
                    resumeAfterRow = done.lastRow();
                    rowsResumed = done.rowsAccepted();
                    lastRowSent = resumeAfterRow;
                    LOG.info(
                            "{}: {} rows up to row {} were accepted by an earlier push of this file; resuming after them",
                            file.path(),
                            PushException.n(rowsResumed),
                            PushException.n(resumeAfterRow));
                }
            }
            if (request.policy() == InvalidRowPolicy.SKIP) {
                try (RowSource source = open()) {
                    source.knownTotal().ifPresent(total -> rowsToSend = total);
                    send(watched(new RowBatcher(validRows(source), request.batchSize())));
                }
            } else {
                spoolThenSend();
            }
        }

        /**
         * FAIL policy: check every row and write the batches it makes, serialised, to a spool file; only when every row
         * fits (and a file did not change meanwhile) send them from the spool. What is sent is what was checked,
         * whatever the input does next; every row is read, checked and serialised once, and the sending pass only
         * reads bytes. Nothing can be sent meanwhile, so a large CSV file is checked in parts on several cores.
         */
        private void spoolThenSend() {
            List<Checked> checked = checkedInParts();
            try {
                if (checked == null) {
                    checked = List.of(checkedInOrder());
                }
                if (file != null) {
                    requireUnchanged(); // first: a row cut short by a writer still at work is no reason of its own
                }
                failIfRejected();
                rowsToSend = checked.stream().mapToLong(Checked::rowsSpooled).sum();
                LOG.debug("{} rows validated and spooled in {} part(s)", rowsToSend, checked.size());
                send(replay(checked));
            } finally {
                if (checked != null) {
                    checked.forEach(c -> c.spool().close());
                }
            }
        }

        /** Every row read and checked on this thread, the batches of those that fit spooled. */
        private Checked checkedInOrder() {
            BatchSpool spool = newSpool();
            try (RowSource source = open()) {
                Iterator<ValidRow> valid = validRows(source);
                RowBatcher batcher = new RowBatcher(valid, request.batchSize());
                long count = 0;
                while (rejections.count() == 0 && batcher.hasNext()) {
                    Batch batch = batcher.next();
                    spool.append(batch);
                    count += batch.rows();
                    progress.validating(rowsRead);
                }
                while (valid.hasNext()) { // a row was rejected: nothing will be sent, but count every rejection
                    valid.next();
                }
                return new Checked(spool, rowsRead, count);
            } catch (RuntimeException | Error e) {
                spool.close();
                throw e;
            }
        }

        /**
         * A CSV file checked in {@link CsvParts} at once, the first on this thread; null when it is not cut (not a
         * file, a resumed push, one core, a small file) or when any part did not pass cleanly: a rejected row, a read
         * that failed (a cut inside a quoted value too). Then the caller checks it in order, which finds and words
         * every problem exactly as if it had never been cut; only a clean result is kept, and it is the same.
         */
        private List<Checked> checkedInParts() {
            if (file == null || resumeAfterRow > 0 || maxParts < 2) {
                return null;
            }
            List<CsvParts.Part> parts;
            try {
                parts = CsvParts.of(file.path(), request.format(), request.charset(), maxParts, minPartBytes);
            } catch (IOException e) {
                return null; // checked in order, which says what is wrong with the file
            }
            if (parts.size() < 2) {
                return null;
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong checkedRows = new AtomicLong();
            List<FutureTask<Checked>> tasks = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                CsvParts.Part part = parts.get(i);
                boolean first = i == 0;
                tasks.add(new FutureTask<>(() -> checkedPart(part, stop, checkedRows, first)));
            }
            for (int i = 1; i < tasks.size(); i++) {
                Thread t = new Thread(tasks.get(i), "powerbi-push-check-" + i);
                t.setDaemon(true);
                t.start();
            }
            tasks.get(0).run();
            List<Checked> checked = new ArrayList<>();
            Throwable failure = null;
            for (FutureTask<Checked> task : tasks) {
                try {
                    checked.add(task.get());
                } catch (ExecutionException e) {
                    stop.set(true);
                    failure = failure == null ? e.getCause() : failure;
                } catch (InterruptedException e) {
                    stop.set(true);
                    tasks.forEach(t -> t.cancel(true));
                    checked.forEach(c -> c.spool().close());
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while checking rows (the route is stopping?)", e);
                }
            }
            if (failure != null) {
                checked.forEach(c -> c.spool().close());
                LOG.debug("{}: checking it again in order, as a part did not pass cleanly ({})", file.path(), failure);
                return null;
            }
            rowsRead = checked.stream().mapToLong(Checked::rowsRead).sum();
            return checked;
        }

        /** One part read, checked and spooled; fails at its first rejected row. Row numbers count from 1 within it. */
        private Checked checkedPart(CsvParts.Part part, AtomicBoolean stop, AtomicLong checkedRows, boolean first)
                throws IOException {
            BatchSpool spool = newSpool();
            try (RowSource source = RowSource.open(part.open(), Format.CSV, null, request.charset())) {
                Iterator<ValidRow> valid =
                        new RowValidator(request.schema(), request.ignoreUnknownColumns()).allValid(source);
                RowBatcher batcher = new RowBatcher(valid, request.batchSize());
                long rows = 0;
                while (batcher.hasNext()) {
                    if (stop.get()) {
                        throw new CancellationException("another part did not pass");
                    }
                    Batch batch = batcher.next();
                    spool.append(batch);
                    rows += batch.rows();
                    long all = checkedRows.addAndGet(batch.rows());
                    if (first) {
                        progress.validating(all);
                    }
                }
                return new Checked(spool, rows, rows);
            } catch (IOException | RuntimeException | Error e) {
                stop.set(true); // the others' work is wasted now: the file is checked again in order
                spool.close();
                throw e;
            }
        }

        /**
         * The spooled batches of the checked parts in order, numbered and with row numbers as one reading of the whole
         * input would have given them.
         */
        private Iterator<Batch> replay(List<Checked> checked) {
            return new Iterator<>() {
                private int part = -1;
                private Iterator<Batch> current = Collections.emptyIterator();
                private long rowOffset;
                private int numberOffset;

                @Override
                public boolean hasNext() {
                    while (!current.hasNext() && part + 1 < checked.size()) {
                        if (part >= 0) {
                            rowOffset += checked.get(part).rowsRead();
                            numberOffset += checked.get(part).spool().batches();
                        }
                        part++;
                        try {
                            current = checked.get(part).spool().replay();
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot read back the spool file", e);
                        }
                    }
                    return current.hasNext();
                }

                @Override
                public Batch next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Batch b = current.next();
                    return part == 0
                            ? b
                            : new Batch(
                                    b.number() + numberOffset,
                                    b.firstRow() + rowOffset,
                                    b.lastRow() + rowOffset,
                                    b.rows(),
                                    b.body());
                }
            };
        }

        private BatchSpool newSpool() {
            try {
                return new BatchSpool(request.spoolDirectory());
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot create a spool file to validate the rows before sending "
                                + "(set spoolDirectory to a writable directory)",
                        e);
            }
        }

        private RowSource open() {
            return RowSource.open(request.body(), request.format(), request.fileName(), request.charset());
        }

        private void failIfRejected() {
            rejections.failIfAny(request.tableName(), rowsRead);
        }

        private void requireUnchanged() {
            String change = file.change();
            if (change != null) {
                throw new FileChangedException(change);
            }
        }

        /**
         * The batches of a file body, each handed on only if the file is still as it was when the push began (one
         * {@code stat} per batch, on the reading thread): a batch read from a file that is being written is not sent.
         */
        private Iterator<Batch> watched(Iterator<Batch> batches) {
            if (file == null) {
                return batches;
            }
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    boolean more = batches.hasNext();
                    if (!more) {
                        requireUnchanged(); // the end of the file as it is now: is it the end of the file?
                    }
                    return more;
                }

                @Override
                public Batch next() {
                    Batch batch = batches.next();
                    requireUnchanged();
                    return batch;
                }
            };
        }

        /**
         * The rows that fit, in order, but for those an earlier push of the same file had sent; rejected ones are
         * collected on the way.
         */
        private Iterator<ValidRow> validRows(RowSource source) {
            return new Iterator<>() {
                private ValidRow next;

                @Override
                public boolean hasNext() {
                    while (next == null && source.hasNext()) {
                        RawRow raw = source.next();
                        rowsRead++;
                        RowOutcome outcome = validator.validate(raw);
                        if (outcome instanceof ValidRow valid) {
                            if (valid.rowNumber() > resumeAfterRow) {
                                next = valid;
                            }
                        } else {
                            reject((RejectedRow) outcome);
                        }
                    }
                    return next != null;
                }

                @Override
                public ValidRow next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    ValidRow row = next;
                    next = null;
                    return row;
                }
            };
        }

        private void reject(RejectedRow row) {
            LOG.debug("row {} rejected (column {})", row.rowNumber(), row.column());
            if (rejections.add(row)) {
                throw new TooManyRejectedException();
            }
        }

        private void send(Iterator<Batch> source) {
            // Read and serialise the next batch while this one is on the wire.
            try (Prefetcher<Batch> batches = new Prefetcher<>(source, 2, "powerbi-push-reader")) {
                while (batches.hasNext()) {
                    sendOne(batches.next());
                }
            }
        }

        private void sendOne(Batch batch) {
            DatasetRateLimiter limiter = request.limiter();
            Duration waited;
            try {
                waited = limiter.acquire(batch.rows());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PushException.stopped(
                        request,
                        rowsResumed + rowsSent,
                        batchesSent,
                        lastRowSent,
                        "interrupted while waiting for the dataset's rate limits (the route is stopping?)",
                        e);
            }
            if (!waited.isZero()) {
                throttledWaits++;
                throttledNanos += waited.toNanos();
                listener.throttled(request.datasetId(), waited);
            }
            try {
                // at-least-once: a batch whose answer was lost is sent again and may arrive twice (Power BI has no
                // batch id to deduplicate by); the client logs and counts each such resend
                client.send(
                        PowerBiRequest.json("POST", path, Map.of(), batch.body(), "table '" + request.tableName() + "'")
                                .with(Idempotency.AT_LEAST_ONCE));
            } catch (PowerBiException e) {
                if (e.httpStatus() == 429) {
                    limiter.onThrottled(e.retryAfter().orElse(Duration.ZERO));
                }
                throw PushException.batchFailed(
                        request, rowsResumed + rowsSent, batchesSent, lastRowSent, batch, withResume(""), e);
            } catch (RuntimeException e) {
                throw PushException.batchFailed(
                        request, rowsResumed + rowsSent, batchesSent, lastRowSent, batch, withResume(""), e);
            } finally {
                limiter.release();
            }
            rowsSent += batch.rows();
            batchesSent++;
            listener.batchAccepted(request.datasetId(), batch.rows());
            lastRowSent = batch.lastRow();
            checkpoint();
            LOG.debug("{} accepted", batch);
            progress.sent(rowsSent, batchesSent, rowsToSend, throttledWaits, Duration.ofNanos(throttledNanos));
        }

        /** Records what Power BI accepted of a file, before the next batch goes: a crash repeats at most one. */
        private void checkpoint() {
            if (file == null || checkpoints == null) {
                return;
            }
            try {
                if (recorder == null) {
                    recorder = checkpoints.recorder(file);
                }
                recorder.accepted(rowsResumed + rowsSent, lastRowSent);
            } catch (UncheckedIOException e) {
                if (!checkpointWarned) { // the push itself is fine; only a crash would now repeat more
                    checkpointWarned = true;
                    LOG.warn(
                            "{}: {}; the push goes on, but a crash would repeat the rows after row {}",
                            file.path(),
                            e.getMessage(),
                            PushException.n(lastRowSent));
                }
            }
        }
    }

    /**
     * Rows checked and spooled: of the whole input, or of one part of a file checked in parts.
     *
     * @param rowsRead    rows read, the rejected ones included
     * @param rowsSpooled rows in the spool's batches
     */
    private record Checked(BatchSpool spool, long rowsRead, long rowsSpooled) {}

    /** The file's size or modification time is not what it was when the push began. */
    private static final class FileChangedException extends RuntimeException {
        FileChangedException(String change) {
            super(change, null, false, false);
        }
    }

    private static final class TooManyRejectedException extends RuntimeException {
        TooManyRejectedException() {
            super(null, null, false, false);
        }
    }
}
