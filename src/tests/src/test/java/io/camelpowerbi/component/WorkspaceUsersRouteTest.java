package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.Workspace;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/**
 * listWorkspaceUsers, addWorkspaceUser, updateWorkspaceUser and deleteWorkspaceUser from YAML routes against the
 * sandbox: a user by e-mail, and an app by object id, whose access (its token seeing the workspace) follows.
 */
class WorkspaceUsersRouteTest extends SandboxRouteTest {

    static final String ANN = "ann@contoso.com";

    static final String ROUTES = """
            - route:
                from:
                  uri: direct:list
                  steps:
                    - to: { uri: powerbi:listWorkspaceUsers, parameters: { workspace: "Sales Analytics" } }
            - route:
                from:
                  uri: direct:addAnn
                  steps:
                    - to:
                        uri: powerbi:addWorkspaceUser
                        parameters: { workspace: "Sales Analytics", principal: "ann@contoso.com", workspaceAccessRight: Viewer }
            - route:
                from:
                  uri: direct:promoteAnn
                  steps:
                    - to:
                        uri: powerbi:updateWorkspaceUser
                        parameters: { workspace: "Sales Analytics", principal: "ann@contoso.com", workspaceAccessRight: Contributor }
            - route:
                from:
                  uri: direct:removeAnn
                  steps:
                    - to: { uri: powerbi:deleteWorkspaceUser, parameters: { workspace: "Sales Analytics", principal: "ann@contoso.com" } }
            - route:
                from:
                  uri: direct:removeIdentity
                  steps:
                    - to: { uri: powerbi:deleteWorkspaceUser, parameters: { workspace: Finance, principal: "{{mi}}" } }
            - route:
                from:
                  uri: direct:addIdentity
                  steps:
                    - to:
                        uri: powerbi:addWorkspaceUser
                        parameters: { workspace: Finance, principal: "{{mi}}", principalType: App, workspaceAccessRight: Member }
            """;

    Exchange send(String endpoint) {
        return send(endpoint, null);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> user(String identifier) {
        List<Map<String, Object>> users = ok(send("direct:list")).getMessage().getBody(List.class);
        return users.stream()
                .filter(u -> identifier.equalsIgnoreCase(String.valueOf(u.get("identifier"))))
                .findFirst()
                .orElse(null);
    }

    @Test
    void aUserIsAddedPromotedAndRemoved() throws Exception {
        routes(ROUTES);
        assertEquals(
                "Admin", user(Sandbox.DEV_APP_OBJECT_ID).get("groupUserAccessRight"), "the app itself is an Admin");

        ok(send("direct:addAnn"));
        assertEquals(
                Map.of(
                        "identifier",
                        ANN,
                        "principalType",
                        "User",
                        "emailAddress",
                        ANN,
                        "groupUserAccessRight",
                        "Viewer"),
                user(ANN));

        PowerBiException twice =
                assertInstanceOf(PowerBiException.class, send("direct:addAnn").getException());
        assertEquals(400, twice.httpStatus());

        ok(send("direct:promoteAnn"));
        assertEquals("Contributor", user(ANN).get("groupUserAccessRight"));

        ok(send("direct:removeAnn"));
        assertEquals(null, user(ANN));
        PowerBiException gone = assertInstanceOf(
                PowerBiException.class, send("direct:removeAnn").getException());
        assertEquals(404, gone.httpStatus());
    }

    @Test
    void anAppIsNamedByItsObjectIdAndItsAccessFollows() throws Exception {
        routes(ROUTES);
        Workspace finance = sandbox.workspace(Sandbox.WORKSPACE_FINANCE);
        assertTrue(finance.isMember(Sandbox.DEV_MANAGED_IDENTITY_CLIENT_ID));

        ok(send("direct:removeIdentity"));
        assertFalse(finance.isMember(Sandbox.DEV_MANAGED_IDENTITY_CLIENT_ID), "its token no longer sees the workspace");

        ok(send("direct:addIdentity"));
        assertTrue(finance.isMember(Sandbox.DEV_MANAGED_IDENTITY_CLIENT_ID));
    }

    @Test
    void aChangeWithoutTheAccessRightFailsTheRouteAtStart() {
        Exception e = assertThrows(Exception.class, () -> routes("""
                - route:
                    from:
                      uri: direct:add
                      steps:
                        - to: { uri: powerbi:addWorkspaceUser, parameters: { workspace: "Sales Analytics", principal: "bob@contoso.com" } }
                """));
        InvalidOptionException invalid = null;
        for (Throwable t = e; t != null && invalid == null; t = t.getCause()) {
            invalid = t instanceof InvalidOptionException i ? i : null;
        }
        assertTrue(invalid != null && invalid.option().equals("workspaceAccessRight"), String.valueOf(e));
    }
}
