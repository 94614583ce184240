package io.camelpowerbi.client;

import java.time.Duration;
import java.util.List;

/**
 * Hears what {@link PowerBiClient} goes through, for metrics and health; never sees a token or a body. Called on the
 * calling thread: implementations must be quick and must not throw.
 */
public interface CallListener {

    CallListener NONE = new CallListener() {};

    /**
     * A call answered {@code status} (429 or 5xx; 0 when no answer came, e.g. a refused or broken connection) and is
     * sent again after {@code wait}.
     */
    default void retrying(int status, Duration wait) {}

    /**
     * An {@link Idempotency#AT_LEAST_ONCE} call (a push batch) is sent again after a failure that leaves open whether
     * Power BI processed it ({@code status} as for {@link #retrying}): the second one may duplicate the first.
     */
    default void resentAfterAmbiguousFailure(int status) {}

    /** A call got a 2xx answer. */
    default void succeeded() {}

    /**
     * A call failed for good: {@link PowerBiException#httpStatus()} (0: no answer), Power BI's
     * {@link PowerBiException#errorCode() code} (may be null) and a message that says what to fix.
     */
    default void failed(PowerBiException failure) {}

    /** Tells each of {@code listeners}, in order. */
    static CallListener all(CallListener... listeners) {
        List<CallListener> each = List.of(listeners);
        return new CallListener() {
            @Override
            public void retrying(int status, Duration wait) {
                each.forEach(l -> l.retrying(status, wait));
            }

            @Override
            public void resentAfterAmbiguousFailure(int status) {
                each.forEach(l -> l.resentAfterAmbiguousFailure(status));
            }

            @Override
            public void succeeded() {
                each.forEach(CallListener::succeeded);
            }

            @Override
            public void failed(PowerBiException failure) {
                each.forEach(l -> l.failed(failure));
            }
        };
    }
}
