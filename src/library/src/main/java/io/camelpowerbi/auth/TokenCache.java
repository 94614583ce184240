package io.camelpowerbi.auth;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens of one component: one {@link RefreshingToken} per {@link TokenKey}, so every endpoint with the same
 * cloud, tenant, app, credential and scope shares one token and one refresh, whether Entra's token endpoint or
 * azure-identity issues it, and each audience (Power BI, Fabric, storage, SQL) has a token of its own. The cache owns
 * the HTTP clients its
 * tokens are fetched with and closes them with itself.
 */
public final class TokenCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenCache.class);
    private static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Map<TokenKey, Entry> tokens = new ConcurrentHashMap<>();
    private final Clock clock;
    private final ExecutorService refresher;
    private final TokenRefreshListener listener;

    public TokenCache(Clock clock) {
        this(clock, TokenRefreshListener.NONE);
    }

    /** @param listener told how every token request of this cache ended, for metrics */
    public TokenCache(Clock clock, TokenRefreshListener listener) {
        this.clock = clock;
        this.listener = listener;
        this.refresher = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "powerbi-token-refresh");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The shared token for {@code source}; created on first use with a client from {@code http} and {@code signer}.
     */
    public RefreshingToken tokenFor(
            TokenSource source, Duration refreshMargin, AssertionSigner signer, Supplier<CloseableHttpClient> http) {
        return tokens.computeIfAbsent(source.key(signer), key -> {
                    CloseableHttpClient client = http.get();
                    EntraTokenClient entra = new EntraTokenClient(client, signer, clock);
                    RefreshingToken token = new RefreshingToken(
                            () -> entra.requestToken(source, refreshMargin),
                            clock,
                            refresher,
                            MIN_BACKOFF,
                            MAX_BACKOFF,
                            listener);
                    return new Entry(token, client);
                })
                .token();
    }

    /**
     * The tokens of {@code source}'s app and credential for any audience: each resource is a {@link TokenKey} of its own
     * (the key holds the scope), created on first use.
     */
    public TokenProviders providers(
            TokenSource source, Duration refreshMargin, AssertionSigner signer, Supplier<CloseableHttpClient> http) {
        return resource -> tokenFor(source.withResource(resource), refreshMargin, signer, http);
    }

    /**
     * The shared token azure-identity gives for {@code source}, kept fresh like every other: refreshed
     * {@code refreshMargin} ahead of expiry with one fetch in flight.
     */
    public RefreshingToken tokenFor(AzureIdentitySource source, Duration refreshMargin) {
        return tokens.computeIfAbsent(
                        source.key(),
                        key -> new Entry(
                                new RefreshingToken(
                                        AzureIdentityTokens.fetcher(source, refreshMargin, clock),
                                        clock,
                                        refresher,
                                        MIN_BACKOFF,
                                        MAX_BACKOFF,
                                        listener),
                                null))
                .token();
    }

    public int size() {
        return tokens.size();
    }

    @Override
    public void close() {
        for (Entry e : tokens.values()) {
            if (e.http() == null) {
                continue;
            }
            try {
                e.http().close();
            } catch (IOException ex) {
                LOG.debug("Closing a token HTTP client failed: {}", ex.toString());
            }
        }
        tokens.clear();
        refresher.shutdownNow();
    }

    /** @param http the client its tokens are fetched with, or null when azure-identity fetches them */
    private record Entry(RefreshingToken token, CloseableHttpClient http) {}
}
