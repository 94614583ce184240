package io.camelpowerbi.operations;

import io.camelpowerbi.client.Idempotency;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A semantic model's owner-level settings: its Power Query parameters, its data sources, and taking it over. Changing
 * parameters needs the caller to own the dataset (take it over first); after a change the model must be refreshed
 * for the new values to take effect.
 */
public final class DatasetSettingsOperations {

    /** Update Parameters In Group takes at most 100 parameters per request (Microsoft's documented limitation). */
    public static final int MAX_PARAMETERS_PER_UPDATE = 100;

    private final PowerBiClient client;

    public DatasetSettingsOperations(PowerBiClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** The dataset's parameters: {@code name}, {@code type}, {@code isRequired}, {@code currentValue}, {@code suggestedValues}. */
    public List<Map<String, Object>> parameters(String groupId, String datasetId) {
        return Api.values(client.getJson(Api.dataset(groupId, datasetId) + "/parameters", Map.of(), "dataset " + datasetId));
    }

    /**
     * Sets parameters to new values ({@code Default.UpdateParameters}); names are case-sensitive, a null value clears an
     * optional parameter. Sending the same values twice leaves the dataset as once, so the call may be resent.
     */
    public void updateParameters(String groupId, String datasetId, Map<String, ?> newValues) {
        if (newValues == null || newValues.isEmpty()) {
            throw new IllegalArgumentException("parameterValues: updateParameters needs at least one parameter (name=value,"
                    + " or a Map body of names to values)");
        }
        if (newValues.size() > MAX_PARAMETERS_PER_UPDATE) {
            throw new IllegalArgumentException("parameterValues: Power BI updates at most " + MAX_PARAMETERS_PER_UPDATE
                    + " parameters per request, " + newValues.size() + " were given; split them over several messages");
        }
        List<Map<String, Object>> details = new ArrayList<>();
        newValues.forEach((name, value) -> {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("name", name);
            detail.put("newValue", value == null ? null : String.valueOf(value));
            details.add(detail);
        });
        client.send(PowerBiRequest.json("POST", Api.dataset(groupId, datasetId) + "/Default.UpdateParameters", Map.of(),
                Api.bytes(Map.of("updateDetails", details)), "dataset " + datasetId)
                // setting values, not adding: a second identical request changes nothing
                .with(Idempotency.IDEMPOTENT));
    }

    /** The dataset's data sources: {@code datasourceType}, {@code connectionDetails}, {@code datasourceId}, {@code gatewayId}. */
    public List<Map<String, Object>> datasources(String groupId, String datasetId) {
        return Api.values(client.getJson(Api.dataset(groupId, datasetId) + "/datasources", Map.of(), "dataset " + datasetId));
    }

    /** Makes the caller the dataset's owner ({@code Default.TakeOver}); taking over what one owns changes nothing. */
    public void takeOver(String groupId, String datasetId) {
        client.send(PowerBiRequest.emptyPost(Api.dataset(groupId, datasetId) + "/Default.TakeOver", Map.of(), "dataset " + datasetId)
                .with(Idempotency.IDEMPOTENT));
    }
}
