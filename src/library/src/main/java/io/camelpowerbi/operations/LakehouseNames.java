package io.camelpowerbi.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelpowerbi.client.PathSegment;
import io.camelpowerbi.client.PowerBiClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names or ids of Fabric workspaces and lakehouses, resolved with the Fabric REST API ({@code GET /v1/workspaces}, page
 * by page, and {@code GET /v1/workspaces/{id}/lakehouses}; neither filters by name, so the lists are searched by
 * {@code displayName}): exact match first, else a single case-insensitive one, as {@link NameResolver} does for Power
 * BI. A workspace GUID is taken as it is; a lakehouse is always looked up once (its id alone does not say whether it
 * was created with schemas). Hits are remembered by this instance, misses are not.
 */
public final class LakehouseNames {

    private final PowerBiClient fabric;
    private final Map<String, String> workspaces = new ConcurrentHashMap<>();
    private final Map<String, LakehouseRef> lakehouses = new ConcurrentHashMap<>();

    /** @param fabric a client of the Fabric REST API */
    public LakehouseNames(PowerBiClient fabric) {
        this.fabric = Objects.requireNonNull(fabric, "fabric");
    }

    /** The id of the workspace named (or identified by) {@code nameOrId}. */
    public String workspaceId(String nameOrId) {
        String name = NameResolver.required(nameOrId, "workspace");
        if (NameResolver.isGuid(name)) {
            return name;
        }
        String id = workspaces.get(name);
        if (id == null) {
            List<JsonNode> all = new ArrayList<>();
            String token = null;
            do {
                Map<String, String> query = new LinkedHashMap<>();
                if (token != null) {
                    query.put("continuationToken", token);
                }
                JsonNode page = fabric.getJson("/workspaces", query, "workspaces");
                page.path("value").forEach(all::add);
                token = Api.text(page, "continuationToken");
            } while (token != null);
            id = only(
                    all,
                    "workspace",
                    name,
                    "visible to the service principal",
                    "check the spelling, and that the " + "service principal is a member of the workspace");
            workspaces.put(name, id);
        }
        return id;
    }

    /** The lakehouse named (or identified by) {@code nameOrId} in workspace {@code workspaceId}. */
    public LakehouseRef lakehouse(String workspaceId, String nameOrId) {
        String name = NameResolver.required(nameOrId, "lakehouse");
        String key = workspaceId.toLowerCase(Locale.ROOT) + "\u0000" + name;
        LakehouseRef found = lakehouses.get(key);
        if (found == null) {
            List<JsonNode> all = new ArrayList<>();
            fabric.getJson(
                            "/workspaces/" + PathSegment.encode(workspaceId) + "/lakehouses",
                            Map.of(),
                            "lakehouses of workspace " + workspaceId)
                    .path("value")
                    .forEach(all::add);
            JsonNode item = null;
            for (JsonNode l : all) {
                if (name.equalsIgnoreCase(l.path("id").asText())) {
                    item = l;
                }
            }
            if (item == null) {
                String id = only(
                        all,
                        "lakehouse",
                        name,
                        "in workspace " + workspaceId,
                        "check the spelling, or give the " + "lakehouse's id");
                item = all.stream()
                        .filter(l -> id.equals(l.path("id").asText()))
                        .findFirst()
                        .orElseThrow();
            }
            found = new LakehouseRef(
                    workspaceId,
                    item.path("id").asText(),
                    item.path("displayName").asText(),
                    Api.text(item.path("properties"), "defaultSchema"));
            lakehouses.put(key, found);
        }
        return found;
    }

    private static String only(List<JsonNode> items, String option, String name, String where, String fix) {
        List<JsonNode> chosen = NameResolver.choose(items, name, "displayName");
        if (chosen.size() == 1) {
            return chosen.get(0).path("id").asText();
        }
        if (chosen.isEmpty()) {
            throw NameResolver.missing(option, name, where, NameResolver.names(items, "displayName"), fix);
        }
        throw NameResolver.ambiguous(option, name, " " + where, chosen, "displayName");
    }
}
