package io.camelpowerbi.auth;

/**
 * Where Power BI tokens come from when azure-identity gives them: a {@code TokenCredential} of the application, or a
 * {@code DefaultAzureCredential} built from the other fields. Holds azure-identity's types as {@code Object}, so this
 * class loads without azure-identity; {@link AzureIdentityTokens} is the one class that touches them.
 *
 * @param credential    a {@code com.azure.core.credential.TokenCredential}, or null for a {@code DefaultAzureCredential}
 * @param authorityHost for a {@code DefaultAzureCredential}: the Entra host, null for azure-identity's default
 *                      ({@code AZURE_AUTHORITY_HOST}, else the public cloud's)
 * @param tenantId      for a {@code DefaultAzureCredential}: the tenant, or null
 * @param clientId      for a {@code DefaultAzureCredential}: the client id of a user-assigned managed identity (and of a
 *                      workload identity), or null for the system-assigned one
 * @param resource      the token audience; the scope asked for is this plus {@code /.default}
 */
public record AzureIdentitySource(
        Object credential, String authorityHost, String tenantId, String clientId, String resource) {

    /** What to add for {@link CredentialType#AZURE_IDENTITY}, in messages. */
    public static final String DEPENDENCY = "com.azure:azure-identity (1.18.4 is the version of com.azure:azure-sdk-bom"
            + " 1.3.8; the executable camel-powerbi.jar has it)";

    public AzureIdentitySource {
        if (resource == null || resource.isBlank()) {
            throw new CredentialException(
                    "resource", "is not set", "choose a cloud, or set resource to the Power BI audience");
        }
        resource = resource.endsWith("/") ? resource.substring(0, resource.length() - 1) : resource;
        requireAvailable();
        if (credential != null && !isTokenCredential(credential)) {
            throw new CredentialException(
                    "tokenCredential",
                    "the bean is a " + credential.getClass().getName()
                            + ", not a com.azure.core.credential.TokenCredential",
                    "bind a TokenCredential, e.g. a" + " ManagedIdentityCredential or a DefaultAzureCredential");
        }
    }

    /** The single scope asked for: azure-identity's managed identity takes exactly one. */
    public String scope() {
        return resource + "/.default";
    }

    /**
     * The cache key: a given credential by its identity (two beans are two token sources), a built one by everything it
     * is built from; and the scope, so that another audience is another token.
     */
    public TokenKey key() {
        String fingerprint = credential != null
                ? "azure-identity:" + credential.getClass().getName() + "@"
                        + Integer.toHexString(System.identityHashCode(credential))
                : "azure-identity:DefaultAzureCredential";
        return new TokenKey(
                authorityHost == null ? "" : authorityHost,
                tenantId == null ? "" : tenantId,
                clientId == null ? "" : clientId,
                fingerprint,
                TokenEndpointVersion.V2,
                scope(),
                "");
    }

    /** Fails, naming the dependency to add, when azure-identity is not on the classpath. */
    public static void requireAvailable() {
        if (!available()) {
            throw new CredentialException(
                    "credentialType",
                    "AZURE_IDENTITY needs azure-identity, which is not on the" + " classpath",
                    "add " + DEPENDENCY + " to the application, or use credentialType=CLIENT_CREDENTIALS"
                            + " with a certificate or a client secret");
        }
    }

    /** Whether azure-identity (and azure-core with it) can be loaded, without loading it. */
    public static boolean available() {
        return loadable("com.azure.identity.DefaultAzureCredentialBuilder")
                && loadable("com.azure.core.credential.TokenCredential");
    }

    private static boolean isTokenCredential(Object bean) {
        try {
            return Class.forName(
                            "com.azure.core.credential.TokenCredential",
                            false,
                            AzureIdentitySource.class.getClassLoader())
                    .isInstance(bean);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static boolean loadable(String name) {
        try {
            Class.forName(name, false, AzureIdentitySource.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "AzureIdentitySource["
                + (credential != null ? credential.getClass().getSimpleName() : "DefaultAzureCredential") + ", scope="
                + scope() + "]";
    }
}
