package io.camelpowerbi.push;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything one push needs. Build it with {@link #builder(String, String, TableSchema)}.
 *
 * @param groupId              workspace id
 * @param datasetId            dataset id
 * @param tableName            table to push into (defaults to the schema's name)
 * @param schema               the table's columns, to check and coerce rows against
 * @param body                 the rows (see {@link RowSource#open(Object, Format, String, Charset)})
 * @param format               layout of a text body
 * @param fileName             the body's file name, for {@link Format#AUTO} on a stream; may be null
 * @param charset              of a text body given as bytes
 * @param policy               what to do with rows that do not fit
 * @param ignoreUnknownColumns drop fields the table lacks instead of rejecting the row
 * @param batchSize            rows per request, 1 to 10,000
 * @param limiter              the dataset's rate limiter, shared by every endpoint of the component
 * @param progressInterval     how often, at most, progress is logged
 * @param maxRejectedRows      with {@link InvalidRowPolicy#SKIP}: more rejected rows than this fail the push (the input
 *                             then hardly matches the table, and the rejected rows are kept in memory); -1 for no limit
 * @param spoolDirectory       where {@link InvalidRowPolicy#FAIL} parks a read-once input while validating, and the
 *                             copy of a file it checks; null for the temporary directory
 * @param checkpoints          where the rows Power BI accepted of a file body are recorded, so a push of the same file
 *                             after a crash resumes after them; null for none
 */
public record PushRequest(
        String groupId,
        String datasetId,
        String tableName,
        TableSchema schema,
        Object body,
        Format format,
        String fileName,
        Charset charset,
        InvalidRowPolicy policy,
        boolean ignoreUnknownColumns,
        int batchSize,
        DatasetRateLimiter limiter,
        Duration progressInterval,
        long maxRejectedRows,
        Path spoolDirectory,
        PushCheckpoints checkpoints) {

    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(10);
    public static final long DEFAULT_MAX_REJECTED_ROWS = 10_000;

    public PushRequest {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(datasetId, "datasetId");
        Objects.requireNonNull(schema, "schema");
        tableName = tableName == null ? schema.name() : tableName;
        format = format == null ? Format.AUTO : format;
        charset = charset == null ? StandardCharsets.UTF_8 : charset;
        policy = policy == null ? InvalidRowPolicy.FAIL : policy;
        RowBatcher.checkBatchSize(batchSize);
        limiter = limiter == null ? new DatasetRateLimiter(datasetId, RateLimits.DEFAULTS) : limiter;
        progressInterval = progressInterval == null ? DEFAULT_PROGRESS_INTERVAL : progressInterval;
    }

    public static Builder builder(String groupId, String datasetId, TableSchema schema) {
        return new Builder(groupId, datasetId, schema);
    }

    @Override
    public String toString() { // never the body
        return "PushRequest[group=" + groupId + ", dataset=" + datasetId + ", table=" + tableName + ", format=" + format
                + ", policy=" + policy + ", batchSize=" + batchSize + "]";
    }

    public static final class Builder {
        private final String groupId;
        private final String datasetId;
        private final TableSchema schema;
        private String tableName;
        private Object body;
        private Format format = Format.AUTO;
        private String fileName;
        private Charset charset = StandardCharsets.UTF_8;
        private InvalidRowPolicy policy = InvalidRowPolicy.FAIL;
        private boolean ignoreUnknownColumns;
        private int batchSize = RowBatcher.DEFAULT_BATCH_SIZE;
        private DatasetRateLimiter limiter;
        private Duration progressInterval = DEFAULT_PROGRESS_INTERVAL;
        private long maxRejectedRows = DEFAULT_MAX_REJECTED_ROWS;
        private Path spoolDirectory;
        private PushCheckpoints checkpoints;

        private Builder(String groupId, String datasetId, TableSchema schema) {
            this.groupId = groupId;
            this.datasetId = datasetId;
            this.schema = schema;
        }

        public Builder tableName(String tableName) {
            this.tableName = tableName;
            return this;
        }

        public Builder body(Object body) {
            this.body = body;
            return this;
        }

        public Builder format(Format format) {
            this.format = format;
            return this;
        }

        public Builder fileName(String fileName) {
            this.fileName = fileName;
            return this;
        }

        public Builder charset(Charset charset) {
            this.charset = charset;
            return this;
        }

        public Builder policy(InvalidRowPolicy policy) {
            this.policy = policy;
            return this;
        }

        public Builder ignoreUnknownColumns(boolean ignore) {
            this.ignoreUnknownColumns = ignore;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder limiter(DatasetRateLimiter limiter) {
            this.limiter = limiter;
            return this;
        }

        public Builder progressInterval(Duration progressInterval) {
            this.progressInterval = progressInterval;
            return this;
        }

        public Builder maxRejectedRows(long maxRejectedRows) {
            this.maxRejectedRows = maxRejectedRows;
            return this;
        }

        public Builder spoolDirectory(Path spoolDirectory) {
            this.spoolDirectory = spoolDirectory;
            return this;
        }

        public Builder checkpoints(PushCheckpoints checkpoints) {
            this.checkpoints = checkpoints;
            return this;
        }

        public PushRequest build() {
            return new PushRequest(
                    groupId,
                    datasetId,
                    tableName,
                    schema,
                    body,
                    format,
                    fileName,
                    charset,
                    policy,
                    ignoreUnknownColumns,
                    batchSize,
                    limiter,
                    progressInterval,
                    maxRejectedRows,
                    spoolDirectory,
                    checkpoints);
        }
    }
}
