package io.camelpowerbi.component;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.push.InvalidRowPolicy;
import io.camelpowerbi.push.InvalidRowsException;
import io.camelpowerbi.push.RateLimits;
import io.camelpowerbi.push.RawRow;
import io.camelpowerbi.push.RejectedRow;
import io.camelpowerbi.push.RowAck;
import io.camelpowerbi.push.RowOutcome;
import io.camelpowerbi.push.RowSource;
import io.camelpowerbi.push.RowStream;
import io.camelpowerbi.push.RowValidator;
import io.camelpowerbi.push.ValidRow;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * {@code pushRows} with {@code streaming=true}: each message's rows are checked now and handed to the component's
 * {@link RowStream}, which batches them per table; the message completes when Power BI accepted the batch holding its
 * rows, or fails with the reason (on a thread of its own, never a sender's). A message carrying a {@link RowAck} (header
 * {@link PowerBiConstants#ROW_ACK}) completes once its rows are buffered, and the ack hears the rest: a Kafka
 * consumer commits a record's offset so, without waiting for each record in turn.
 */
public class PowerBiStreamProducer extends DefaultAsyncProducer {

    private RowStream stream;
    private ExecutorService completions;

    public PowerBiStreamProducer(PowerBiEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public PowerBiEndpoint getEndpoint() {
        return (PowerBiEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        stream = getEndpoint().getComponent().openRowStream();
        completions = getEndpoint().getComponent().streamCompletions();
    }

    @Override
    protected void doStop() throws Exception {
        if (stream != null) {
            getEndpoint().getComponent().releaseRowStream(stream);
            stream = null;
            completions = null;
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        long started = System.nanoTime();
        try {
            Message in = exchange.getIn();
            PowerBiOperation operation =
                    in.getHeader(PowerBiConstants.OPERATION, PowerBiOperation.pushRows, PowerBiOperation.class);
            if (operation != PowerBiOperation.pushRows) {
                throw new InvalidOptionException(
                        PowerBiConstants.OPERATION,
                        "a streaming pushRows endpoint runs" + " pushRows only, not " + operation,
                        "send other operations to an endpoint without streaming");
            }
            RowStream.Target target = target(in);
            List<ValidRow> valid = check(exchange, in, target);
            in.setHeader(PowerBiConstants.WORKSPACE_ID, target.groupId());
            in.setHeader(PowerBiConstants.DATASET_ID, target.datasetId());
            RowAck external = in.getHeader(PowerBiConstants.ROW_ACK) instanceof RowAck ack ? ack : null;
            if (valid.isEmpty() || external != null) {
                stream.offer(target, valid, external);
                in.setHeader(PowerBiConstants.DURATION, (System.nanoTime() - started) / 1_000_000);
                callback.done(true);
                return true;
            }
            stream.offer(target, valid, new ExchangeAck(exchange, callback, completions, started));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.setException(e);
        } catch (Exception e) {
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }

    /** The message's table: header CamelPowerBiTarget, else the workspace, dataset and table headers and options. */
    private RowStream.Target target(Message in) {
        PowerBiEndpoint endpoint = getEndpoint();
        PowerBiConfiguration c = endpoint.getConfiguration();
        String text = PowerBiEndpoint.header(in, PowerBiConstants.TARGET, null);
        String g;
        String d;
        String table;
        if (text != null) {
            String[] parts = text.split("/", -1);
            if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
                throw new InvalidOptionException(
                        PowerBiConstants.TARGET,
                        "'" + SingleLine.show(text) + "' is not" + " workspace/dataset/table",
                        "give names or ids as workspace/dataset/table, each"
                                + " percent-encoded when it holds a / (e.g. Sales%2FEU/Orders/Lines)");
            }
            g = endpoint.operations().names().workspaceId(decode(parts[0]));
            d = endpoint.operations().names().datasetId(g, decode(parts[1]));
            table = decode(parts[2]);
        } else {
            g = endpoint.workspaceId(in);
            d = endpoint.datasetId(in, g);
            table = endpoint.table(in);
        }
        return new RowStream.Target(
                endpoint.client(),
                g,
                d,
                table,
                endpoint.getComponent()
                        .rateLimiters()
                        .forDataset(
                                d,
                                new RateLimits(
                                        c.getMaxRequestsPerMinute(), c.getMaxRowsPerHour(), c.getMaxPendingRequests())),
                c.getBatchSize(),
                c.getLingerTime());
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The message's rows that fit the table; rejected ones fail the message (FAIL) or go in headers (SKIP). */
    private List<ValidRow> check(Exchange exchange, Message in, RowStream.Target target) throws Exception {
        PowerBiConfiguration c = getEndpoint().getConfiguration();
        RowValidator validator = new RowValidator(
                getEndpoint().schema(target.groupId(), target.datasetId(), target.table()), c.isIgnoreUnknownColumns());
        List<ValidRow> valid = new ArrayList<>();
        List<RejectedRow> rejected = new ArrayList<>();
        long read = 0;
        try (RowSource source = RowSource.open(
                in.getBody(), c.getFormat(), in.getHeader(Exchange.FILE_NAME, String.class), c.pushCharset())) {
            while (source.hasNext()) {
                RawRow raw = source.next();
                read++;
                RowOutcome outcome = validator.validate(raw);
                if (outcome instanceof ValidRow row) {
                    valid.add(row);
                } else {
                    rejected.add((RejectedRow) outcome);
                }
            }
        }
        in.setHeader(PowerBiConstants.REJECTED_COUNT, rejected.size());
        if (!rejected.isEmpty()) {
            if (c.getInvalidRowPolicy() == InvalidRowPolicy.FAIL) {
                throw new InvalidRowsException(
                        target.table(),
                        read,
                        rejected.size(),
                        rejected,
                        "nothing of this message was sent (invalidRowPolicy=FAIL)");
            }
            in.setHeader(PowerBiConstants.REJECTED_ROWS, rejected);
        }
        return valid;
    }

    /** Completes the message once its rows were accepted, or fails it; off the stream's threads. */
    private static final class ExchangeAck implements RowAck {
        private final Exchange exchange;
        private final AsyncCallback callback;
        private final ExecutorService completions;
        private final long started;

        ExchangeAck(Exchange exchange, AsyncCallback callback, ExecutorService completions, long started) {
            this.exchange = exchange;
            this.callback = callback;
            this.completions = completions;
            this.started = started;
        }

        @Override
        public void accepted(int rows) {
            complete(() -> {
                Message in = exchange.getIn();
                in.setHeader(PowerBiConstants.ROWS_SENT, (long) rows);
                in.setHeader(PowerBiConstants.DURATION, (System.nanoTime() - started) / 1_000_000);
                callback.done(false);
            });
        }

        @Override
        public void failed(int rows, RuntimeException reason) {
            complete(() -> {
                exchange.setException(reason);
                callback.done(false);
            });
        }

        private void complete(Runnable completion) {
            try {
                completions.execute(completion);
            } catch (RejectedExecutionException e) {
                completion.run(); // the pool is shutting down: complete here rather than never
            }
        }
    }
}
