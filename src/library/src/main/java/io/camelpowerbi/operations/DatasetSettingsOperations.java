package io.camelpowerbi.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelpowerbi.client.Idempotency;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiException;
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
        return Api.values(
                client.getJson(Api.dataset(groupId, datasetId) + "/parameters", Map.of(), "dataset " + datasetId));
    }

    /**
     * Sets parameters to new values ({@code Default.UpdateParameters}); names are case-sensitive, a null value clears an
     * optional parameter. Sending the same values twice leaves the dataset as once, so the call may be resent.
     */
    public void updateParameters(String groupId, String datasetId, Map<String, ?> newValues) {
        if (newValues == null || newValues.isEmpty()) {
            throw new IllegalArgumentException(
                    "parameterValues: updateParameters needs at least one parameter (name=value,"
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
        client.send(PowerBiRequest.json(
                        "POST",
                        Api.dataset(groupId, datasetId) + "/Default.UpdateParameters",
                        Map.of(),
                        Api.bytes(Map.of("updateDetails", details)),
                        "dataset " + datasetId)
                // setting values, not adding: a second identical request changes nothing
                .with(Idempotency.IDEMPOTENT));
    }

    /** The dataset's data sources: {@code datasourceType}, {@code connectionDetails}, {@code datasourceId}, {@code gatewayId}. */
    public List<Map<String, Object>> datasources(String groupId, String datasetId) {
        return Api.values(
                client.getJson(Api.dataset(groupId, datasetId) + "/datasources", Map.of(), "dataset " + datasetId));
    }

    /**
     * Binds the dataset to an on-premises gateway ({@code Default.BindToGateway}): all its data sources, or those of the
     * gateway's data source ids given. Binding again to the same gateway changes nothing, so the call may be resent.
     */
    public void bindToGateway(String groupId, String datasetId, String gatewayId, List<String> datasourceIds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("gatewayObjectId", guid(gatewayId, "gateway"));
        if (datasourceIds != null && !datasourceIds.isEmpty()) {
            body.put(
                    "datasourceObjectIds",
                    datasourceIds.stream().map(id -> guid(id, "datasourceIds")).toList());
        }
        client.send(PowerBiRequest.json(
                        "POST",
                        Api.dataset(groupId, datasetId) + "/Default.BindToGateway",
                        Map.of(),
                        Api.bytes(body),
                        "dataset " + datasetId)
                .with(Idempotency.IDEMPOTENT));
    }

    /** The refresh schedule: {@code days}, {@code times}, {@code enabled}, {@code localTimeZoneId}, {@code notifyOption}. */
    public Map<String, Object> refreshSchedule(String groupId, String datasetId) {
        Map<String, Object> schedule = Api.map(
                client.getJson(Api.dataset(groupId, datasetId) + "/refreshSchedule", Map.of(), "dataset " + datasetId));
        schedule.remove("@odata.context"); // should the service wrap it as it does lists
        return schedule;
    }

    /**
     * Changes the fields given of the refresh schedule (the others stay), after checking them against the rules Power
     * BI documents, so a bad one is named before any call: {@code days} Monday..Sunday, {@code times} {@code hh:mm} on
     * the hour or half hour, {@code notifyOption} NoNotification (all a service principal may use), and a request that
     * disables the schedule changes nothing else.
     */
    public void updateRefreshSchedule(String groupId, String datasetId, Map<String, ?> changes) {
        Map<String, Object> value = RefreshScheduleRules.check(changes);
        client.send(PowerBiRequest.json(
                        "PATCH",
                        Api.dataset(groupId, datasetId) + "/refreshSchedule",
                        Map.of(),
                        Api.bytes(Map.of("value", value)),
                        "dataset " + datasetId)
                // the fields given replace theirs: a second identical request changes nothing
                .with(Idempotency.IDEMPOTENT));
    }

    /**
     * Sets the credentials of the dataset's data sources (all, or the one of {@code datasourceId}). A data source on an
     * on-premises gateway gets them encrypted with the gateway's public key ({@link GatewayCredentialEncryptor},
     * {@code RSA-OAEP}); a cloud one, whose gateway Power BI does not serve (powerbi-docs issue 3161), plain
     * ({@code None}). The values are never logged. Returns the ids of the data sources updated.
     *
     * @param values the credentialData values by name: {@code username}/{@code password}, {@code key}, {@code accessToken}
     *               or {@code token}, as {@code type} needs them
     */
    public List<String> updateDatasourceCredentials(
            String groupId,
            String datasetId,
            String datasourceId,
            DatasourceCredentialType type,
            Map<String, ?> values,
            String privacyLevel) {
        Objects.requireNonNull(type, "credentialType");
        List<Map<String, String>> data = new ArrayList<>();
        for (String field : type.fields()) {
            Object value = values == null ? null : values.get(field);
            if (value == null || String.valueOf(value).isEmpty()) {
                throw new IllegalArgumentException(
                        "body: " + type + " credentials need '" + field + "' (they need " + type.fields() + ")");
            }
            Map<String, String> entry = new LinkedHashMap<>(); // name first, as the SDK writes it
            entry.put("name", field);
            entry.put("value", String.valueOf(value));
            data.add(entry);
        }
        String plain = new String(Api.bytes(Map.of("credentialData", data)), java.nio.charset.StandardCharsets.UTF_8);
        List<String> updated = new ArrayList<>();
        for (Map<String, Object> source : datasources(groupId, datasetId)) {
            String gateway = (String) source.get("gatewayId");
            String id = (String) source.get("datasourceId");
            if (gateway == null || id == null || (datasourceId != null && !datasourceId.equalsIgnoreCase(id))) {
                continue;
            }
            GatewayCredentialEncryptor encryptor = encryptorOf(gateway);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("credentialType", type.name());
            details.put("credentials", encryptor == null ? plain : encryptor.encrypt(plain));
            details.put("encryptedConnection", "Encrypted");
            details.put("encryptionAlgorithm", encryptor == null ? "None" : "RSA-OAEP");
            details.put("privacyLevel", privacyLevel == null ? "None" : privacyLevel);
            client.send(PowerBiRequest.json(
                            "PATCH",
                            "/gateways/" + Api.seg(gateway) + "/datasources/" + Api.seg(id),
                            Map.of(),
                            Api.bytes(Map.of("credentialDetails", details)),
                            "data source " + id + " of gateway " + gateway)
                    // the same credentials set twice are set once
                    .with(Idempotency.IDEMPOTENT));
            updated.add(id);
        }
        if (updated.isEmpty()) {
            throw new PowerBiOperationException("dataset " + datasetId + " has no data source"
                    + (datasourceId == null ? "" : " with id " + datasourceId)
                    + " bound to a gateway; getDatasources lists them");
        }
        return updated;
    }

    /** The encryptor of an on-premises gateway's public key, or null for a cloud data source's gateway. */
    private GatewayCredentialEncryptor encryptorOf(String gatewayId) {
        JsonNode gateway;
        try {
            gateway = client.getJson("/gateways/" + Api.seg(gatewayId), Map.of(), "gateway " + gatewayId);
        } catch (PowerBiException e) {
            if (e.httpStatus() >= 400 && e.httpStatus() < 500 && e.httpStatus() != 429) {
                return null; // a cloud data source's gateway is not served as a gateway
            }
            throw e;
        }
        JsonNode key = gateway.path("publicKey");
        return key.hasNonNull("modulus") && key.hasNonNull("exponent")
                ? new GatewayCredentialEncryptor(
                        key.get("exponent").asText(), key.get("modulus").asText())
                : null;
    }

    /** Makes the caller the dataset's owner ({@code Default.TakeOver}); taking over what one owns changes nothing. */
    public void takeOver(String groupId, String datasetId) {
        client.send(PowerBiRequest.emptyPost(
                        Api.dataset(groupId, datasetId) + "/Default.TakeOver", Map.of(), "dataset " + datasetId)
                .with(Idempotency.IDEMPOTENT));
    }

    private static String guid(String value, String option) {
        if (value == null || !NameResolver.isGuid(value.trim())) {
            throw new IllegalArgumentException(
                    option + ": '" + value + "' is not an id (a GUID); the gateway's and its data"
                            + " sources' ids are in the gateway's settings, or in getDatasources' gatewayId and datasourceId");
        }
        return value.trim();
    }
}
