package io.camelpowerbi.component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.support.ScheduledPollConsumerHealthCheck;

/**
 * A polling consumer's readiness: Camel's last-poll outcome ({@link ScheduledPollConsumerHealthCheck}), and also a
 * token held or obtainable and Power BI reachable, so the check says which of the three to fix. Invoked as a liveness
 * check it reports the poll outcome only: a refused credential is no reason to restart the application.
 */
final class PowerBiConsumerHealthCheck extends ScheduledPollConsumerHealthCheck {

    private final PowerBiPollingConsumer consumer;
    private final Clock clock = Clock.systemUTC();

    PowerBiConsumerHealthCheck(PowerBiPollingConsumer consumer, String id) {
        super(consumer, id);
        this.consumer = consumer;
    }

    @Override
    public Result call(Map<String, Object> options) {
        Result polled = super.call(options);
        Kind kind = (Kind) options.getOrDefault(CHECK_KIND, Kind.ALL);
        if (kind == Kind.LIVENESS || !isEnabled()) {
            return polled;
        }
        PowerBiEndpoint endpoint = consumer.getEndpoint();
        ApiStatus api = endpoint.getComponent().apiStatus();
        String problem = PowerBiReadiness.tokenProblem(endpoint.tokenProvider(), clock);
        if (problem == null) {
            problem = PowerBiReadiness.apiProblem(api, endpoint.probeClient(), clock);
        }
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this).state(polled.getState());
        Map<String, Object> details = new LinkedHashMap<>(polled.getDetails());
        PowerBiReadiness.lastCallDetails(api, details);
        builder.details(details);
        polled.getError().ifPresent(builder::error);
        List<String> messages = new ArrayList<>();
        if (problem != null) {
            messages.add(problem);
            builder.down();
        }
        polled.getMessage().ifPresent(messages::add);
        if (!messages.isEmpty()) {
            builder.message(String.join("\n", messages));
        }
        return builder.build();
    }
}
