package io.camelpowerbi.auth;

/**
 * What to change for each AADSTS code a client-credentials caller meets (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
 * Hints speak in this component's option names.
 */
final class EntraHints {

    private EntraHints() {}

    /**
     * @param source      what was asked for
     * @param sentAudience the {@code aud} of the assertion that was sent, or null
     */
    static String hint(int code, TokenSource source, String sentAudience) {
        String url = source.tokenUrl();
        ClientCredential credential = source.credential();
        return switch (code) {
            case 700023, 50012 ->
                "the client assertion's aud must equal the token URL it is posted to. Sent aud: "
                        + (sentAudience == null ? "(none)" : sentAudience) + "; it must equal: " + url
                        + ". Same host (login.windows.net is not login.microsoftonline.com), same tenant, same path."
                        + (credential instanceof FederatedAssertionFile
                                ? " The federated token's audience is set by its issuer: "
                                        + "configure the federated credential's audience (usually api://AzureADTokenExchange)."
                                : "");
            case 700024 ->
                "the assertion is outside its valid time: nbf must not be in the future and exp not in the past. "
                        + "Check this machine's clock (NTP)"
                        + (credential instanceof FederatedAssertionFile
                                ? "; the federated token file may be stale: check that it is refreshed"
                                : "")
                        + ".";
            case 700027 ->
                credential instanceof ClientCertificate c
                        ? "Entra does not know this certificate, or the signature does not match it. Upload the certificate to the app "
                                + "registration (Certificates & secrets); its thumbprint there must be "
                                + Thumbprints.hex(Thumbprints.sha1(c.certificate()))
                                + " (SHA-1 hex). Check that certificateFile and "
                                + "privateKeyFile belong together and that the registered certificate has not expired."
                        : "the assertion's signature or certificate is not registered on the app.";
            case 700016 ->
                "no app with client id " + source.clientId() + " in tenant " + source.tenantId()
                        + ". Use the Application (client) id, not the object id, and the tenant where the app is registered"
                        + " (or the right cloud).";
            case 700021 -> "the assertion's iss/sub must equal clientId (" + source.clientId() + ").";
            case 50048 -> "the assertion's sub must equal its iss, both the client id.";
            case 50027 ->
                "the client assertion is not a valid signed JWT"
                        + (credential instanceof FederatedAssertionFile f ? ": check the content of " + f.file() : "")
                        + ".";
            case 7000215 ->
                "the client secret is wrong. Use the secret's Value (shown once when created), not its Secret ID.";
            case 7000222 ->
                "the client secret has expired. Create a new secret in the app registration and update clientSecret.";
            case 7000218 ->
                "send a credential: set clientSecret, a certificate (certificateFile and privateKeyFile, or "
                        + "keystoreFile) or federatedTokenFile.";
            case 7000112 ->
                "the app registration (or its service principal) is disabled. Enable it in Entra ID "
                        + "(Enterprise applications, Properties, Enabled for users to sign-in).";
            case 90002 ->
                "tenant " + source.tenantId() + " does not exist in this cloud. Check tenantId, and the cloud "
                        + "(a GCC High tenant lives behind login.microsoftonline.us).";
            case 500011 ->
                "resource " + source.resource() + " is not in tenant " + source.tenantId()
                        + ". Check the cloud: each has its own Power BI resource (Fabric's and storage's tokens are asked for"
                        + " in the public cloud).";
            case 900144 ->
                "the request missed a parameter; this should not happen with this component: please report it.";
            case 901002 ->
                "the v2 endpoint takes scope, not resource: use tokenEndpointVersion=V2 with scope, or V1 with resource.";
            case 1002012, 70011 -> "app-only tokens need the scope " + source.scope() + " (resource + /.default).";
            case 700022 -> "ask for one resource at a time.";
            case 9001023 -> "use the tenant id or domain, not common, consumers or organizations.";
            case 50049 ->
                "unknown authority host " + source.authorityHost()
                        + ": choose the cloud, or set authorityHost correctly.";
            case 53003 -> "a Conditional Access policy for workload identities blocks this app: ask the Entra admin.";
            case 70021 ->
                "no federated credential on the app matches the token's issuer, subject and audience: "
                        + "check the app's federated credentials.";
            default -> null;
        };
    }
}
