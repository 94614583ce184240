package io.camelpowerbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.auth.Cloud;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the bearer token may go: the API host and the cloud's Power BI hosts, never storage or anything else. */
class TokenHostsTest {

    static final URI API = URI.create("https://api.powerbi.com");
    final TokenHosts publicCloud = TokenHosts.of(API, Cloud.PUBLIC.powerBiDomains());

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://api.powerbi.com/v1.0/myorg/groups",
                "https://api.powerbi.com:443/v1.0/myorg/groups",
                // the home cluster of Microsoft's preferClientRouting examples
                "https://wabi-west-europe-f-primary-redirect.analysis.windows.net/v1.0/myorg/groups",
                "https://WABI-NORTH-EUROPE-redirect.analysis.windows.net/v1.0/myorg/reports",
                "https://app.powerbi.com/groups/me",
            })
    void powerBiHostsOfThePublicCloudGetTheToken(String url) {
        assertTrue(publicCloud.allows(URI.create(url)), url);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // storage: export files and import uploads redirect there
                "https://wabiwesteuropeb.blob.core.windows.net/export/file.pdf?sig=x",
                "https://login.microsoftonline.com/tenant/oauth2/v2.0/token",
                "https://analysis.windows.net.evil.example/v1.0/myorg/groups",
                "https://evilanalysis.windows.net/v1.0/myorg/groups",
                "https://powerbi.com.evil.example/",
                // never downgraded to plain HTTP
                "http://wabi-west-europe-f-primary-redirect.analysis.windows.net/v1.0/myorg/groups",
                "http://api.powerbi.com/v1.0/myorg/groups",
                // another cloud's hosts
                "https://wabi-us-gov-virginia-redirect.analysis.usgovcloudapi.net/v1.0/myorg/groups",
            })
    void otherHostsDoNot(String url) {
        assertFalse(publicCloud.allows(URI.create(url)), url);
    }

    @Test
    void aSandboxListsItsClusterHostAndPortOnly() {
        TokenHosts sandbox = TokenHosts.of(URI.create("https://127.0.0.1:8443"), TokenHosts.split("localhost:8443"));
        assertTrue(sandbox.allows(URI.create("https://127.0.0.1:8443/v1.0/myorg/groups")));
        assertTrue(sandbox.allows(URI.create("https://localhost:8443/v1.0/myorg/groups")));
        assertFalse(sandbox.allows(URI.create("https://localhost:9443/_sandbox/blob/1?sig=x")), "its storage listener");
        assertFalse(
                sandbox.allows(URI.create("https://wabi-west-europe-f-primary-redirect.analysis.windows.net/")),
                "a listed sandbox replaces the cloud's hosts");
    }

    @Test
    void plainHttpOnlyWhenTheApiItselfIsPlainHttp() {
        TokenHosts local = TokenHosts.of(URI.create("http://127.0.0.1:8080"), List.of("localhost"));
        assertTrue(local.allows(URI.create("http://localhost:8080/v1.0/myorg/groups")));
        assertTrue(local.allows(URI.create("https://localhost:8443/v1.0/myorg/groups")));
    }

    @Test
    void everyCloudHasItsOwnDomainsAndNoStorage() {
        for (Cloud cloud : Cloud.values()) {
            TokenHosts hosts = TokenHosts.of(URI.create(cloud.apiBaseUrl()), cloud.powerBiDomains());
            assertTrue(hosts.allows(URI.create(cloud.apiBaseUrl() + "/v1.0/myorg/groups")), cloud.name());
            String audienceHost = URI.create(cloud.resource()).getHost();
            assertTrue(
                    hosts.allows(URI.create("https://wabi-x-redirect." + audienceHost + "/v1.0/myorg/groups")),
                    cloud.name());
            assertFalse(hosts.allows(URI.create("https://account.blob.core.windows.net/x")), cloud.name());
            assertFalse(hosts.allows(URI.create("https://account.blob.core.usgovcloudapi.net/x")), cloud.name());
            assertFalse(hosts.allows(URI.create("https://account.blob.core.chinacloudapi.cn/x")), cloud.name());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                ".net",
                "https://api.powerbi.com",
                "*.analysis.windows.net",
                "localhost:99999",
                "localhost:x",
                "host/path",
                ":8443"
            })
    void anEntryThatIsNoHostIsRefusedNamingTheOption(String entry) {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> TokenHosts.of(API, List.of(entry)));
        assertEquals("tokenHosts", e.option());
        assertTrue(
                e.getMessage().startsWith("tokenHosts: '" + entry + "'")
                        && e.getMessage().contains("Fix:"),
                e.getMessage());
    }
}
