package io.camelpowerbi.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefreshingTokenTest {

    static final int THREADS = 64;
    final TestClock clock = new TestClock(Instant.parse("2026-11-30T08:00:00Z"));
    final ExecutorService refresher = Executors.newCachedThreadPool();
    final ExecutorService callers = Executors.newFixedThreadPool(THREADS);
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicReference<Supplier<AccessToken>> next = new AtomicReference<>();

    RefreshingToken token = new RefreshingToken(
            () -> {
                fetches.incrementAndGet();
                return next.get().get();
            },
            clock,
            refresher,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30));

    @AfterEach
    void stop() {
        refresher.shutdownNow();
        callers.shutdownNow();
    }

    AccessToken issue(String value) {
        Instant now = clock.instant();
        return new AccessToken(value, now.plus(Duration.ofMinutes(60)), now.plus(Duration.ofMinutes(55)));
    }

    @Test
    void sixtyFourCallersNearExpiryCauseOneFetchAndNoneWaits() throws Exception {
        next.set(() -> issue("t1"));
        AccessToken t1 = token.getToken();
        assertEquals(1, fetches.get());

        clock.advance(Duration.ofMinutes(56)); // inside the refresh margin, still valid
        CountDownLatch release = new CountDownLatch(1);
        next.set(() -> {
            block(release);
            return issue("t2");
        });
        CyclicBarrier start = new CyclicBarrier(THREADS);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Future<?>[] done = new Future<?>[THREADS];
        for (int i = 0; i < THREADS; i++) {
            done[i] = callers.submit(() -> {
                start.await();
                for (int j = 0; j < 200; j++) {
                    seen.add(token.getToken().value());
                }
                return null;
            });
        }
        // Every caller finishes while the refresh is still blocked: nobody waited for it.
        for (Future<?> f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(Set.of("t1"), seen);
        assertEquals(2, fetches.get(), "exactly one refresh for 64 x 200 calls");

        release.countDown();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> token.getToken().value().equals("t2"));
        assertEquals(2, fetches.get());
        assertTrue(t1.isValidAt(clock.instant()));
    }

    @Test
    void callersWithoutAValidTokenShareOneFetch() throws Exception {
        next.set(() -> issue("t1"));
        token.getToken();
        clock.advance(Duration.ofMinutes(61)); // expired
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch fetching = new CountDownLatch(1);
        next.set(() -> {
            fetching.countDown();
            block(release);
            return issue("t2");
        });
        Future<?>[] done = new Future<?>[THREADS];
        Set<String> seen = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < THREADS; i++) {
            done[i] = callers.submit(() -> seen.add(token.getToken().value()));
        }
        assertTrue(fetching.await(5, TimeUnit.SECONDS));
        release.countDown();
        for (Future<?> f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(Set.of("t2"), seen);
        assertEquals(2, fetches.get());
    }

    @Test
    void failedRefreshKeepsTheOldTokenAndBacksOff() {
        next.set(() -> issue("t1"));
        AccessToken t1 = token.getToken();
        clock.advance(Duration.ofMinutes(56));
        next.set(() -> {
            throw new EntraException(503, "temporarily_unavailable", 0, "down", null, null, null, null);
        });
        assertSame(t1, token.getToken()); // starts the refresh, which fails
        await().atMost(Duration.ofSeconds(5)).until(() -> fetches.get() == 2 && token.getToken() == t1);
        for (int i = 0; i < 100; i++) {
            assertSame(t1, token.getToken());
        }
        assertEquals(2, fetches.get(), "no new attempt within the backoff");

        clock.advance(Duration.ofSeconds(1)); // backoff over
        next.set(() -> issue("t2"));
        token.getToken();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> token.getToken().value().equals("t2"));
        assertEquals(3, fetches.get());
    }

    @Test
    void failureWithoutAValidTokenReachesTheCallerAndIsNotRepeatedWithinBackoff() {
        next.set(() -> {
            throw new EntraException(
                    401, "invalid_client", 7000215, "Invalid client secret provided.", null, null, null, null);
        });
        EntraException first = assertThrows(EntraException.class, token::getToken);
        assertEquals(7000215, first.code());
        assertThrows(EntraException.class, token::getToken);
        assertEquals(1, fetches.get());
        clock.advance(Duration.ofSeconds(2));
        assertThrows(EntraException.class, token::getToken);
        assertEquals(2, fetches.get());
    }

    @Test
    void invalidateDropsOnlyTheRejectedToken() {
        next.set(() -> issue("t" + (fetches.get())));
        AccessToken first = token.getToken();
        token.invalidate(new AccessToken("someone-else", Instant.MAX, Instant.MAX));
        assertSame(first, token.getToken());
        token.invalidate(first);
        AccessToken second = token.getToken();
        assertEquals("t2", second.value());
        token.invalidate(first); // a late caller with the old token: no second fetch
        assertSame(second, token.getToken());
        assertEquals(2, fetches.get());
    }

    private static void block(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
