package io.camelpowerbi.contract;

import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the requests the component sends to a test's WireMock server under the contract:
 * {@code options().extensions(new WireMockContractListener())}. The answers are the test's own stubs and are not
 * judged.
 */
public final class WireMockContractListener implements ServeEventListener {

    @Override
    public String getName() {
        return "powerbi-contract";
    }

    @Override
    public boolean applyGlobally() {
        return true;
    }

    @Override
    public void beforeResponseSent(ServeEvent event, Parameters parameters) {
        if (!ContractOracle.enabled()) {
            return;
        }
        LoggedRequest r = event.getRequest();
        String url = r.getUrl();
        int q = url.indexOf('?');
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpHeader h : r.getHeaders().all()) {
            headers.put(h.key(), h.values());
        }
        int status = event.getResponseDefinition() == null
                ? 0
                : event.getResponseDefinition().getStatus();
        ContractOracle.observe(new ContractExchange(
                "wiremock",
                r.getMethod().getName(),
                q < 0 ? url : url.substring(0, q),
                q < 0 ? null : url.substring(q + 1),
                headers,
                r.getBody(),
                status,
                Map.of(),
                new byte[0],
                ContractExchange.sentByComponent(headers),
                false));
    }
}
