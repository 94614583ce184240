package io.camelpowerbi.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.client.PowerBiClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Turns the workspace, dataset and report names a route author writes into the ids Power BI's paths need. A GUID is
 * taken as an id without a call; a name is looked up once and remembered by this instance (one per endpoint or
 * component), so a route pushing rows every second does not list the workspace's datasets every second.
 *
 * <p>Matching is exact first; when nothing matches exactly, a single case-insensitive match is accepted (Power BI
 * treats names case-insensitively in its own UI). Misses are not cached, so a dataset created later is found.
 */
public final class NameResolver {

    private static final Pattern GUID =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    /** How many existing names an error lists; enough to spot a typo, short enough for a log line. */
    static final int LISTED = 20;

    private final PowerBiClient client;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public NameResolver(PowerBiClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    public static boolean isGuid(String value) {
        return value != null && GUID.matcher(value).matches();
    }

    /** The id of the workspace named (or identified by) {@code nameOrId}. */
    public String workspaceId(String nameOrId) {
        String name = required(nameOrId, "workspace");
        if (isGuid(name)) {
            return name;
        }
        return cached(key("workspace", null, name), () -> lookUpWorkspace(name));
    }

    /** The id of the dataset (semantic model) named {@code nameOrId} in workspace {@code groupId}. */
    public String datasetId(String groupId, String nameOrId) {
        String name = required(nameOrId, "dataset");
        if (isGuid(name)) {
            return name;
        }
        return cached(key("dataset", groupId, name), () -> lookUpIn(groupId, "dataset", "datasets", name));
    }

    /** The id of the report named {@code nameOrId} in workspace {@code groupId}. */
    public String reportId(String groupId, String nameOrId) {
        String name = required(nameOrId, "report");
        if (isGuid(name)) {
            return name;
        }
        return cached(key("report", groupId, name), () -> lookUpIn(groupId, "report", "reports", name));
    }

    /** The id of the dataflow named {@code nameOrId} in workspace {@code groupId} (dataflows name their id objectId). */
    public String dataflowId(String groupId, String nameOrId) {
        String name = required(nameOrId, "dataflow");
        if (isGuid(name)) {
            return name;
        }
        return cached(
                key("dataflow", groupId, name), () -> lookUpIn(groupId, "dataflow", "dataflows", "objectId", name));
    }

    /** Records a dataset this process just created, so the next lookup needs no call. */
    public void rememberDataset(String groupId, String name, String id) {
        cache.put(key("dataset", groupId, name), id);
    }

    /** Forgets one dataset name (deleted or recreated under the same name). */
    public void forgetDataset(String groupId, String name) {
        cache.remove(key("dataset", groupId, name));
    }

    /** Forgets one report name. */
    public void forgetReport(String groupId, String name) {
        cache.remove(key("report", groupId, name));
    }

    /** Forgets everything resolved in one workspace (datasets and reports), and the workspace name itself. */
    public void forget(String groupId) {
        String prefix = "\u0000" + groupId.toLowerCase(Locale.ROOT) + "\u0000";
        cache.keySet().removeIf(k -> k.contains(prefix));
        cache.values().removeIf(groupId::equalsIgnoreCase);
    }

    /** Forgets every resolved name. */
    public void invalidate() {
        cache.clear();
    }

    /**
     * Not {@code computeIfAbsent}: that would hold a map lock during an HTTP call. Two threads resolving the same new
     * name at once both ask Power BI and get the same answer, which is harmless.
     */
    private String cached(String key, Supplier<String> lookUp) {
        String id = cache.get(key);
        if (id == null) {
            id = lookUp.get();
            cache.put(key, id);
        }
        return id;
    }

    private String lookUpWorkspace(String name) {
        Map<String, String> query = new LinkedHashMap<>();
        // OData string literals escape a quote by doubling it.
        query.put("$filter", "name eq '" + name.replace("'", "''") + "'");
        JsonNode found = client.getJson("/groups", query, "workspace '" + name + "'");
        List<JsonNode> matches = new ArrayList<>();
        found.path("value").forEach(matches::add);
        List<JsonNode> chosen = choose(matches, name);
        if (chosen.size() == 1) {
            return chosen.get(0).path("id").asText();
        }
        if (chosen.isEmpty()) {
            // The filtered answer is empty, so list a page of what the service principal does see, for the message.
            JsonNode some = client.getJson("/groups", Map.of("$top", String.valueOf(LISTED + 1)), "workspaces");
            throw missing(
                    "workspace",
                    name,
                    "visible to the service principal",
                    names(some.path("value")),
                    "check the spelling, and that the service principal is a Member or Admin of the workspace");
        }
        throw ambiguous("workspace", name, "", chosen);
    }

    private String lookUpIn(String groupId, String option, String collection, String name) {
        return lookUpIn(groupId, option, collection, "id", name);
    }

    private String lookUpIn(String groupId, String option, String collection, String idField, String name) {
        JsonNode all =
                client.getJson(Api.group(groupId) + "/" + collection, Map.of(), option + "s of workspace " + groupId);
        List<JsonNode> items = new ArrayList<>();
        all.path("value").forEach(items::add);
        List<JsonNode> chosen = choose(items, name);
        if (chosen.size() == 1) {
            return chosen.get(0).path(idField).asText();
        }
        if (chosen.isEmpty()) {
            throw missing(
                    option,
                    name,
                    "in workspace " + groupId,
                    names(all.path("value")),
                    "check the spelling, or give the " + option + "'s id");
        }
        throw ambiguous(option, name, " in workspace " + groupId, chosen);
    }

    /** Exact matches; failing that, case-insensitive ones. */
    private static List<JsonNode> choose(List<JsonNode> items, String name) {
        return choose(items, name, "name");
    }

    /** Exact matches of the {@code field} (Power BI's {@code name}, Fabric's {@code displayName}); failing that, case-insensitive ones. */
    static List<JsonNode> choose(List<JsonNode> items, String name, String field) {
        List<JsonNode> exact = new ArrayList<>();
        List<JsonNode> loose = new ArrayList<>();
        for (JsonNode item : items) {
            String n = item.path(field).asText(null);
            if (name.equals(n)) {
                exact.add(item);
            } else if (n != null && name.equalsIgnoreCase(n)) {
                loose.add(item);
            }
        }
        return exact.isEmpty() ? loose : exact;
    }

    private static List<String> names(JsonNode array) {
        return names(array, "name");
    }

    static List<String> names(Iterable<JsonNode> items, String field) {
        List<String> names = new ArrayList<>();
        items.forEach(n -> names.add(n.path(field).asText("?")));
        return names;
    }

    static NameResolutionException missing(
            String option, String name, String where, List<String> existing, String fix) {
        StringBuilder sb = new StringBuilder(option)
                .append(": no ")
                .append(option)
                .append(" named '")
                .append(name)
                .append("' ")
                .append(where)
                .append("; ");
        if (existing.isEmpty()) {
            sb.append("there are none");
        } else {
            sb.append("there are: ").append(String.join(", ", existing.subList(0, Math.min(LISTED, existing.size()))));
            if (existing.size() > LISTED) {
                sb.append(", …");
            }
        }
        return new NameResolutionException(
                option, name, sb.append(". Fix: ").append(fix).append('.').toString());
    }

    private static NameResolutionException ambiguous(String option, String name, String where, List<JsonNode> matches) {
        return ambiguous(option, name, where, matches, "name");
    }

    static NameResolutionException ambiguous(
            String option, String name, String where, List<JsonNode> matches, String field) {
        List<String> ids = new ArrayList<>();
        matches.forEach(
                m -> ids.add(m.path(field).asText() + " = " + m.path("id").asText()));
        return new NameResolutionException(
                option,
                name,
                option + ": the name '" + name + "' is ambiguous" + where + ": "
                        + matches.size()
                        + " " + option + "s have it (" + String.join(", ", ids) + "). Fix: give the " + option
                        + "'s id instead.");
    }

    static String required(String value, String option) {
        if (value == null || value.isBlank()) {
            throw new InvalidOptionException(
                    option,
                    "a " + option + " name or id is required",
                    "set " + option + " on the endpoint or the message's header");
        }
        return value.trim();
    }

    private static String key(String kind, String groupId, String name) {
        // Names are cached as written; the case-insensitive fallback may make two spellings share one id, which is
        // fine.
        return kind + "\u0000" + (groupId == null ? "" : groupId.toLowerCase(Locale.ROOT)) + "\u0000" + name;
    }
}
