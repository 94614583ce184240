package io.camelpowerbi.auth;

/** Entra token endpoint flavour: v2 takes {@code scope={resource}/.default}, v1 takes {@code resource}. */
public enum TokenEndpointVersion {
    V2("/oauth2/v2.0/token"),
    V1("/oauth2/token");

    private final String path;

    TokenEndpointVersion(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }
}
