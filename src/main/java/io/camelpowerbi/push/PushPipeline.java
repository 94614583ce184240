package io.camelpowerbi.push;

import io.camelpowerbi.client.Idempotency;
import io.camelpowerbi.client.PathSegment;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.client.PowerBiRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Pushes the rows of a message body into a push dataset table: reads them as a stream, checks and coerces them against
 * the table, sends them in batches of at most 10,000 within the dataset's rate limits, one request at a time, and
 * returns only when Power BI accepted every batch (at-least-once: a batch counts once Power BI answered 200).
 *
 * <p>With {@link InvalidRowPolicy#FAIL} every row is checked before the first is sent: a body that can be read again
 * (a List, a file, bytes, a string) is simply read twice; a stream is spooled, as ready batches, to a temporary file
 * that is deleted afterwards. With {@link InvalidRowPolicy#SKIP} rows flow straight through.
 */
public final class PushPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(PushPipeline.class);

    private final PushListener listener;

    public PushPipeline() {
        this(PushListener.NONE);
    }

    /** @param listener told about accepted batches and rate-limit waits, for metrics */
    public PushPipeline(PushListener listener) {
        this.listener = listener;
    }

    /**
     * @throws InvalidRowsException rows do not fit and the policy is FAIL: nothing was sent
     * @throws PushException        Power BI refused a batch, or the input could not be read (cause
     *                              {@link RowSourceException}): says what was accepted, possibly nothing
     * @throws IllegalArgumentException the body is of a kind that holds no rows
     */
    public PushResult push(PowerBiClient client, PushRequest request) {
        return new Run(client, request, listener).execute();
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

        private volatile long rowsRead; // counted by the reader thread, shown in progress by the sender
        private long rowsToSend = -1;
        private long rowsSent;
        private long lastRowSent;
        private int batchesSent;
        private long throttledWaits;
        private long throttledNanos;
        private final List<RejectedRow> rejected = new ArrayList<>();
        private long rejectedCount;

        Run(PowerBiClient client, PushRequest request, PushListener listener) {
            this.client = client;
            this.listener = listener;
            this.request = request;
            this.validator = new RowValidator(request.schema(), request.ignoreUnknownColumns());
            this.path = "/groups/" + PathSegment.encode(request.groupId()) + "/datasets/"
                    + PathSegment.encode(request.datasetId()) + "/tables/" + PathSegment.encode(request.tableName()) + "/rows";
            this.progress = new PushProgress("push to table '" + request.tableName() + "' (dataset " + request.datasetId()
                    + ")", request.progressInterval(), started);
        }

        PushResult execute() {
            try {
                run();
            } catch (RowSourceException e) { // while opening or validating; in send() it is wrapped already
                throw PushException.stopped(request, rowsSent, batchesSent, lastRowSent, "the input could not be read"
                        + (e.rowNumber() > 0 ? " at row " + PushException.n(e.rowNumber()) : "") + ": " + e.getMessage(), e);
            } catch (UncheckedIOException e) {
                throw PushException.stopped(request, rowsSent, batchesSent, lastRowSent, e.getMessage(), e);
            }
            PushResult result = new PushResult(rowsRead, rowsSent, batchesSent, rejected, throttledWaits,
                    Duration.ofNanos(throttledNanos), Duration.ofNanos(System.nanoTime() - started));
            progress.done(result);
            return result;
        }

        private void run() {
            if (request.policy() == InvalidRowPolicy.SKIP) {
                try (RowSource source = open()) {
                    source.knownTotal().ifPresent(total -> rowsToSend = total);
                    send(new RowBatcher(validRows(source, false), request.batchSize()));
                }
            } else if (RowSource.isRepeatable(request.body())) {
                try (RowSource source = open()) {
                    Iterator<ValidRow> valid = validRows(source, false);
                    long count = 0;
                    while (valid.hasNext()) {
                        valid.next();
                        count++;
                        progress.validating(rowsRead);
                    }
                    failIfRejected();
                    rowsToSend = count;
                }
                rowsRead = 0;
                try (RowSource source = open()) {
                    send(new RowBatcher(validRows(source, true), request.batchSize()));
                }
            } else {
                spoolThenSend();
            }
        }

        /** FAIL policy on a read-once body: validate everything into a spool of ready batches, then send those. */
        private void spoolThenSend() {
            BatchSpool spool;
            try {
                spool = new BatchSpool(request.spoolDirectory());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a spool file to validate the rows before sending "
                        + "(set spoolDirectory to a writable directory)", e);
            }
            try (spool; RowSource source = open()) {
                Iterator<ValidRow> valid = validRows(source, false);
                RowBatcher batcher = new RowBatcher(valid, request.batchSize());
                long count = 0;
                while (rejectedCount == 0 && batcher.hasNext()) {
                    Batch batch = batcher.next();
                    spool.append(batch);
                    count += batch.rows();
                    progress.validating(rowsRead);
                }
                while (valid.hasNext()) { // a row was rejected: nothing will be sent, but count every rejection
                    valid.next();
                }
                failIfRejected();
                rowsToSend = count;
                LOG.debug("{} rows validated and spooled in {} batches to {}", count, spool.batches(), spool.file());
                send(spool.replay());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read back the spool file", e);
            }
        }

        private RowSource open() {
            return RowSource.open(request.body(), request.format(), request.fileName(), request.charset());
        }

        private void failIfRejected() {
            if (rejectedCount > 0) {
                throw new InvalidRowsException(request.tableName(), rowsRead, rejectedCount, rejected,
                        "nothing was sent (invalidRowPolicy=FAIL)");
            }
        }

        /**
         * The rows that fit, in order; rejected ones are collected on the way.
         *
         * @param secondPass the rows were all valid on the first pass: a rejection now means the input changed
         */
        private Iterator<ValidRow> validRows(RowSource source, boolean secondPass) {
            return new Iterator<>() {
                private ValidRow next;

                @Override
                public boolean hasNext() {
                    while (next == null && source.hasNext()) {
                        RawRow raw = source.next();
                        rowsRead++;
                        RowOutcome outcome = validator.validate(raw);
                        if (outcome instanceof ValidRow valid) {
                            next = valid;
                        } else {
                            reject((RejectedRow) outcome, secondPass);
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

        private void reject(RejectedRow row, boolean secondPass) {
            LOG.debug("row {} rejected (column {})", row.rowNumber(), row.column());
            if (secondPass) {
                throw new InputChangedException(row);
            }
            rejectedCount++;
            if (request.policy() == InvalidRowPolicy.FAIL) {
                if (rejected.size() < InvalidRowsException.LISTED) {
                    rejected.add(row);
                }
                return;
            }
            rejected.add(row);
            if (request.maxRejectedRows() >= 0 && rejectedCount > request.maxRejectedRows()) {
                throw new TooManyRejectedException();
            }
        }

        private void send(Iterator<Batch> source) {
            // Read and serialise the next batch while this one is on the wire.
            try (Prefetcher<Batch> batches = new Prefetcher<>(source, 2, "powerbi-push-reader")) {
                sendAll(batches);
            }
        }

        private void sendAll(Iterator<Batch> batches) {
            while (true) {
                Batch batch;
                try {
                    if (!batches.hasNext()) {
                        return;
                    }
                    batch = batches.next();
                } catch (RowSourceException e) {
                    throw PushException.stopped(request, rowsSent, batchesSent, lastRowSent, "the input could not be read"
                            + (e.rowNumber() > 0 ? " at row " + PushException.n(e.rowNumber()) : "") + ": " + e.getMessage(), e);
                } catch (InputChangedException e) {
                    throw PushException.stopped(request, rowsSent, batchesSent, lastRowSent,
                            "the input changed between validation and sending (" + e.row + ")", null);
                } catch (TooManyRejectedException e) {
                    InvalidRowsException detail = new InvalidRowsException(request.tableName(), rowsRead, rejectedCount,
                            rejected, "more than maxRejectedRows=" + request.maxRejectedRows() + " were rejected, so the "
                            + "push stopped (does the input match the table?)");
                    throw PushException.stopped(request, rowsSent, batchesSent, lastRowSent,
                            "more than " + request.maxRejectedRows() + " rows were rejected", detail);
                } catch (UncheckedIOException e) {
                    throw PushException.stopped(request, rowsSent, batchesSent, lastRowSent, e.getMessage(), e);
                }
                sendOne(batch);
            }
        }

        private void sendOne(Batch batch) {
            DatasetRateLimiter limiter = request.limiter();
            Duration waited;
            try {
                waited = limiter.acquire(batch.rows());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PushException.stopped(request, rowsSent, batchesSent, lastRowSent,
                        "interrupted while waiting for the dataset's rate limits (the route is stopping?)", e);
            }
            if (!waited.isZero()) {
                throttledWaits++;
                throttledNanos += waited.toNanos();
                listener.throttled(request.datasetId(), waited);
            }
            try {
                // at-least-once: a batch whose answer was lost is sent again and may arrive twice (Power BI has no
                // batch id to deduplicate by); the client logs and counts each such resend
                client.send(PowerBiRequest.json("POST", path, Map.of(), batch.body(), "table '" + request.tableName() + "'")
                        .with(Idempotency.AT_LEAST_ONCE));
            } catch (PowerBiException e) {
                if (e.httpStatus() == 429) {
                    limiter.onThrottled(Duration.ofSeconds(Math.max(0, e.retryAfterSeconds())));
                }
                throw PushException.batchFailed(request, rowsSent, batchesSent, lastRowSent, batch, e);
            } catch (RuntimeException e) {
                throw PushException.batchFailed(request, rowsSent, batchesSent, lastRowSent, batch, e);
            } finally {
                limiter.release();
            }
            rowsSent += batch.rows();
            batchesSent++;
            listener.batchAccepted(request.datasetId(), batch.rows());
            lastRowSent = batch.lastRow();
            LOG.debug("{} accepted", batch);
            progress.sent(rowsSent, batchesSent, rowsToSend, throttledWaits, Duration.ofNanos(throttledNanos));
        }
    }

    /** A row valid on the first pass is not on the second: the body changed under us. */
    private static final class InputChangedException extends RuntimeException {
        private final RejectedRow row;

        InputChangedException(RejectedRow row) {
            super(null, null, false, false);
            this.row = row;
        }
    }

    private static final class TooManyRejectedException extends RuntimeException {
        TooManyRejectedException() {
            super(null, null, false, false);
        }
    }
}
