package io.camelpowerbi.auth;

import java.util.List;

/**
 * The clouds Power BI runs in: the Entra authority host to get tokens from, the token audience (resource), the REST
 * API base, and the domains of its Power BI hosts. Authority hosts from
 * https://learn.microsoft.com/en-us/entra/identity-platform/authentication-national-cloud. The authority host and the
 * assertion {@code aud} always come from the same value, so they cannot disagree.
 *
 * <p>Power BI hosts: the domains of the cloud's API host and token audience, under which its clusters are named
 * ({@code wabi-…-redirect.analysis.windows.net} in Microsoft's examples). Public cloud: {@code api.powerbi.com},
 * {@code *.analysis.windows.net} and {@code *.powerbi.com} are the service's back-end and portal endpoints
 * (https://learn.microsoft.com/en-us/power-bi/admin/power-bi-allow-list-urls). National clouds: their API hosts
 * ({@code api.powerbigov.us}, {@code api.high.powerbigov.us}, {@code api.mil.powerbigov.us}, {@code api.powerbi.cn})
 * and audiences (…{@code analysis.usgovcloudapi.net}, {@code analysis.chinacloudapi.cn}) from
 * https://learn.microsoft.com/en-us/power-bi/developer/embedded/embed-sample-for-customers-national-clouds; the three
 * US government clouds share their two domains. Storage hosts ({@code *.blob.core.windows.net}) are deliberately not
 * under any of them.
 */
public enum Cloud {
    PUBLIC(
            "https://login.microsoftonline.com",
            "https://analysis.windows.net/powerbi/api",
            "https://api.powerbi.com",
            ".powerbi.com",
            ".analysis.windows.net"),
    GCC(
            "https://login.microsoftonline.com",
            "https://analysis.usgovcloudapi.net/powerbi/api",
            "https://api.powerbigov.us",
            ".powerbigov.us",
            ".analysis.usgovcloudapi.net"),
    GCC_HIGH(
            "https://login.microsoftonline.us",
            "https://high.analysis.usgovcloudapi.net/powerbi/api",
            "https://api.high.powerbigov.us",
            ".powerbigov.us",
            ".analysis.usgovcloudapi.net"),
    DOD(
            "https://login.microsoftonline.us",
            "https://mil.analysis.usgovcloudapi.net/powerbi/api",
            "https://api.mil.powerbigov.us",
            ".powerbigov.us",
            ".analysis.usgovcloudapi.net"),
    CHINA(
            "https://login.chinacloudapi.cn",
            "https://analysis.chinacloudapi.cn/powerbi/api",
            "https://api.powerbi.cn",
            ".powerbi.cn",
            ".analysis.chinacloudapi.cn");

    private final String authorityHost;
    private final String resource;
    private final String apiBaseUrl;
    private final List<String> powerBiDomains;

    Cloud(String authorityHost, String resource, String apiBaseUrl, String... powerBiDomains) {
        this.authorityHost = authorityHost;
        this.resource = resource;
        this.apiBaseUrl = apiBaseUrl;
        this.powerBiDomains = List.of(powerBiDomains);
    }

    /** The domains of the cloud's Power BI hosts, as {@code .domain} entries: where the bearer token may follow a redirect. */
    public List<String> powerBiDomains() {
        return powerBiDomains;
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
