package io.camelpowerbi.sandbox;

/**
 * Workspace lookups for Power BI endpoints: the caller's tenant must hold the workspace (else 404
 * PowerBIEntityNotFound) and the caller's app must be a member (else 401 PowerBINotAuthorizedException).
 */
public final class WorkspaceAccess {

    private WorkspaceAccess() {}

    public static Workspace requireMember(Caller caller, String workspaceId) {
        Workspace workspace = caller.tenant()
                .workspace(workspaceId)
                .orElseThrow(() -> PowerBiError.entityNotFound().exception());
        if (!workspace.isMember(caller.appId())) {
            throw PowerBiError.notAuthorized().exception();
        }
        return workspace;
    }
}
