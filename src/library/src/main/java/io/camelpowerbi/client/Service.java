package io.camelpowerbi.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;

/**
 * The REST services {@link PowerBiClient} talks to, each on its own host with its own token audience: where a relative
 * path goes, the headers every request carries, how a refusal reads, and what to check after a lost answer.
 */
public enum Service {

    /** The Power BI REST API: paths under {@code /v1.0/myorg}. */
    POWER_BI("Power BI", "the refresh history, the workspace's imports or datasets") {
        @Override
        String path(String path) {
            return path.startsWith("/v1.0/") ? path : "/v1.0/myorg" + path;
        }

        @Override
        ServiceError refusal(int status, Map<String, String> headers, JsonNode body, String what) {
            String errorInfo = PowerBiClient.header(headers, "x-powerbi-error-info");
            PowerBiError error = PowerBiError.parse(body, errorInfo);
            return new ServiceError(
                    error.code(),
                    error.detail(),
                    error.hint(status, errorInfo, what),
                    (status == 401 || status == 403) && "TokenExpired".equals(error.code()));
        }
    },

    /** The Fabric REST API ({@code https://api.fabric.microsoft.com}): paths under {@code /v1}. */
    FABRIC("Fabric", "the lakehouse table's rows") {
        @Override
        String path(String path) {
            return path.startsWith("/v1/") ? path : "/v1" + path;
        }

        @Override
        ServiceError refusal(int status, Map<String, String> headers, JsonNode body, String what) {
            return FabricErrors.read(status, headers, body, what);
        }
    },

    /**
     * OneLake's DFS (ADLS Gen2) API ({@code https://onelake.dfs.fabric.microsoft.com}): paths
     * {@code /{workspace}/{item}/...} as given, every request with {@code x-ms-version}.
     */
    ONELAKE("OneLake", "the file in OneLake") {
        @Override
        String path(String path) {
            return path;
        }

        @Override
        void decorate(HttpUriRequestBase request) {
            request.setHeader("x-ms-version", STORAGE_VERSION);
        }

        @Override
        ServiceError refusal(int status, Map<String, String> headers, JsonNode body, String what) {
            return StorageErrors.read(status, headers, body, what);
        }
    };

    /**
     * The storage REST version OneLake requests carry: storage requires {@code x-ms-version} of requests authorized with
     * Entra ID, and this is the one Microsoft's OneLake sample shows (Learn, "OneLake access and APIs").
     */
    public static final String STORAGE_VERSION = "2021-06-08";

    private final String displayName;
    private final String lostAdvice;

    Service(String displayName, String lostAdvice) {
        this.displayName = displayName;
        this.lostAdvice = lostAdvice;
    }

    /** "Power BI", "Fabric", "OneLake", for messages. */
    public String displayName() {
        return displayName;
    }

    /** What to look at after a lost answer, before sending the request again. */
    String lostAdvice() {
        return lostAdvice;
    }

    /** The path below the service's base URL of a relative request path. */
    abstract String path(String path);

    /** Adds the headers every request to the service carries. */
    void decorate(HttpUriRequestBase request) {}

    /** What the service's error answer says: its code, message and the hint for it. */
    abstract ServiceError refusal(int status, Map<String, String> headers, JsonNode body, String what);
}
