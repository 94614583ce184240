/**
 * Pushing rows into a Power BI push dataset table: streamed, checked, batched and rate limited.
 *
 * <pre>
 * body ──RowSource──▶ RawRow ──RowValidator(TableSchema)──▶ ValidRow ──RowBatcher──▶ Batch ──DatasetRateLimiter──▶ PowerBiClient
 *                                       └──▶ RejectedRow (SKIP: returned; FAIL: InvalidRowsException, nothing sent)
 * </pre>
 *
 * <p>{@link io.camelpowerbi.push.PushPipeline#push} runs it all. The component holds one
 * {@link io.camelpowerbi.push.RateLimiters} for all its endpoints, because Power BI counts POST rows requests per
 * dataset, not per route. Nothing here depends on Camel: the component turns a {@code GenericFile} body into a
 * {@code File} or {@code InputStream} and the {@link io.camelpowerbi.push.PushResult} into headers.
 */
package io.camelpowerbi.push;
