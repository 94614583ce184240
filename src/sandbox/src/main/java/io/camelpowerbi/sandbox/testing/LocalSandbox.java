package io.camelpowerbi.sandbox.testing;

import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The sandbox started in-process (by the runner, doctor, and tests of routes), and the component options that point at
 * it:
 * its authority, its Power BI API, Fabric API and OneLake, its TLS certificate as the only trusted one, the development
 * app's certificate, and its clock.
 */
public final class LocalSandbox implements AutoCloseable {

    private final Sandbox sandbox;

    public LocalSandbox(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    public static LocalSandbox start(Path configFile) {
        try {
            SandboxConfig config = configFile == null ? SandboxConfig.defaults() : SandboxConfig.load(configFile);
            return new LocalSandbox(Sandbox.start(config));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sandbox: " + e.getMessage(), e);
        }
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    /**
     * Points {@code configuration} at the sandbox with the development app's certificate, or, when azure-identity gives
     * the tokens ({@code credentialType=AZURE_IDENTITY}, a {@code tokenCredential}), with no credential of its own. The
     * bearer token may follow the sandbox's cluster redirect (its other loopback name, same port) and nothing else: not
     * its storage listener, and not the real cloud's hosts.
     */
    public PowerBiConfiguration configure(PowerBiConfiguration configuration) {
        configuration.setApiBaseUrl(sandbox.apiBaseUrl());
        configuration.setTokenHosts(hostAndPort(sandbox.clusterBaseUrl()));
        // Fabric's API and OneLake are hosts of their own, each with its own token audience
        configuration.setFabricApiBaseUrl(sandbox.fabricApiBaseUrl());
        configuration.setOneLakeBaseUrl(sandbox.oneLakeBaseUrl());
        configuration.setSslContextParameters(trust());
        // the sandbox's clock is the time of this tenant: assertions and consumer windows follow it
        configuration.setClock(sandbox.clock());
        if (configuration.usesAzureIdentity()) {
            // azure-identity asks the host's managed identity endpoint, which the environment names
            // (IDENTITY_ENDPOINT/IDENTITY_HEADER: sandbox.identityEndpoint() and identityHeader()); no app credential,
            // and the development app's ids only where an earlier configure set them (a clientId of the user's own
            // names
            // a user-assigned identity)
            withoutAppCredential(configuration, sandbox.devTenantId(), sandbox.devClientId());
            return configuration;
        }
        configuration.setAuthorityHost(sandbox.baseUrl());
        configuration.setTenantId(sandbox.devTenantId());
        configuration.setClientId(sandbox.devClientId());
        configuration.setClientSecret(null);
        configuration.setKeystoreFile(null);
        configuration.setFederatedTokenFile(null);
        configuration.setCertificateFile(sandbox.devCertificateFile().toString());
        configuration.setPrivateKeyFile(sandbox.devPrivateKeyFile().toString());
        configuration.setPrivateKeyPassword(null);
        return configuration;
    }

    /**
     * Clears the app credentials and the development app's tenant and client id, which a configuration pointed at a
     * sandbox for client credentials holds, from one that azure-identity gives tokens to.
     */
    public static void withoutAppCredential(
            PowerBiConfiguration configuration, String devTenantId, String devClientId) {
        if (devTenantId.equalsIgnoreCase(String.valueOf(configuration.getTenantId()))) {
            configuration.setTenantId(null);
        }
        if (devClientId.equalsIgnoreCase(String.valueOf(configuration.getClientId()))) {
            configuration.setClientId(null);
        }
        configuration.setClientSecret(null);
        configuration.setKeystoreFile(null);
        configuration.setFederatedTokenFile(null);
        configuration.setCertificateFile(null);
        configuration.setPrivateKeyFile(null);
        configuration.setPrivateKeyPassword(null);
    }

    /** {@code host:port} of a URL, as a {@code tokenHosts} entry. */
    public static String hostAndPort(String url) {
        URI uri = URI.create(url);
        return uri.getHost() + ":" + uri.getPort();
    }

    /** TLS settings that trust the sandbox's certificate, and nothing else. */
    public SSLContextParameters trust() {
        return new SSLContextParameters() {
            @Override
            public SSLContext createSSLContext(CamelContext camelContext) {
                return sandbox.sslContextTrustingSandbox();
            }
        };
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
