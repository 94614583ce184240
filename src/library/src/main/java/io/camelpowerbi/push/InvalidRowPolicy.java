package io.camelpowerbi.push;

/** What a push does with rows that do not fit the table. */
public enum InvalidRowPolicy {

    /**
     * Check the whole input before sending anything; if any row is bad, send nothing and fail, listing the first
     * rejections and their count. All or nothing, at the cost of reading the input twice (or spooling it to a
     * temporary file when it can be read only once).
     */
    FAIL,

    /** Send the rows that fit, as they come; hand the rejected ones back with the result for the route to deal with. */
    SKIP
}
