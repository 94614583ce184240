package io.camelpowerbi.operations;

import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiOutcomeUnknownException;
import io.camelpowerbi.client.PowerBiRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Workspace access: who has which right on a workspace, and giving, changing and taking it away, for users (by e-mail),
 * security groups and apps (by object id). Needs the caller to be an Admin of the workspace.
 */
public final class WorkspaceUserOperations {

    private final PowerBiClient client;

    public WorkspaceUserOperations(PowerBiClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** The principals with access: {@code identifier}, {@code principalType}, {@code groupUserAccessRight}, ... */
    public List<Map<String, Object>> list(String groupId) {
        return Api.values(client.getJson(Api.group(groupId) + "/users", Map.of(), "workspace " + groupId));
    }

    /**
     * Gives a principal access. Not sent twice: when the answer is lost, the workspace's users are read, and the call
     * counts as done when the principal is there with that right.
     */
    public void add(String groupId, String identifier, PrincipalType type, WorkspaceAccessRight right) {
        PowerBiRequest post = PowerBiRequest.json(
                "POST", Api.group(groupId) + "/users", Map.of(), body(identifier, type, right), "workspace " + groupId);
        try {
            client.send(post);
        } catch (PowerBiOutcomeUnknownException lost) {
            boolean there = list(groupId).stream()
                    .anyMatch(u -> identifier.equalsIgnoreCase(String.valueOf(u.get("identifier")))
                            && right.name().equals(u.get("groupUserAccessRight")));
            if (!there) {
                throw lost;
            }
        }
    }

    /** Changes a principal's access right. */
    public void update(String groupId, String identifier, PrincipalType type, WorkspaceAccessRight right) {
        client.send(PowerBiRequest.json(
                "PUT", Api.group(groupId) + "/users", Map.of(), body(identifier, type, right), "workspace " + groupId));
    }

    /** Takes a principal's access away ({@code identifier}: a user's e-mail, or a group's or app's object id). */
    public void delete(String groupId, String identifier) {
        client.send(new PowerBiRequest(
                "DELETE",
                Api.group(groupId) + "/users/" + Api.seg(identifier),
                Map.of(),
                null,
                identifier + " in workspace " + groupId));
    }

    private static byte[] body(String identifier, PrincipalType type, WorkspaceAccessRight right) {
        if (identifier == null || identifier.isBlank()) {
            throw new IllegalArgumentException(
                    "principal: the user's e-mail address, or the object id of the group or app");
        }
        Objects.requireNonNull(type, "principalType");
        if (right == null) {
            throw new IllegalArgumentException("workspaceAccessRight: Admin, Member, Contributor or Viewer");
        }
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("identifier", identifier.trim());
        user.put("principalType", type.name());
        if (type == PrincipalType.User) {
            user.put("emailAddress", identifier.trim());
        }
        user.put("groupUserAccessRight", right.name());
        return Api.bytes(user);
    }
}
