package io.camelpowerbi.push;

/**
 * Power BI's limits on POST rows, per dataset (semantic model). Power BI documents 120 requests per minute, but 120 per
 * hour once a table holds 250,000 rows or more: set {@code requestsPerMinute} to 2 for such tables.
 *
 * @param requestsPerMinute POST rows requests allowed in any 60 seconds
 * @param rowsPerHour       rows allowed in any 3,600 seconds
 * @param maxPending        POST rows requests in flight at once
 */
public record RateLimits(int requestsPerMinute, long rowsPerHour, int maxPending) {

    public static final RateLimits DEFAULTS = new RateLimits(120, 1_000_000, 5);

    public RateLimits {
        if (requestsPerMinute < 1) {
            throw new IllegalArgumentException("requestsPerMinute must be at least 1, got " + requestsPerMinute);
        }
        if (rowsPerHour < 1) {
            throw new IllegalArgumentException("rowsPerHour must be at least 1, got " + rowsPerHour);
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1, got " + maxPending);
        }
    }
}
