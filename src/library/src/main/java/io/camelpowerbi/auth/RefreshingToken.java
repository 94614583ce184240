package io.camelpowerbi.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One token, kept fresh. The fast path is a volatile read of an immutable {@link AccessToken}. After its refresh time
 * the first caller starts one background fetch and every caller keeps using the still-valid token; only when no valid
 * token exists do callers wait, all on the same single fetch. A failed refresh keeps the old token until it expires
 * and is retried with exponential backoff. The design follows azure-core's AccessTokenCache and Salesforce's session.
 */
public final class RefreshingToken implements TokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshingToken.class);

    private final Supplier<AccessToken> fetcher;
    private final Clock clock;
    private final Executor executor;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final TokenRefreshListener listener;
    private final Object lock = new Object();

    private volatile AccessToken current;
    private volatile CompletableFuture<AccessToken> inFlight;
    private volatile Instant nextAttempt = Instant.MIN;
    private Duration backoff;
    private RuntimeException lastFailure;
    private long fetches;

    public RefreshingToken(
            Supplier<AccessToken> fetcher, Clock clock, Executor executor, Duration minBackoff, Duration maxBackoff) {
        this(fetcher, clock, executor, minBackoff, maxBackoff, TokenRefreshListener.NONE);
    }

    /** @param listener told how each fetch ended, for metrics */
    public RefreshingToken(
            Supplier<AccessToken> fetcher,
            Clock clock,
            Executor executor,
            Duration minBackoff,
            Duration maxBackoff,
            TokenRefreshListener listener) {
        this.listener = listener;
        this.fetcher = fetcher;
        this.clock = clock;
        this.executor = executor;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.backoff = minBackoff;
    }

    @Override
    public AccessToken getToken() {
        AccessToken token = current;
        if (token != null) {
            Instant now = clock.instant();
            if (now.isBefore(token.refreshAt())) {
                return token;
            }
            if (token.isValidAt(now)) {
                refreshInBackground(now);
                return token;
            }
        }
        return awaitFreshToken();
    }

    @Override
    public void invalidate(AccessToken rejected) {
        synchronized (lock) {
            if (rejected != null && current != null && current.value().equals(rejected.value())) {
                LOG.debug("Token rejected by Power BI; the next call fetches a new one");
                current = null;
                nextAttempt = Instant.MIN;
            }
        }
    }

    /** How many token fetches were started; for health details and tests. */
    public long fetchCount() {
        synchronized (lock) {
            return fetches;
        }
    }

    /** The current token, valid or not, without fetching. */
    public AccessToken peek() {
        return current;
    }

    /** Why the last fetch failed, or null when it succeeded (or none ran yet); for health details. */
    public RuntimeException lastFailure() {
        synchronized (lock) {
            return lastFailure;
        }
    }

    private void refreshInBackground(Instant now) {
        if (inFlight != null || now.isBefore(nextAttempt)) {
            return;
        }
        synchronized (lock) {
            if (inFlight == null
                    && !now.isBefore(nextAttempt)
                    && current != null
                    && !now.isBefore(current.refreshAt())) {
                LOG.debug("Token due for refresh (expires {}); refreshing in the background", current.expiresAt());
                start();
            }
        }
    }

    private AccessToken awaitFreshToken() {
        CompletableFuture<AccessToken> pending;
        synchronized (lock) {
            AccessToken token = current;
            Instant now = clock.instant();
            if (token != null && token.isValidAt(now)) {
                return token;
            }
            pending = inFlight;
            if (pending == null) {
                if (lastFailure != null && now.isBefore(nextAttempt)) {
                    // Entra just refused: answer with its reason instead of asking again within the backoff.
                    throw lastFailure;
                }
                pending = start();
            }
        }
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a Power BI token", e);
        } catch (ExecutionException | CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    /** Starts one fetch; the caller holds {@link #lock}. */
    private CompletableFuture<AccessToken> start() {
        CompletableFuture<AccessToken> promise = new CompletableFuture<>();
        inFlight = promise;
        fetches++;
        executor.execute(() -> {
            try {
                AccessToken token = fetcher.get();
                synchronized (lock) {
                    current = token;
                    lastFailure = null;
                    backoff = minBackoff;
                    nextAttempt = Instant.MIN;
                    inFlight = null;
                }
                listener.refreshed();
                promise.complete(token);
            } catch (RuntimeException | Error e) {
                RuntimeException failure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                synchronized (lock) {
                    lastFailure = failure;
                    nextAttempt = clock.instant().plus(backoff);
                    AccessToken old = current;
                    if (old != null && old.isValidAt(clock.instant())) {
                        LOG.warn(
                                "Token refresh failed; keeping the current token (expires {}) and retrying in {} s: {}",
                                old.expiresAt(),
                                backoff.toSeconds(),
                                failure.getMessage());
                    }
                    backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
                    inFlight = null;
                }
                listener.refreshFailed(failure);
                promise.completeExceptionally(e);
            }
        });
        return promise;
    }
}
