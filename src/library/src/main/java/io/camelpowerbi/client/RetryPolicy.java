package io.camelpowerbi.client;

import java.time.Duration;

/**
 * How hard {@link PowerBiClient} tries: 429 waits {@code Retry-After} (up to {@code maxRetryAfter}, beyond which the
 * error is raised rather than sleeping for an hour), 5xx and broken connections back off exponentially with jitter,
 * all bounded by {@code maxAttempts} and {@code maxTotal}.
 */
public record RetryPolicy(
        int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxTotal, Duration maxRetryAfter) {

    public static RetryPolicy defaults() {
        return new RetryPolicy(
                6, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(5));
    }

    /** Backoff before attempt {@code attempt + 1}: initial × 2^(attempt-1), capped, with full jitter in [50 %, 100 %]. */
    Duration backoff(int attempt) {
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, maxBackoff.toMillis());
        long jittered =
                capped / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofMillis(jittered);
    }
}
