package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.camelpowerbi.IsolatedClassLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that embeds the library without azure-identity (it is optional in the pom): routes with the app's own
 * credential work and no class of azure-identity's is ever loaded; choosing AZURE_IDENTITY fails the route at start
 * naming the dependency to add. Runs {@link WithoutAzureIdentityScenario} in a class loader that holds the test class
 * path minus the Azure SDK, MSAL4J and Reactor.
 */
class WithoutAzureIdentityTest {

    @TempDir
    Path dir;

    @Test
    void routesWorkWithoutAzureIdentityAndChoosingItNamesTheDependency() throws Exception {
        try (IsolatedClassLoader loader =
                IsolatedClassLoader.without("/com/azure/", "/com/microsoft/azure/", "/io/projectreactor/")) {
            assertThrows(
                    ClassNotFoundException.class, () -> loader.loadClass("com.azure.core.credential.TokenCredential"));
            @SuppressWarnings("unchecked")
            Callable<String> scenario =
                    (Callable<String>) loader.loadClass(WithoutAzureIdentityScenario.class.getName())
                            .getConstructor(Path.class)
                            .newInstance(dir);
            Thread thread = Thread.currentThread();
            ClassLoader before = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            String outcome;
            try {
                outcome = scenario.call();
            } finally {
                thread.setContextClassLoader(before);
            }
            assertEquals(
                    "workspaces listed: 2; credentialType: AZURE_IDENTITY needs azure-identity, which is not on the"
                            + " classpath / add com.azure:azure-identity (1.18.4 is the version of com.azure:azure-sdk-bom 1.3.8;"
                            + " the executable camel-powerbi.jar has it) to the application, or use"
                            + " credentialType=CLIENT_CREDENTIALS with a certificate or a client secret",
                    outcome);
            assertNull(
                    loader.loaded("io.camelpowerbi.auth.AzureIdentityTokens"),
                    "the class that uses azure-identity was loaded");
        }
    }
}
