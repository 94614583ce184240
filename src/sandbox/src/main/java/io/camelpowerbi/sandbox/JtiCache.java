package io.camelpowerbi.sandbox;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Assertion ids already accepted, kept until their assertion expires (for the optional replay protection). */
final class JtiCache {

    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    /** Records {@code key}; false if it was already recorded and has not expired yet. */
    boolean add(String key, Instant expiresAt, Instant now) {
        if (seen.size() > 1_000) {
            seen.values().removeIf(exp -> exp.isBefore(now));
        }
        Instant previous = seen.putIfAbsent(key, expiresAt);
        if (previous == null) {
            return true;
        }
        if (previous.isBefore(now)) {
            seen.put(key, expiresAt);
            return true;
        }
        return false;
    }
}
