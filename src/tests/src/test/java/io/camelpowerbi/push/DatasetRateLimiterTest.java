package io.camelpowerbi.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Power BI's POST rows limits, with a fake clock: the windows are tested by moving time, not by waiting. */
class DatasetRateLimiterTest {

    final TestClock time = new TestClock();

    DatasetRateLimiter limiter(RateLimits limits) {
        return new DatasetRateLimiter("ds-1", limits, time);
    }

    @Test
    void the121stRequestInAMinuteWaitsUntilTheFirstLeavesTheWindow() throws Exception {
        DatasetRateLimiter limiter = limiter(RateLimits.DEFAULTS);
        long start = time.millis();
        assertEquals(Duration.ZERO, limiter.acquire(100));
        limiter.release();
        time.advance(Duration.ofSeconds(10));
        for (int i = 2; i <= 120; i++) {
            assertEquals(Duration.ZERO, limiter.acquire(100), "request " + i);
            limiter.release();
        }
        Duration waited = limiter.acquire(100);
        limiter.release();
        // a send is held 60.6 s: Power BI counts it on arrival, a little after it leaves us
        assertEquals(Duration.ofMillis(50_600), waited, "the first request leaves the window 60.6 s after it was sent");
        assertEquals(start + 60_600, time.millis());
        assertEquals(List.of(Duration.ofMillis(50_600)), time.sleeps());
        // the next 119 were sent at +10 s: they leave the window at +70.6 s
        Duration next = limiter.acquire(100);
        limiter.release();
        assertEquals(Duration.ofSeconds(10), next);
        assertEquals(2, limiter.throttledWaits());
        assertEquals(Duration.ofMillis(60_600), limiter.throttledTime());
    }

    @Test
    void tryAcquireAdmitsWithoutWaitingAndOtherwiseSaysHowLongUntilTheWindowsAdmit() {
        // a sandbox whose limits.timeScale is 60: its minute lasts a second (1.01 s with the margin)
        DatasetRateLimiter limiter = new DatasetRateLimiter("ds-1", new RateLimits(2, 1_000_000, 5), time, 60);
        assertEquals(0, limiter.tryAcquire(10));
        limiter.release();
        time.advance(Duration.ofMillis(100));
        assertEquals(0, limiter.tryAcquire(10));
        limiter.release();
        assertEquals(910, limiter.tryAcquire(10), "the first send leaves the scaled window 1,010 ms after it went");
        time.advance(Duration.ofMillis(910));
        assertEquals(0, limiter.tryAcquire(10));
        limiter.release();
        assertTrue(time.sleeps().isEmpty(), "it never sleeps");
    }

    @Test
    void aSendCountsFromWhenItsAnswerCameForPowerBiCountsItOnArrival() {
        // a sandbox whose limits.timeScale is 60: its minute lasts a second (1.01 s with the margin)
        DatasetRateLimiter limiter = new DatasetRateLimiter("ds-1", new RateLimits(2, 1_000_000, 5), time, 60);
        assertEquals(0, limiter.tryAcquire(10));
        // the first request took 300 ms to reach Power BI and be answered (a busy sender, a slow network)
        time.advance(Duration.ofMillis(300));
        limiter.release();
        assertEquals(0, limiter.tryAcquire(10));
        limiter.release();
        // counted from its answer, the first leaves the window at 300 + 1,010 ms, not at 1,010
        assertEquals(1_010, limiter.tryAcquire(10));
        time.advance(Duration.ofMillis(1_009));
        assertEquals(1, limiter.tryAcquire(10));
        time.advance(Duration.ofMillis(1));
        assertEquals(0, limiter.tryAcquire(10));
    }

    @Test
    void aSendInFlightHoldsItsPlaceInTheWindowsUntilItsAnswer() {
        DatasetRateLimiter limiter = new DatasetRateLimiter("ds-1", new RateLimits(1, 1_000_000, 5), time, 60);
        assertEquals(0, limiter.tryAcquire(10));
        time.advance(Duration.ofSeconds(5));
        assertEquals(1_010, limiter.tryAcquire(10), "no answer yet: at the soonest a window after one comes now");
        limiter.release();
        time.advance(Duration.ofMillis(1_010));
        assertEquals(0, limiter.tryAcquire(10));
    }

    @Test
    void tryAcquireSaysNoSlotWhileMaxPendingRequestsAreInFlight() {
        DatasetRateLimiter limiter = limiter(new RateLimits(120, 1_000_000, 2));
        assertEquals(0, limiter.tryAcquire(1));
        assertEquals(0, limiter.tryAcquire(1));
        assertEquals(DatasetRateLimiter.NO_SLOT, limiter.tryAcquire(1));
        limiter.release();
        assertEquals(0, limiter.tryAcquire(1));
    }

    @Test
    void aTimeScaledHourHoldsTheRowsPerHour() {
        DatasetRateLimiter limiter = new DatasetRateLimiter("ds-1", new RateLimits(120, 100, 5), time, 60);
        assertEquals(0, limiter.tryAcquire(100));
        limiter.release();
        // the hour of a timeScale of 60 lasts a minute (60.6 s with the margin)
        assertEquals(60_600, limiter.tryAcquire(1));
        time.advance(Duration.ofMillis(60_600));
        assertEquals(0, limiter.tryAcquire(1));
    }

    @Test
    void requestsSpreadJustUnderTheLimitNeverWait() throws Exception {
        DatasetRateLimiter limiter = limiter(RateLimits.DEFAULTS);
        for (int i = 0; i < 1_000; i++) {
            assertEquals(Duration.ZERO, limiter.acquire(1));
            limiter.release();
            time.advance(Duration.ofMillis(505)); // 120 per 60.6 s: the limit less the arrival margin
        }
        assertEquals(0, limiter.throttledWaits());
    }

    @Test
    void aMillionRowsPerHourIsEnforced() throws Exception {
        DatasetRateLimiter limiter = limiter(RateLimits.DEFAULTS);
        long start = time.millis();
        for (int i = 0; i < 100; i++) { // 100 × 10,000 = 1,000,000 rows, one batch a second
            assertEquals(Duration.ZERO, limiter.acquire(10_000));
            limiter.release();
            time.advance(Duration.ofSeconds(1));
        }
        Duration waited = limiter.acquire(10_000);
        limiter.release();
        assertEquals(start + 3_636_000, time.millis(), "waits until the first batch is an hour (and 1 %) old");
        assertEquals(Duration.ofSeconds(3636 - 100), waited);
        // a small batch needs only the second batch's 10,000 rows to leave
        Duration small = limiter.acquire(1);
        limiter.release();
        assertEquals(Duration.ofSeconds(1), small);
    }

    @Test
    void aBatchBiggerThanTheHourlyLimitIsRefused() {
        DatasetRateLimiter limiter = limiter(new RateLimits(120, 5_000, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> limiter.acquire(5_001));
        assertTrue(e.getMessage().contains("rowsPerHour=5000"), e.getMessage());
    }

    @Test
    void limitsAreChecked() {
        assertEquals(
                "maxRequestsPerMinute",
                assertThrows(InvalidOptionException.class, () -> new RateLimits(0, 1, 1))
                        .option());
        assertEquals(
                "maxRowsPerHour",
                assertThrows(InvalidOptionException.class, () -> new RateLimits(1, 0, 1))
                        .option());
        assertEquals(
                "maxPendingRequests",
                assertThrows(InvalidOptionException.class, () -> new RateLimits(1, 1, 0))
                        .option());
        assertThrows(
                IllegalStateException.class, () -> limiter(RateLimits.DEFAULTS).release());
    }

    @Test
    @Timeout(20)
    void atMostFivePendingAcrossThreads() throws Exception {
        DatasetRateLimiter limiter = limiter(new RateLimits(1_000, 1_000_000, 5));
        int threads = 8;
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicInteger acquired = new AtomicInteger();
        Semaphore finish = new Semaphore(0);
        CountDownLatch done = new CountDownLatch(threads);
        ConcurrentLinkedQueue<Duration> waits = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(
                    () -> {
                        try {
                            waits.add(limiter.acquire(10));
                            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                            acquired.incrementAndGet();
                            finish.acquire();
                            inFlight.decrementAndGet();
                            limiter.release();
                        } catch (Throwable e) {
                            errors.add(e);
                        } finally {
                            done.countDown();
                        }
                    },
                    "pusher-" + i);
            workers.add(t);
            t.start();
        }
        // the front waiter must be parked on the pending condition, not still on its way from the turnstile: a slot
        // freed before it got there would let it through without waiting
        spinUntil(() -> acquired.get() == 5 && parked(workers) == 3 && waitingForASlot(workers) == 1);
        assertEquals(5, limiter.pending());
        for (int next = 6; next <= threads; next++) {
            finish.release(1); // one request answered: exactly one more may go
            int expected = next;
            spinUntil(() -> acquired.get() == expected
                    && parked(workers) == threads - expected
                    && waitingForASlot(workers) == (expected < threads ? 1 : 0));
            assertEquals(5, limiter.pending());
        }
        finish.release(threads);
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(errors.isEmpty(), errors::toString);
        assertEquals(5, maxInFlight.get());
        assertEquals(0, limiter.pending());
        assertEquals(3, waits.stream().filter(d -> !d.isZero()).count(), "the three that waited say so: " + waits);
        assertEquals(3, limiter.throttledWaits());
    }

    /** Workers still blocked in acquire (parked on the turnstile or the pending condition). */
    private static int parked(List<Thread> workers) {
        int n = 0;
        for (Thread t : workers) {
            boolean inAcquire = false;
            for (StackTraceElement e : t.getStackTrace()) {
                if (e.getClassName().equals(DatasetRateLimiter.class.getName())
                        && e.getMethodName().equals("acquire")) {
                    inAcquire = true;
                    break;
                }
            }
            if (inAcquire && t.getState() == Thread.State.WAITING) {
                n++;
            }
        }
        return n;
    }

    /** Workers parked on the limiter's pending condition (a turnstile waiter is parked on the lock instead). */
    private static int waitingForASlot(List<Thread> workers) {
        int n = 0;
        for (Thread t : workers) {
            Object blocker = java.util.concurrent.locks.LockSupport.getBlocker(t);
            if (blocker instanceof java.util.concurrent.locks.Condition) {
                n++;
            }
        }
        return n;
    }

    private static void spinUntil(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            Thread.onSpinWait();
        }
    }

    @Test
    void throttledAnswersAreCounted() {
        DatasetRateLimiter limiter = limiter(RateLimits.DEFAULTS);
        limiter.onThrottled(Duration.ofSeconds(3));
        assertEquals(1, limiter.throttledResponses());
    }

    @Test
    void oneLimiterPerDatasetForTheWholeComponent() {
        RateLimiters registry = new RateLimiters(time);
        DatasetRateLimiter a = registry.forDataset("ds-1", RateLimits.DEFAULTS);
        assertSame(a, registry.forDataset("ds-1", RateLimits.DEFAULTS));
        assertSame(a, registry.forDataset("ds-1", new RateLimits(2, 1_000, 1)), "the first limits win");
        assertNotSame(a, registry.forDataset("ds-2", null));
        assertEquals(RateLimits.DEFAULTS, registry.forDataset("ds-2", null).limits());
        assertEquals(2, registry.size());
    }
}
