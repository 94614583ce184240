package io.camelpowerbi.push;

import io.camelpowerbi.client.Sleeper;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link DatasetRateLimiter} per dataset, for the whole component: Power BI counts requests per dataset, whichever
 * endpoint or route sends them. Key it by the dataset id (not a name: two endpoints naming the same dataset differently
 * must share a limiter).
 */
public final class RateLimiters {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimiters.class);

    private final ConcurrentMap<String, DatasetRateLimiter> limiters = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final Sleeper sleeper;
    private volatile double timeScale = 1;

    public RateLimiters() {
        this(Sleeper.SYSTEM);
    }

    public RateLimiters(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    /**
     * The limiter of {@code datasetId}, made with {@code limits} on first use. The first limits win: a later endpoint
     * configured differently gets the existing limiter, and a warning.
     */
    public DatasetRateLimiter forDataset(String datasetId, RateLimits limits) {
        RateLimits wanted = limits == null ? RateLimits.DEFAULTS : limits;
        DatasetRateLimiter limiter =
                limiters.computeIfAbsent(datasetId, id -> new DatasetRateLimiter(id, wanted, sleeper, timeScale));
        if (!limiter.limits().equals(wanted) && warned.add(datasetId)) {
            LOG.warn(
                    "dataset {} already has the push rate limits {}; the limits {} of another endpoint are not applied: "
                            + "configure the same limits on every endpoint of a dataset",
                    datasetId,
                    limiter.limits(),
                    wanted);
        }
        return limiter;
    }

    /**
     * The limiters made from now on count windows of {@code 1 / timeScale} of a minute and an hour, as a sandbox whose
     * {@code limits.timeScale} is {@code timeScale} does (1: Power BI's).
     */
    public void timeScale(double timeScale) {
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("timeScale must be a positive number, got " + timeScale);
        }
        this.timeScale = timeScale;
    }

    public int size() {
        return limiters.size();
    }

    /** Forgets every limiter (component stop). */
    public void clear() {
        limiters.clear();
        warned.clear();
    }
}
