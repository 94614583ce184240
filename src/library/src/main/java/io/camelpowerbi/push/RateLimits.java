package io.camelpowerbi.push;

import io.camelpowerbi.InvalidOptionException;

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
            throw new InvalidOptionException(
                    "maxRequestsPerMinute", "must be at least 1, was " + requestsPerMinute, "give 1 or more");
        }
        if (rowsPerHour < 1) {
            throw new InvalidOptionException(
                    "maxRowsPerHour", "must be at least 1, was " + rowsPerHour, "give 1 or more");
        }
        if (maxPending < 1) {
            throw new InvalidOptionException(
                    "maxPendingRequests", "must be at least 1, was " + maxPending, "give 1 or more");
        }
    }
}
