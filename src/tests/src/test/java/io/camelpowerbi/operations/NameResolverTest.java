package io.camelpowerbi.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NameResolverTest extends WireMockSupport {

    @Test
    void guidIsTakenAsIdWithoutACall() {
        NameResolver resolver = new NameResolver(client);
        assertEquals(G, resolver.workspaceId(G));
        assertEquals(D, resolver.datasetId(G, D));
        assertEquals(R, resolver.reportId(G, R));
        assertTrue(requests().isEmpty());
    }

    @Test
    void workspaceNameIsResolvedWithAnEscapedFilterOnceAndCached() {
        wm.stubFor(get(urlPathEqualTo("/v1.0/myorg/groups"))
                .withQueryParam("$filter", equalTo("name eq 'Bob''s Sales'"))
                .willReturn(okJson(
                        "{\"@odata.context\":\"x\",\"value\":[{\"id\":\"" + G + "\",\"name\":\"Bob's Sales\"}]}")));
        NameResolver resolver = new NameResolver(client);

        assertEquals(G, resolver.workspaceId("Bob's Sales"));
        assertEquals(G, resolver.workspaceId("Bob's Sales"));

        wm.verify(
                1,
                getRequestedFor(urlPathEqualTo("/v1.0/myorg/groups"))
                        .withQueryParam("$filter", equalTo("name eq 'Bob''s Sales'")));
        assertEquals(1, requests().size());
        assertEquals("Bearer test-token", requests().get(0).getHeader("Authorization"));
    }

    @Test
    void missingWorkspaceListsWhatExists() {
        wm.stubFor(get(urlPathEqualTo("/v1.0/myorg/groups"))
                .withQueryParam("$filter", equalTo("name eq 'Salez'"))
                .willReturn(okJson("{\"value\":[]}")));
        wm.stubFor(get(urlPathEqualTo("/v1.0/myorg/groups"))
                .withQueryParam("$top", equalTo("21"))
                .willReturn(
                        okJson("{\"value\":[{\"id\":\"a\",\"name\":\"Sales\"},{\"id\":\"b\",\"name\":\"Finance\"}]}")));

        NameResolutionException e =
                assertThrows(NameResolutionException.class, () -> new NameResolver(client).workspaceId("Salez"));

        assertTrue(e.getMessage().startsWith("workspace: "), e.getMessage());
        assertContains(e.getMessage(), "'Salez'", "Sales, Finance");
    }

    @Test
    void datasetByNameIsListedOnceThenCached() {
        wm.stubFor(get(urlPathEqualTo(BASE + "/datasets"))
                .willReturn(okJson("{\"value\":[{\"id\":\"" + D
                        + "\",\"name\":\"Sales\"},{\"id\":\"other\",\"name\":\"Stock\"}]}")));
        NameResolver resolver = new NameResolver(client);

        assertEquals(D, resolver.datasetId(G, "Sales"));
        assertEquals(D, resolver.datasetId(G, "Sales"));
        assertEquals("other", resolver.datasetId(G, "stock")); // single case-insensitive match

        wm.verify(2, getRequestedFor(urlPathEqualTo(BASE + "/datasets")));
        requests()
                .forEach(r -> assertTrue(r.getQueryParams().isEmpty(), r.getUrl())); // no paging parameters exist there
    }

    @Test
    void forgetMakesTheNextLookupAskAgain() {
        wm.stubFor(get(urlPathEqualTo(BASE + "/reports"))
                .willReturn(okJson("{\"value\":[{\"id\":\"" + R + "\",\"name\":\"Daily\"}]}")));
        NameResolver resolver = new NameResolver(client);
        resolver.reportId(G, "Daily");
        resolver.forget(G);
        resolver.reportId(G, "Daily");
        resolver.forgetReport(G, "Daily");
        resolver.reportId(G, "Daily");
        wm.verify(3, getRequestedFor(urlPathEqualTo(BASE + "/reports")));
    }

    @Test
    void rememberedDatasetNeedsNoCall() {
        NameResolver resolver = new NameResolver(client);
        resolver.rememberDataset(G, "Fresh", D);
        assertEquals(D, resolver.datasetId(G, "Fresh"));
        assertTrue(requests().isEmpty());
    }

    @Test
    void missingDatasetNamesTheOptionAndListsAtMostTwentyNames() {
        StringBuilder json = new StringBuilder("{\"value\":[");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            names.add("ds" + i);
            json.append(i == 0 ? "" : ",")
                    .append("{\"id\":\"id")
                    .append(i)
                    .append("\",\"name\":\"ds")
                    .append(i)
                    .append("\"}");
        }
        wm.stubFor(get(urlPathEqualTo(BASE + "/datasets"))
                .willReturn(okJson(json.append("]}").toString())));

        NameResolutionException e =
                assertThrows(NameResolutionException.class, () -> new NameResolver(client).datasetId(G, "Sails"));

        assertTrue(e.getMessage().startsWith("dataset: "), e.getMessage());
        assertContains(e.getMessage(), "'Sails'", "ds0, ds1", "ds19, …");
        assertNotContains(e.getMessage(), "ds20");
    }

    @Test
    void ambiguousReportNameIsAnErrorListingTheIds() {
        wm.stubFor(get(urlPathEqualTo(BASE + "/reports"))
                .willReturn(
                        okJson("{\"value\":[{\"id\":\"r1\",\"name\":\"Daily\"},{\"id\":\"r2\",\"name\":\"Daily\"}]}")));

        NameResolutionException e =
                assertThrows(NameResolutionException.class, () -> new NameResolver(client).reportId(G, "Daily"));

        assertTrue(e.getMessage().startsWith("report: "), e.getMessage());
        assertContains(e.getMessage(), "ambiguous", "r1", "r2");
    }
}
