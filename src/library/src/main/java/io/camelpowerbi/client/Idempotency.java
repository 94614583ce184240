package io.camelpowerbi.client;

import java.util.Locale;

/**
 * What {@link PowerBiClient} may do with a request after a failure that leaves open whether Power BI processed it: a
 * connection broken after the request was sent, a timeout reading the answer, 500, 502, 504, or 503 without
 * {@code Retry-After}. Every request is resent when it provably did not reach processing: the connection could not be
 * opened, or Power BI answered 429, or 503 with {@code Retry-After}.
 */
public enum Idempotency {

    /**
     * Sending it twice leaves the tenant as sending it once: GET, PUT, DELETE, and POSTs that only read or start
     * read-only work (executeQueries, ExportTo, getInfo, createTemporaryUploadLocation). Resent after any transient
     * failure.
     */
    IDEMPOTENT,

    /**
     * May be applied twice, and that is accepted: push rows (at-least-once). Resent after an ambiguous failure too;
     * each such resend is logged at WARN and told to {@link CallListener#resentAfterAmbiguousFailure(int)}, so the
     * duplicates it may cause are counted.
     */
    AT_LEAST_ONCE,

    /**
     * Creates or starts something (a refresh, an import, a dataset; any POST or PATCH of the {@code call} operation).
     * Never resent after an ambiguous failure: the call fails with {@link PowerBiOutcomeUnknownException} and the
     * operation that sent it looks for what it may have created instead.
     */
    NOT_IDEMPOTENT;

    /** By HTTP method: POST and PATCH create or change something, the others are idempotent by HTTP's definition. */
    public static Idempotency of(String method) {
        String m = method.toUpperCase(Locale.ROOT);
        return m.equals("POST") || m.equals("PATCH") ? NOT_IDEMPOTENT : IDEMPOTENT;
    }
}
