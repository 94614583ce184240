package com.microsoft.aad.msal4j;

import java.util.Map;

/**
 * The environment MSAL4J's managed identity sources read ({@code IDENTITY_ENDPOINT}, {@code IDENTITY_HEADER},
 * {@code AZURE_POD_IDENTITY_AUTHORITY_HOST}, ...), set for this JVM. MSAL reads them with {@code System.getenv} unless
 * its package-private hook {@code ManagedIdentityApplication.setEnvironmentVariables} says otherwise; azure-identity's
 * {@code configuration(...)} does not reach them. JVM-wide: {@link #clear()} after each test.
 */
public final class MsalEnvironment {

    private MsalEnvironment() {}

    public static void set(Map<String, String> environment) {
        Map<String, String> copy = Map.copyOf(environment);
        ManagedIdentityApplication.setEnvironmentVariables(copy::get);
    }

    public static void clear() {
        ManagedIdentityApplication.setEnvironmentVariables(null);
    }
}
