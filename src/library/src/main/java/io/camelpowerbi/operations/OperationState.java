package io.camelpowerbi.operations;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The state of a Fabric long-running operation ({@code OperationState} of Fabric's OpenAPI, {@code GET
 * /v1/operations/{id}}).
 *
 * @param operationId     its id ({@code x-ms-operation-id})
 * @param status          {@code NotStarted}, {@code Running}, {@code Succeeded}, {@code Failed} or {@code Undefined}
 *                        ("additional operation statuses may be added over time": others count as not ended)
 * @param createdAt       when it was created, or null
 * @param lastUpdatedAt   when it last changed, or null
 * @param percentComplete its progress, or null
 * @param errorCode       Fabric's {@code error.errorCode} when it failed, else null
 * @param errorMessage    Fabric's {@code error.message} when it failed, else null
 */
public record OperationState(
        String operationId,
        String status,
        Instant createdAt,
        Instant lastUpdatedAt,
        Integer percentComplete,
        String errorCode,
        String errorMessage) {

    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";

    /** Reads Fabric's {@code OperationState} body. */
    static OperationState from(String operationId, JsonNode body) {
        JsonNode error = body.path("error");
        return new OperationState(
                operationId,
                Api.text(body, "status"),
                instant(Api.text(body, "createdTimeUtc")),
                instant(Api.text(body, "lastUpdatedTimeUtc")),
                body.path("percentComplete").isNumber()
                        ? body.get("percentComplete").asInt()
                        : null,
                Api.text(error, "errorCode"),
                Api.text(error, "message"));
    }

    /** Succeeded or Failed: it will not change any more. */
    public boolean ended() {
        return SUCCEEDED.equals(status) || FAILED.equals(status);
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(status);
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null; // a form this client does not read; the status is what counts
        }
    }
}
