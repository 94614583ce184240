package io.camelpowerbi.app;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.sandbox.ConnectionFile;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * A sandbox running in another process ({@code sandbox} command, or a test), read from the connection file it wrote
 * ({@code powerbi.sandbox.connection-file}): several runners can then share one sandbox, as the nodes of a cluster share
 * one tenant. Points the component at it like {@link LocalSandbox} does: its authority and API, its TLS certificate as
 * the only trusted one, the development app's certificate and key. The file's client secret is never read.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record SandboxConnection(
        String baseUrl,
        String apiBaseUrl,
        String clusterBaseUrl,
        String fabricApiBaseUrl,
        String oneLakeBaseUrl,
        String tenantId,
        String clientId,
        String certificateFile,
        String privateKeyFile,
        String tlsCertificateFile,
        long pid) {

    static final String PROPERTY = "powerbi.sandbox.connection-file";

    static SandboxConnection read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(PROPERTY + ": no connection file at " + file.toAbsolutePath()
                    + "; start the sandbox first (java -jar camel-powerbi.jar sandbox) and give the path it prints");
        }
        SandboxConnection c;
        try {
            c = new ObjectMapper().readValue(file.toFile(), SandboxConnection.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    PROPERTY + ": " + file + " is not a sandbox connection file: " + e.getMessage(), e);
        }
        if (c.baseUrl == null
                || c.apiBaseUrl == null
                || c.tenantId == null
                || c.clientId == null
                || c.certificateFile == null
                || c.privateKeyFile == null) {
            throw new IllegalArgumentException(
                    PROPERTY + ": " + file + " lacks baseUrl, apiBaseUrl, tenantId, clientId,"
                            + " certificateFile or privateKeyFile; write it anew by restarting the sandbox");
        }
        ConnectionFile written = new ConnectionFile(file, c.baseUrl, c.pid);
        if (!written.running()) {
            throw new IllegalArgumentException(PROPERTY + ": " + file + " names " + written.describe() + ", which is"
                    + " not running (nothing listens there; the file stayed behind when it was killed): start it again"
                    + " (java -jar camel-powerbi.jar sandbox, which writes the file anew), or leave " + PROPERTY
                    + " empty to run a sandbox in-process");
        }
        return c;
    }

    /**
     * Points {@code configuration} at this sandbox with the development app's certificate, or with no credential of its
     * own when azure-identity gives the tokens (its managed identity endpoint is named by the environment).
     */
    PowerBiConfiguration configure(PowerBiConfiguration configuration) {
        configuration.setApiBaseUrl(apiBaseUrl);
        // the token may follow the sandbox's cluster redirect; a file from before it was written says nothing of it
        configuration.setTokenHosts(clusterBaseUrl == null ? "" : LocalSandbox.hostAndPort(clusterBaseUrl));
        // a file of a sandbox from before it served Fabric leaves them at their defaults
        configuration.setFabricApiBaseUrl(fabricApiBaseUrl);
        configuration.setOneLakeBaseUrl(oneLakeBaseUrl);
        if (tlsCertificateFile != null && baseUrl.startsWith("https:")) {
            configuration.setSslContextParameters(trust());
        }
        if (configuration.usesAzureIdentity()) {
            // azure-identity asks the managed identity endpoint the environment names (the file's identityEndpoint)
            LocalSandbox.withoutAppCredential(configuration, tenantId, clientId);
            return configuration;
        }
        configuration.setAuthorityHost(baseUrl);
        configuration.setTenantId(tenantId);
        configuration.setClientId(clientId);
        configuration.setClientSecret(null);
        configuration.setKeystoreFile(null);
        configuration.setFederatedTokenFile(null);
        configuration.setCertificateFile(certificateFile);
        configuration.setPrivateKeyFile(privateKeyFile);
        configuration.setPrivateKeyPassword(null);
        return configuration;
    }

    /** TLS settings that trust the sandbox's certificate, and nothing else. */
    private SSLContextParameters trust() {
        Path pem = Path.of(tlsCertificateFile);
        return new SSLContextParameters() {
            @Override
            public SSLContext createSSLContext(CamelContext camelContext) throws GeneralSecurityException, IOException {
                Certificate certificate;
                try (InputStream in = Files.newInputStream(pem)) {
                    certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
                }
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("camel-powerbi-sandbox", certificate);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, tmf.getTrustManagers(), null);
                return context;
            }
        };
    }

    @Override
    public String toString() {
        // the paths and ids are not secret, but keep the record's default from growing a secret field unnoticed
        return "SandboxConnection[" + baseUrl + "]";
    }
}
