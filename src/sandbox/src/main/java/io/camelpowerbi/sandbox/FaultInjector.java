package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects failures into requests: statuses (500/503 with or without {@code Retry-After}, 429, ...), delays and dropped
 * connections, before the request is served or, with {@code afterProcessing}, after it was (its answer lost), matched by
 * method and path regex, with a probability and a maximum count. Rules come from the
 * configuration, the Java API, or {@code POST/DELETE /_sandbox/faults}; the {@code /_sandbox} control paths themselves
 * are never faulted, so a test can always clear what it set (the blob store under {@code /_sandbox/blob/} can be).
 */
public final class FaultInjector {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

    private record Active(FaultRule rule, Pattern pattern, AtomicInteger fired) {}

    private final CopyOnWriteArrayList<Active> rules = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    /** Adds a rule (first added, first matched); returns it with its id. */
    public FaultRule add(FaultRule rule) {
        FaultRule withId =
                rule.id() == null || rule.id().isBlank() ? rule.withId("fault-" + ids.incrementAndGet()) : rule;
        if (rules.stream().anyMatch(a -> a.rule().id().equals(withId.id()))) {
            throw new IllegalArgumentException("a fault rule with id " + withId.id() + " exists already");
        }
        rules.add(new Active(withId, withId.pattern(), new AtomicInteger()));
        LOG.info(
                "fault rule {} added: {} {} -> {}",
                withId.id(),
                withId.method() == null ? "*" : withId.method(),
                withId.path(),
                describe(withId));
        return withId;
    }

    public boolean remove(String id) {
        boolean removed = rules.removeIf(a -> a.rule().id().equals(id));
        if (removed) {
            LOG.info("fault rule {} removed", id);
        }
        return removed;
    }

    public void clear() {
        if (!rules.isEmpty()) {
            LOG.info("all {} fault rules cleared", rules.size());
        }
        rules.clear();
    }

    public List<FaultRule> rules() {
        return rules.stream().map(Active::rule).toList();
    }

    /** How often the rule fired so far (0 for an unknown id). */
    public int firedCount(String id) {
        return rules.stream()
                .filter(a -> a.rule().id().equals(id))
                .mapToInt(a -> a.fired().get())
                .findFirst()
                .orElse(0);
    }

    /** The first rule that matches and fires for this request (counting it), if any. */
    Optional<FaultRule> fire(String method, String path) {
        for (Active a : rules) {
            FaultRule r = a.rule();
            if (r.method() != null && !r.method().equalsIgnoreCase(method)) {
                continue;
            }
            if (!a.pattern().matcher(path).find()) {
                continue;
            }
            if (r.probability() < 1.0 && ThreadLocalRandom.current().nextDouble() >= r.probability()) {
                continue;
            }
            if (r.maxCount() != null) {
                int n = a.fired().incrementAndGet();
                if (n > r.maxCount()) {
                    a.fired().decrementAndGet();
                    continue;
                }
            } else {
                a.fired().incrementAndGet();
            }
            return Optional.of(r);
        }
        return Optional.empty();
    }

    /**
     * Applies a fired rule. Returns true when the request was answered (or dropped) here, false when it should be
     * served normally (a delay-only rule).
     */
    boolean apply(FaultRule rule, SandboxExchange ex) throws IOException {
        LOG.info("fault {} applied to {} {}: {}", rule.id(), ex.method(), ex.path(), describe(rule));
        if (rule.delayMs() != null && rule.delayMs() > 0) {
            try {
                Thread.sleep(rule.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (rule.dropConnection()) {
            ex.dropConnection();
            return true;
        }
        if (rule.status() == null) {
            return false;
        }
        for (Map.Entry<String, String> h : rule.headers().entrySet()) {
            ex.setResponseHeader(h.getKey(), h.getValue());
        }
        if (rule.retryAfterSeconds() != null) {
            ex.setResponseHeader("Retry-After", String.valueOf(rule.retryAfterSeconds()));
        }
        if (rule.body() == null || rule.body().isNull()) {
            ex.sendEmpty(rule.status());
        } else if (rule.body().isTextual()) {
            ex.sendText(
                    rule.status(),
                    rule.contentType() == null ? "text/plain; charset=utf-8" : rule.contentType(),
                    rule.body().asText());
        } else {
            ex.send(
                    rule.status(),
                    rule.contentType() == null ? "application/json; charset=utf-8" : rule.contentType(),
                    Json.MAPPER.writeValueAsBytes(rule.body()));
        }
        return true;
    }

    ArrayNode toJson() {
        ArrayNode array = Json.array();
        for (Active a : rules) {
            ObjectNode node = Json.MAPPER.valueToTree(a.rule());
            node.put("fired", a.fired().get());
            array.add(node);
        }
        return array;
    }

    private static String describe(FaultRule r) {
        StringBuilder sb = new StringBuilder();
        if (r.delayMs() != null) {
            sb.append("delay ").append(r.delayMs()).append(" ms ");
        }
        if (r.dropConnection()) {
            sb.append("drop connection ");
        } else if (r.status() != null) {
            sb.append("status ").append(r.status());
            if (r.retryAfterSeconds() != null) {
                sb.append(" Retry-After ").append(r.retryAfterSeconds());
            }
        }
        if (r.afterProcessing()) {
            sb.append(" after serving the request");
        }
        if (r.maxCount() != null) {
            sb.append(" (max ").append(r.maxCount()).append(")");
        }
        if (r.probability() < 1.0) {
            sb.append(" p=").append(r.probability());
        }
        return sb.toString().trim();
    }
}
