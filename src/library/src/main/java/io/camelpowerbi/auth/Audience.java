package io.camelpowerbi.auth;

import java.util.Locale;

/**
 * The services one credential gets tokens for, each its own audience (resource; the v2 scope is it plus
 * {@code /.default}), each token cached and refreshed on its own and sent to that service's host only.
 * <ul>
 * <li>{@link #POWER_BI}: the cloud's Power BI resource ({@link Cloud#resource()}).</li>
 * <li>{@link #FABRIC}: the Fabric REST API, {@code https://api.fabric.microsoft.com} (Microsoft Learn, "Fabric REST API
 * scopes" and every sample of the Fabric REST API).</li>
 * <li>{@link #STORAGE}: Azure Storage, {@code https://storage.azure.com}; OneLake "only supports tokens in the Storage
 * audience" (Microsoft Learn, "OneLake access and APIs").</li>
 * <li>{@link #SQL_DATABASE}: Azure SQL, {@code https://database.windows.net} and the national clouds' (Microsoft Learn,
 * "Azure SQL Database and national clouds"), for a Fabric Warehouse or SQL database through mssql-jdbc's token callback
 * ({@link SqlAccessTokenCallback}).</li>
 * </ul>
 * Fabric and OneLake are not in the national clouds this component knows, so their resources are the public cloud's
 * whatever the cloud; set {@code fabricApiBaseUrl} and {@code oneLakeBaseUrl} for another deployment.
 */
public enum Audience {
    POWER_BI,
    FABRIC,
    STORAGE,
    SQL_DATABASE;

    /** The resource of this audience in {@code cloud}, without {@code /.default} or a trailing slash. */
    public String resource(Cloud cloud) {
        return switch (this) {
            case POWER_BI -> cloud.resource();
            case FABRIC -> "https://api.fabric.microsoft.com";
            case STORAGE -> "https://storage.azure.com";
            case SQL_DATABASE ->
                switch (cloud) {
                    case GCC, GCC_HIGH, DOD -> "https://database.usgovcloudapi.net";
                    case CHINA -> "https://database.chinacloudapi.cn";
                    default -> "https://database.windows.net";
                };
        };
    }

    /**
     * The resource a scope or service principal name names: {@code /.default} and trailing slashes dropped, so
     * {@code https://database.windows.net/}, {@code https://database.windows.net//.default} (what mssql-jdbc's SPN plus
     * {@code /.default} gives) and {@code https://database.windows.net/.default} are one resource and share one cached
     * token.
     *
     * @throws IllegalArgumentException for a blank scope
     */
    public static String resourceOf(String scopeOrResource) {
        if (scopeOrResource == null || scopeOrResource.isBlank()) {
            throw new IllegalArgumentException(
                    "a scope or resource is required, e.g. https://database.windows.net/.default");
        }
        String r = scopeOrResource.trim();
        if (r.toLowerCase(Locale.ROOT).endsWith("/.default")) {
            r = r.substring(0, r.length() - "/.default".length());
        }
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }
}
