package io.camelpowerbi.auth;

/**
 * The clouds Power BI runs in: the Entra authority host to get tokens from, the token audience (resource) and the
 * REST API base. Values from the national-clouds table in entra-client-assertions.md §12. The authority host and
 * the assertion {@code aud} always come from the same value, so they cannot disagree.
 */
public enum Cloud {
    PUBLIC("https://login.microsoftonline.com", "https://analysis.windows.net/powerbi/api", "https://api.powerbi.com"),
    GCC("https://login.microsoftonline.com", "https://analysis.usgovcloudapi.net/powerbi/api", "https://api.powerbigov.us"),
    GCC_HIGH("https://login.microsoftonline.us", "https://high.analysis.usgovcloudapi.net/powerbi/api",
            "https://api.high.powerbigov.us"),
    DOD("https://login.microsoftonline.us", "https://mil.analysis.usgovcloudapi.net/powerbi/api",
            "https://api.mil.powerbigov.us"),
    CHINA("https://login.chinacloudapi.cn", "https://analysis.chinacloudapi.cn/powerbi/api", "https://api.powerbi.cn");

    private final String authorityHost;
    private final String resource;
    private final String apiBaseUrl;

    Cloud(String authorityHost, String resource, String apiBaseUrl) {
        this.authorityHost = authorityHost;
        this.resource = resource;
        this.apiBaseUrl = apiBaseUrl;
    }

    public String authorityHost() {
        return authorityHost;
    }

    /** The token audience: v1 {@code resource}, and v2 {@code scope} with {@code /.default} appended. */
    public String resource() {
        return resource;
    }

    public String apiBaseUrl() {
        return apiBaseUrl;
    }
}
