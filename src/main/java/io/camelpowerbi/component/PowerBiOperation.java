package io.camelpowerbi.component;

/** What a {@code powerbi:} producer does; the {@code CamelPowerBiOperation} header overrides it per message. */
public enum PowerBiOperation {
    /** Lists the workspaces the service principal is a member of (all pages). */
    listWorkspaces,
    /** Any other REST operation: {@code method}, {@code path} under /v1.0/myorg, {@code query} and a JSON body. */
    call
}
