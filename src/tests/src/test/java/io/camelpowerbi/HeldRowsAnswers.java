package io.camelpowerbi;

import io.camelpowerbi.sandbox.ObservedExchange;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds the sandbox's answers to POST rows for one table until {@link #release()}: the rows are stored, but the caller
 * does not know yet, so a test can look at what happens while a batch waits for Power BI's answer.
 */
public final class HeldRowsAnswers implements SandboxObserver, AutoCloseable {

    private final Sandbox sandbox;
    private final String pathEnd;
    private final CountDownLatch answer = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();

    private HeldRowsAnswers(Sandbox sandbox, String table) {
        this.sandbox = sandbox;
        this.pathEnd = "/tables/" + table + "/rows";
    }

    /** From now on, answers to POST rows for {@code table} wait (at most a minute) until released. */
    public static HeldRowsAnswers holding(Sandbox sandbox, String table) {
        HeldRowsAnswers gate = new HeldRowsAnswers(sandbox, table);
        sandbox.addObserver(gate);
        return gate;
    }

    @Override
    public void exchanged(ObservedExchange x) {
        if ("POST".equals(x.method()) && x.path().endsWith(pathEnd)) {
            held.incrementAndGet();
            try {
                answer.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** POST rows requests that reached the gate so far (held, or answered once released). */
    public int held() {
        return held.get();
    }

    /** Lets every held answer and every later one go. */
    public void release() {
        answer.countDown();
    }

    @Override
    public void close() {
        release();
        sandbox.removeObserver(this);
    }
}
