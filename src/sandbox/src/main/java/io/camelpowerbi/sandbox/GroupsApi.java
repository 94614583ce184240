package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1.0/myorg/groups}: the workspaces the calling service principal is a member of, with {@code $filter},
 * {@code $top} and {@code $skip} (https://learn.microsoft.com/en-us/rest/api/power-bi/groups/get-groups).
 */
final class GroupsApi implements PowerBiApi.Module {

    private static final Logger LOG = LoggerFactory.getLogger(GroupsApi.class);
    static final Set<String> PROPERTIES = Set.of("id", "name", "isReadOnly", "isOnDedicatedCapacity", "capacityId");

    @Override
    public void register(Router router, PowerBiApi api) {
        router.get(PowerBiApi.BASE_PATH + "/groups", api.authenticated(this::list));
    }

    private void list(SandboxExchange ex, Caller caller) throws IOException {
        ODataQuery query = ODataQuery.from(ex, PROPERTIES);
        List<Workspace> visible = caller.tenant().workspaces().stream()
                .filter(w -> w.isMember(caller.appId()))
                .toList();
        List<Workspace> page = query.apply(visible, GroupsApi::properties);
        ObjectNode body = Json.object();
        body.put("@odata.context", PowerBiApi.odataContext(ex, "groups"));
        ArrayNode value = body.putArray("value");
        page.forEach(w -> value.add(toJson(w)));
        LOG.debug("GET groups for app {}: {} of {} workspaces", caller.appId(), page.size(), visible.size());
        ex.sendJson(200, body);
    }

    static ObjectNode toJson(Workspace w) {
        ObjectNode json = Json.object();
        json.put("id", w.id());
        json.put("isReadOnly", w.isReadOnly());
        json.put("isOnDedicatedCapacity", w.isOnDedicatedCapacity());
        if (w.isOnDedicatedCapacity() && w.capacityId() != null) {
            json.put("capacityId", w.capacityId());
        }
        json.put("name", w.name());
        return json;
    }

    static Function<String, Object> properties(Workspace w) {
        return name -> switch (name) {
            case "id" -> w.id();
            case "name" -> w.name();
            case "isReadOnly" -> w.isReadOnly();
            case "isOnDedicatedCapacity" -> w.isOnDedicatedCapacity();
            case "capacityId" -> w.capacityId();
            default -> null;
        };
    }
}
