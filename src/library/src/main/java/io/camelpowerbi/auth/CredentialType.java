package io.camelpowerbi.auth;

/** How the component gets its Power BI tokens. */
public enum CredentialType {

    /**
     * The app's own credential at Entra's token endpoint (client credentials grant): a certificate
     * ({@code certificateFile}/{@code privateKeyFile} or {@code keystoreFile}), a {@code clientSecret} or a federated
     * assertion ({@code federatedTokenFile}).
     */
    CLIENT_CREDENTIALS,

    /**
     * azure-identity gives the tokens: the {@code tokenCredential} bean, or else a {@code DefaultAzureCredential}
     * (managed identity on Azure hosts, workload identity, the {@code AZURE_*} environment, Azure CLI). Needs
     * {@code com.azure:azure-identity} on the classpath.
     */
    AZURE_IDENTITY
}
