package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workspace access (Groups_GetGroupUsers, AddGroupUser, UpdateGroupUser, DeleteUserInGroup): users by e-mail, security
 * groups and apps by object id, with the access rights Power BI defines. An app of the tenant given access becomes a
 * member (its token then sees the workspace); removed, it loses it. The apps a workspace is configured with are
 * Admins.
 *
 * <p>guess: only an Admin of the workspace manages its users here (the service also lets a Member add principals with
 * lower rights); refusals are 401 {@code PowerBINotAuthorizedException}, 400 {@code InvalidRequest} for bad bodies and
 * for adding a principal that has access already, 404 {@code PowerBIEntityNotFound} for changing or removing one that
 * has none: Microsoft documents the operations' successes only.
 */
final class WorkspaceUsersApi implements PowerBiApi.Module {

    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceUsersApi.class);
    private static final Set<String> RIGHTS = Set.of("None", "Member", "Admin", "Contributor", "Viewer");
    private static final Set<String> PRINCIPALS = Set.of("None", "User", "Group", "App");

    private PowerBiApi api;

    @Override
    public void register(Router router, PowerBiApi powerBiApi) {
        this.api = powerBiApi;
        String base = PowerBiApi.GROUP + "/users";
        router.get(base, api.workspaceList("users", (w, caller) -> users(w, caller.tenant()).stream()));
        router.post(base, api.authenticated((ex, caller) -> change(ex, caller, true)));
        router.put(base, api.authenticated((ex, caller) -> change(ex, caller, false)));
        router.delete(base + "/{user}", api.authenticated(this::delete));
    }

    /** The member apps (Admins unless the users API says otherwise) and the other principals given access. */
    private static List<ObjectNode> users(Workspace w, Tenant tenant) {
        synchronized (w) {
            List<ObjectNode> all = new ArrayList<>();
            for (String clientId : w.members().stream().sorted().toList()) {
                Optional<App> app = tenant.app(clientId);
                String objectId = app.map(App::objectId).orElse(clientId).toLowerCase(Locale.ROOT);
                if (!w.users().containsKey(objectId)) {
                    ObjectNode u = Json.object()
                            .put("identifier", objectId)
                            .put("principalType", "App")
                            .put("groupUserAccessRight", "Admin");
                    app.ifPresent(a -> u.put("displayName", a.displayName()));
                    all.add(u);
                }
            }
            w.users().values().forEach(u -> all.add(u.deepCopy()));
            return all;
        }
    }

    private void change(SandboxExchange ex, Caller caller, boolean add) throws IOException {
        Workspace w = api.workspace(ex, caller);
        requireAdmin(w, caller);
        JsonNode body = PowerBiApi.jsonBody(ex);
        String right = body == null ? null : body.path("groupUserAccessRight").asText(null);
        if (right == null || !RIGHTS.contains(right)) {
            throw DatasetsApi.bad("groupUserAccessRight must be one of None, Member, Admin, Contributor, Viewer.");
        }
        String type = body.path("principalType").asText("User");
        if (!PRINCIPALS.contains(type)) {
            throw DatasetsApi.bad("principalType must be one of None, User, Group, App.");
        }
        String identifier =
                body.path("identifier").asText(body.path("emailAddress").asText(null));
        if (identifier == null || identifier.isBlank()) {
            throw DatasetsApi.bad("identifier (or emailAddress for a user) is required.");
        }
        if ((type.equals("App") || type.equals("Group")) && !SandboxConfig.isGuid(identifier)) {
            throw DatasetsApi.bad(
                    "The identifier of a " + type + " is its object id (a GUID), not '" + identifier + "'.");
        }
        String key = identifier.toLowerCase(Locale.ROOT);
        Optional<App> app = type.equals("App") ? appByObjectId(caller.tenant(), key) : Optional.empty();
        synchronized (w) {
            boolean present = w.users().containsKey(key)
                    || app.map(a -> w.isMember(a.clientId())).orElse(false);
            if (add && present) {
                throw DatasetsApi.bad("Principal " + identifier + " already has access to workspace " + w.id()
                        + "; update its access right instead (PUT groups/{groupId}/users).");
            }
            if (!add && !present) {
                throw PowerBiError.entityNotFound().exception();
            }
            ObjectNode user = Json.object()
                    .put("identifier", identifier)
                    .put("principalType", type)
                    .put("groupUserAccessRight", right);
            if (type.equals("User")) {
                user.put("emailAddress", identifier);
            }
            app.ifPresent(a -> user.put("displayName", a.displayName()));
            w.users().put(key, user);
            app.ifPresent(a -> w.addMember(a.clientId()));
        }
        LOG.info("workspace {}: {} {} {} as {}", w.id(), add ? "added" : "updated", type, identifier, right);
        ex.sendEmpty(200);
    }

    private void delete(SandboxExchange ex, Caller caller) throws IOException {
        Workspace w = api.workspace(ex, caller);
        requireAdmin(w, caller);
        String key = ex.pathParam("user").toLowerCase(Locale.ROOT);
        Optional<App> app = appByObjectId(caller.tenant(), key);
        synchronized (w) {
            boolean removed = w.users().remove(key) != null;
            if (app.isPresent() && w.isMember(app.get().clientId())) {
                w.removeMember(app.get().clientId());
                removed = true;
            }
            if (!removed) {
                throw PowerBiError.entityNotFound().exception();
            }
        }
        LOG.info("workspace {}: removed {}", w.id(), key);
        ex.sendEmpty(200);
    }

    private static void requireAdmin(Workspace w, Caller caller) {
        String objectId = caller.tenant()
                .app(caller.appId())
                .map(App::objectId)
                .orElse(caller.appId())
                .toLowerCase(Locale.ROOT);
        String right;
        synchronized (w) {
            ObjectNode own = w.users().get(objectId);
            right = own != null
                    ? own.path("groupUserAccessRight").asText()
                    : w.isMember(caller.appId()) ? "Admin" : "None";
        }
        if (!right.equals("Admin")) {
            throw PowerBiError.notAuthorized().exception();
        }
    }

    private static Optional<App> appByObjectId(Tenant tenant, String objectId) {
        return tenant.apps().stream()
                .filter(a -> a.objectId().equalsIgnoreCase(objectId))
                .findFirst();
    }
}
