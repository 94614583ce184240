package io.camelpowerbi.component;

/**
 * The component's meter names and tags, in one place. Names are Micrometer's dotted form; a Prometheus registry shows
 * them with underscores, counters with {@code _total}, timers in {@code _seconds_count}/{@code _seconds_sum}/
 * {@code _seconds_max} and the lag gauge in {@code _seconds} (the Prometheus names are in each constant's comment).
 */
public final class PowerBiMetricNames {

    /** {@code powerbi_rows_pushed_total{dataset}}: rows Power BI accepted. */
    public static final String ROWS_PUSHED = "powerbi.rows.pushed";
    /** {@code powerbi_batches_sent_total{dataset}}: POST rows requests Power BI accepted. */
    public static final String BATCHES_SENT = "powerbi.batches.sent";
    /**
     * {@code powerbi_throttled_waits_seconds_count/_sum{source}}: waits for a limit, and their time. Sources:
     * {@link #SOURCE_RATE_LIMITER}, {@link #SOURCE_RETRY_AFTER}, {@link #SOURCE_REQUEST_BUDGET}.
     */
    public static final String THROTTLED_WAITS = "powerbi.throttled.waits";
    /** {@code powerbi_token_refreshes_total{outcome}}: token requests to Entra, {@code success} or {@code failure}. */
    public static final String TOKEN_REFRESHES = "powerbi.token.refreshes";
    /**
     * {@code powerbi_api_errors_total{status,code}}: calls that failed for good, by HTTP status ({@code none}: no answer)
     * and Power BI error code ({@code none} when Power BI gave none).
     */
    public static final String API_ERRORS = "powerbi.api.errors";
    /** {@code powerbi_api_retries_total{status}}: calls sent again after a 429, a 5xx or a broken connection ({@code none}). */
    public static final String API_RETRIES = "powerbi.api.retries";
    /**
     * {@code powerbi_api_ambiguous_resends_total{status}}: at-least-once calls (push batches) sent again after a failure
     * that leaves open whether Power BI processed them (a broken connection, 500, 502, 504): each may have duplicated
     * its rows.
     */
    public static final String API_AMBIGUOUS_RESENDS = "powerbi.api.ambiguous.resends";
    /** {@code powerbi_consumer_lag_seconds{consumer,route}}: how far a polling consumer's checkpoint is behind now. */
    public static final String CONSUMER_LAG = "powerbi.consumer.lag";

    public static final String TAG_DATASET = "dataset";
    public static final String TAG_SOURCE = "source";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_STATUS = "status";
    public static final String TAG_CODE = "code";
    public static final String TAG_CONSUMER = "consumer";
    public static final String TAG_ROUTE = "route";

    /** The push rate limiter of a dataset held a batch (requests a minute, rows an hour, requests pending). */
    public static final String SOURCE_RATE_LIMITER = "rate_limiter";
    /** Power BI answered 429 and the call waited its Retry-After. */
    public static final String SOURCE_RETRY_AFTER = "retry_after";
    /** A polling consumer waited for its own request budget (e.g. activity events: 200 requests an hour). */
    public static final String SOURCE_REQUEST_BUDGET = "request_budget";

    public static final String OUTCOME_SUCCESS = "success";
    public static final String OUTCOME_FAILURE = "failure";
    /** Tag value for a missing status or code. */
    public static final String MISSING = "none";

    private PowerBiMetricNames() {}
}
