package io.camelpowerbi.operations;

/** Who is given workspace access: a user (by e-mail), a security group or an app (service principal), both by object id. */
public enum PrincipalType {
    User,
    Group,
    /** A service principal, identified by its enterprise application's object id (not its client id). */
    App
}
