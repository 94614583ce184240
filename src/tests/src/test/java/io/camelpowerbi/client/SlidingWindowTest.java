package io.camelpowerbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.camelpowerbi.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one sliding-window limit (POST rows per minute and per hour, the admin APIs' hourly budgets), on a test clock. */
class SlidingWindowTest {

    final TestClock time = new TestClock();
    final SlidingWindow window = new SlidingWindow(10, Duration.ofMinutes(1), time);

    @Test
    void weightsAddUpAndLeaveTheWindowOneByOne() {
        window.add(4);
        time.advance(Duration.ofSeconds(10));
        window.add(4);
        assertEquals(8, window.used());
        assertEquals(0, window.nanosUntilRoom(2));
        // 3 too many: the first event (4) must leave, at 60 s
        assertEquals(Duration.ofSeconds(50).toNanos(), window.nanosUntilRoom(5));
        // 7 too many: both must leave, the second at 70 s
        assertEquals(Duration.ofSeconds(60).toNanos(), window.nanosUntilRoom(9));
        time.advance(Duration.ofSeconds(50));
        assertEquals(4, window.used(), "an event leaves exactly one window after it was counted");
        assertEquals(0, window.nanosUntilRoom(6));
    }

    @Test
    void awaitRoomSleepsUntilItFitsAndCountsNothing() throws Exception {
        window.add(10);
        time.advance(Duration.ofSeconds(15));
        assertEquals(Duration.ofSeconds(45), window.awaitRoom(1));
        assertEquals(List.of(Duration.ofSeconds(45)), time.sleeps());
        assertEquals(0, window.used());
        assertEquals(Duration.ZERO, window.awaitRoom(10), "no wait when it fits");
    }

    @Test
    void acquireWaitsInShortStepsAndCounts() throws Exception {
        window.add(10);
        assertEquals(Duration.ofMinutes(1), window.acquire(3, () -> true));
        assertEquals(3, window.used());
        assertEquals(1_200, time.sleeps().size(), "steps of " + Sleeper.STEP + ", so a stop is seen");
        assertEquals(Duration.ofMinutes(1), time.slept());
    }

    @Test
    void acquireGivesUpWhenStoppedAndCountsNothing() throws Exception {
        window.add(10);
        AtomicInteger looks = new AtomicInteger();
        assertNull(window.acquire(1, () -> looks.incrementAndGet() < 3));
        assertEquals(Duration.ofMillis(100), time.slept(), "two steps, then the stop was seen");
        time.advance(Duration.ofMinutes(1));
        assertEquals(0, window.used());
    }

    @Test
    void tryAddCountsOnlyWhatFits() {
        assertEquals(0, window.tryAdd(7));
        assertEquals(Duration.ofMinutes(1).toNanos(), window.tryAdd(4));
        assertEquals(7, window.used());
    }

    @Test
    void aWeightAboveTheCapacityNeverFits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> window.nanosUntilRoom(11));
        assertEquals("a weight of 11 never fits a window of capacity 10", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SlidingWindow(0, Duration.ofMinutes(1), time));
        assertThrows(IllegalArgumentException.class, () -> new SlidingWindow(1, Duration.ZERO, time));
    }
}
