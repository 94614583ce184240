package io.camelpowerbi.component;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.client.PowerBiRequest;
import io.camelpowerbi.client.PowerBiResponse;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs the endpoint's operation (or the one in {@link PowerBiConstants#OPERATION}) through the Power BI client. */
public class PowerBiProducer extends DefaultProducer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> LIST_OF_MAPS = new TypeReference<>() {
    };
    private static final int PAGE = 5000;

    public PowerBiProducer(PowerBiEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public PowerBiEndpoint getEndpoint() {
        return (PowerBiEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        PowerBiOperation operation = in.getHeader(PowerBiConstants.OPERATION, getEndpoint().getOperation(), PowerBiOperation.class);
        switch (operation) {
            case listWorkspaces -> listWorkspaces(in);
            case call -> call(in);
            default -> throw new UnsupportedOperationException("operation " + operation + " is not implemented");
        }
    }

    private void listWorkspaces(Message in) {
        PowerBiConfiguration config = getEndpoint().getConfiguration();
        List<Map<String, Object>> all = new ArrayList<>();
        for (int skip = 0; ; skip += PAGE) {
            Map<String, String> query = new LinkedHashMap<>();
            if (config.getFilter() != null) {
                query.put("$filter", config.getFilter());
            }
            query.put("$top", String.valueOf(PAGE));
            query.put("$skip", String.valueOf(skip));
            PowerBiResponse response = getEndpoint().client().send(PowerBiRequest.get("/groups", query, "workspaces"));
            List<Map<String, Object>> page = JSON.convertValue(response.json().path("value"), LIST_OF_MAPS);
            all.addAll(page);
            in.setHeader(PowerBiConstants.REQUEST_ID, response.requestId());
            if (page.size() < PAGE) {
                break;
            }
        }
        in.setHeader(PowerBiConstants.RESULT_COUNT, all.size());
        in.setBody(all);
    }

    private void call(Message in) throws Exception {
        PowerBiConfiguration config = getEndpoint().getConfiguration();
        String method = in.getHeader(PowerBiConstants.HTTP_METHOD, config.getMethod(), String.class).toUpperCase(Locale.ROOT);
        String path = in.getHeader(PowerBiConstants.PATH, config.getPath(), String.class);
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("path: the call operation needs a path under /v1.0/myorg, e.g. /groups");
        }
        Object body = in.getBody();
        byte[] bytes = null;
        if (body != null && !"GET".equals(method) && !"DELETE".equals(method)) {
            bytes = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                    : body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
        }
        PowerBiResponse response = getEndpoint().client().send(PowerBiRequest.json(method, path, Map.of(), bytes, path));
        in.setHeader(PowerBiConstants.REQUEST_ID, response.requestId());
        in.setHeader(PowerBiConstants.HTTP_STATUS, response.status());
        JsonNode json = response.json();
        in.setBody(json.isMissingNode() ? null : JSON.convertValue(json, Object.class));
    }
}
