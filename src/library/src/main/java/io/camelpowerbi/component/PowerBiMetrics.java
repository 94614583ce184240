package io.camelpowerbi.component;

import io.camelpowerbi.auth.TokenRefreshListener;
import io.camelpowerbi.client.CallListener;
import io.camelpowerbi.push.PushListener;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;

/**
 * What the component reports for metrics: the client's calls, the pushes, the token requests and the polling
 * consumers. Without Micrometer on the classpath, or without a {@code MeterRegistry} in the Camel registry, it is
 * {@link #NONE} and costs nothing; otherwise {@link MicrometerMetrics}, the only class that touches Micrometer, so the
 * library runs without it.
 */
interface PowerBiMetrics extends CallListener, PushListener, TokenRefreshListener {

    PowerBiMetrics NONE = new PowerBiMetrics() {};

    /** A polling consumer waited {@code waited} for its own request budget before a call. */
    default void budgetWaited(String consumer, Duration waited) {}

    /**
     * Shows how far {@code consumer} of route {@code routeId} is behind now, read from {@code lag} whenever metrics are
     * scraped; closing the handle removes it (consumer stop).
     */
    default AutoCloseable consumerLag(String consumer, String routeId, Supplier<Duration> lag) {
        return () -> {};
    }

    /** Micrometer metrics when Micrometer and a {@code MeterRegistry} in {@code context}'s registry are present. */
    static PowerBiMetrics lookup(CamelContext context) {
        if (!Micrometer.PRESENT) {
            return NONE;
        }
        // only reached with Micrometer on the classpath: loading MicrometerMetrics needs it
        return MicrometerMetrics.from(context);
    }

    /** Whether Micrometer can be loaded; checked once, without touching {@link MicrometerMetrics}. */
    final class Micrometer {
        static final boolean PRESENT = present("io.micrometer.core.instrument.MeterRegistry");

        private Micrometer() {}

        private static boolean present(String className) {
            try {
                Class.forName(className, false, PowerBiMetrics.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }
}
