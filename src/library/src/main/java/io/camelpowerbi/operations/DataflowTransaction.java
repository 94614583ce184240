package io.camelpowerbi.operations;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One refresh of a dataflow as Power BI lists it ({@code DataflowTransaction}). Microsoft documents no status values:
 * a transaction has ended when it has an {@code endTime}, and succeeded when its status is {@code Success} (what Power
 * BI's clients wait for).
 */
public record DataflowTransaction(String id, String refreshType, String startTime, String endTime, String status) {

    static DataflowTransaction from(JsonNode json) {
        return new DataflowTransaction(
                Api.text(json, "id"),
                Api.text(json, "refreshType"),
                Api.text(json, "startTime"),
                Api.text(json, "endTime"),
                Api.text(json, "status"));
    }

    public boolean ended() {
        return endTime != null && !endTime.isBlank();
    }

    public boolean succeeded() {
        return ended() && "Success".equalsIgnoreCase(status);
    }
}
