package io.camelpowerbi.component;

import io.camelpowerbi.auth.AssertionAlgorithm;
import io.camelpowerbi.auth.CertificateLoader;
import io.camelpowerbi.auth.ClientCredential;
import io.camelpowerbi.auth.ClientSecret;
import io.camelpowerbi.auth.Cloud;
import io.camelpowerbi.auth.CredentialException;
import io.camelpowerbi.auth.FederatedAssertionFile;
import io.camelpowerbi.auth.TokenEndpointVersion;
import io.camelpowerbi.auth.TokenProvider;
import io.camelpowerbi.auth.TokenSource;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of the {@code powerbi:} component and its endpoints. The component holds one instance; every endpoint works
 * on a {@link #copy()}, so endpoint parameters never leak into other endpoints.
 */
@UriParams
public class PowerBiConfiguration implements Cloneable {

    @UriParam(label = "common", defaultValue = "PUBLIC", description = "The Power BI cloud: PUBLIC, GCC, GCC_HIGH, DOD or CHINA."
            + " Chooses the Entra authority host, the token audience and the REST API base together.")
    private Cloud cloud = Cloud.PUBLIC;

    @UriParam(label = "common,advanced", description = "Entra authority host overriding the cloud's, e.g. the sandbox's"
            + " https://127.0.0.1:8443. Token requests and assertion audiences both use it.")
    private String authorityHost;

    @UriParam(label = "common,advanced", description = "Power BI REST API base overriding the cloud's, e.g. https://api.powerbi.com.")
    private String apiBaseUrl;

    @UriParam(label = "security,advanced", description = "Token audience (resource) overriding the cloud's, e.g."
            + " https://analysis.windows.net/powerbi/api. The v2 scope is this plus /.default.")
    private String resource;

    @UriParam(label = "security", description = "Directory (tenant) id GUID or domain of the app registration.")
    private String tenantId;

    @UriParam(label = "security", secret = true, description = "Application (client) id of the app registration.")
    private String clientId;

    @UriParam(label = "security", secret = true, description = "Client secret value. Prefer a certificate; resolve it with"
            + " {{env:...}} or a vault placeholder.")
    private String clientSecret;

    @UriParam(label = "security", description = "PEM file with the certificate registered on the app, then any"
            + " intermediates. May also hold the private key.")
    private String certificateFile;

    @UriParam(label = "security", secret = true, description = "PEM file with the certificate's PKCS#8 private key,"
            + " encrypted or not.")
    private String privateKeyFile;

    @UriParam(label = "security", secret = true, description = "Password of an encrypted privateKeyFile.")
    private String privateKeyPassword;

    @UriParam(label = "security", description = "PKCS#12 keystore (.pfx/.p12) with the certificate and its private key,"
            + " instead of PEM files.")
    private String keystoreFile;

    @UriParam(label = "security", secret = true, description = "Password of keystoreFile.")
    private String keystorePassword;

    @UriParam(label = "security", description = "Alias of the key entry in keystoreFile; needed only when it holds several.")
    private String keystoreAlias;

    @UriParam(label = "security", secret = true, description = "Password of the key entry in keystoreFile, when it"
            + " differs from keystorePassword.")
    private String keyPassword;

    @UriParam(label = "security", description = "File holding a federated client assertion (workload identity), read"
            + " afresh for every token request; usually {{env:AZURE_FEDERATED_TOKEN_FILE}}.")
    private String federatedTokenFile;

    @UriParam(label = "security,advanced", description = "A custom token provider bean, used instead of the built-in"
            + " credentials.")
    @Metadata(autowired = true)
    private TokenProvider tokenProvider;

    @UriParam(label = "security,advanced", defaultValue = "V2", description = "Entra token endpoint: V2 (scope) or V1 (resource).")
    private TokenEndpointVersion tokenEndpointVersion = TokenEndpointVersion.V2;

    @UriParam(label = "security,advanced", defaultValue = "PS256", description = "Signature algorithm of client"
            + " assertions: PS256 (Entra's documentation) or RS256 (what MSAL sends).")
    private AssertionAlgorithm assertionAlgorithm = AssertionAlgorithm.PS256;

    @UriParam(label = "security,advanced", defaultValue = "false", description = "Send the certificate chain (x5c) in"
            + " assertions, for subject name/issuer authentication.")
    private boolean sendX5c;

    @UriParam(label = "security,advanced", defaultValue = "false", description = "Also send the SHA-1 thumbprint (x5t)"
            + " beside x5t#S256.")
    private boolean sendX5tSha1;

    @UriParam(label = "security,advanced", defaultValue = "300", description = "Refresh tokens this many seconds before"
            + " they expire (the server's refresh_in, when sent and sooner, wins).")
    private long tokenRefreshMarginSeconds = 300;

    @UriParam(label = "security", description = "TLS settings (trust store, key store) for Entra and Power BI.")
    private SSLContextParameters sslContextParameters;

    @UriParam(label = "proxy", description = "HTTP proxy host.")
    private String proxyHost;

    @UriParam(label = "proxy", description = "HTTP proxy port.")
    private Integer proxyPort;

    @UriParam(label = "advanced", defaultValue = "10000", description = "Connect timeout in milliseconds.")
    private int connectTimeout = 10_000;

    @UriParam(label = "advanced", defaultValue = "120000", description = "Response timeout in milliseconds.")
    private int responseTimeout = 120_000;

    @UriParam(label = "advanced", defaultValue = "6", description = "Attempts per Power BI call on 429, 5xx and broken"
            + " connections.")
    private int maxAttempts = 6;

    @UriParam(label = "advanced", defaultValue = "300", description = "Longest Retry-After, in seconds, that is waited"
            + " out; a longer one fails the call instead.")
    private long maxRetryAfterSeconds = 300;

    @UriParam(label = "producer", description = "HTTP method of the call operation.", defaultValue = "GET",
            enums = "GET,POST,PUT,PATCH,DELETE")
    private String method = "GET";

    @UriParam(label = "producer", description = "Path of the call operation under /v1.0/myorg, e.g. /groups/{id}/datasets.")
    private String path;

    @UriParam(label = "producer", description = "OData $filter of list operations, e.g. name eq 'Sales'.")
    private String filter;

    public PowerBiConfiguration copy() {
        try {
            return (PowerBiConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /** Where tokens come from, checked now: a bad credential fails here, naming its option. */
    public TokenSource tokenSource(Clock clock) {
        return new TokenSource(authorityHost != null ? authorityHost : cloud.authorityHost(), tenantId, clientId,
                credential(clock), tokenEndpointVersion, resource != null ? resource : cloud.resource());
    }

    public String effectiveApiBaseUrl() {
        return apiBaseUrl != null ? apiBaseUrl : cloud.apiBaseUrl();
    }

    /** The one credential configured; two at once is a mistake worth naming rather than guessing. */
    ClientCredential credential(Clock clock) {
        List<String> set = new ArrayList<>();
        if (isSet(certificateFile) || isSet(privateKeyFile)) {
            set.add("certificateFile/privateKeyFile");
        }
        if (isSet(keystoreFile)) {
            set.add("keystoreFile");
        }
        if (isSet(federatedTokenFile)) {
            set.add("federatedTokenFile");
        }
        if (isSet(clientSecret)) {
            set.add("clientSecret");
        }
        if (set.size() > 1) {
            throw new CredentialException(set.get(0), "several credentials are set: " + set, "keep exactly one of them");
        }
        if (set.isEmpty()) {
            throw new CredentialException("clientSecret", "no credential is set",
                    "set certificateFile and privateKeyFile (recommended), keystoreFile, federatedTokenFile or clientSecret");
        }
        return switch (set.get(0)) {
            case "keystoreFile" -> CertificateLoader.fromPkcs12(Path.of(keystoreFile), chars(keystorePassword),
                    isSet(keystoreAlias) ? keystoreAlias : null, chars(keyPassword), clock);
            case "certificateFile/privateKeyFile" -> CertificateLoader.fromPem(isSet(certificateFile) ? Path.of(certificateFile) : null,
                    isSet(privateKeyFile) ? Path.of(privateKeyFile) : null, chars(privateKeyPassword), clock);
            case "federatedTokenFile" -> new FederatedAssertionFile(Path.of(federatedTokenFile));
            default -> new ClientSecret(clientSecret);
        };
    }

    private static boolean isSet(String s) {
        return s != null && !s.isBlank();
    }

    private static char[] chars(String s) {
        return isSet(s) ? s.toCharArray() : null;
    }

    public Cloud getCloud() {
        return cloud;
    }

    public void setCloud(Cloud cloud) {
        this.cloud = cloud;
    }

    public String getAuthorityHost() {
        return authorityHost;
    }

    public void setAuthorityHost(String authorityHost) {
        this.authorityHost = authorityHost;
    }

    public String getApiBaseUrl() {
        return apiBaseUrl;
    }

    public void setApiBaseUrl(String apiBaseUrl) {
        this.apiBaseUrl = apiBaseUrl;
    }

    public String getResource() {
        return resource;
    }

    public void setResource(String resource) {
        this.resource = resource;
    }

    public String getTenantId() {
        return tenantId;
    }

    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getClientSecret() {
        return clientSecret;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public String getCertificateFile() {
        return certificateFile;
    }

    public void setCertificateFile(String certificateFile) {
        this.certificateFile = certificateFile;
    }

    public String getPrivateKeyFile() {
        return privateKeyFile;
    }

    public void setPrivateKeyFile(String privateKeyFile) {
        this.privateKeyFile = privateKeyFile;
    }

    public String getPrivateKeyPassword() {
        return privateKeyPassword;
    }

    public void setPrivateKeyPassword(String privateKeyPassword) {
        this.privateKeyPassword = privateKeyPassword;
    }

    public String getKeystoreFile() {
        return keystoreFile;
    }

    public void setKeystoreFile(String keystoreFile) {
        this.keystoreFile = keystoreFile;
    }

    public String getKeystorePassword() {
        return keystorePassword;
    }

    public void setKeystorePassword(String keystorePassword) {
        this.keystorePassword = keystorePassword;
    }

    public String getKeystoreAlias() {
        return keystoreAlias;
    }

    public void setKeystoreAlias(String keystoreAlias) {
        this.keystoreAlias = keystoreAlias;
    }

    public String getKeyPassword() {
        return keyPassword;
    }

    public void setKeyPassword(String keyPassword) {
        this.keyPassword = keyPassword;
    }

    public String getFederatedTokenFile() {
        return federatedTokenFile;
    }

    public void setFederatedTokenFile(String federatedTokenFile) {
        this.federatedTokenFile = federatedTokenFile;
    }

    public TokenProvider getTokenProvider() {
        return tokenProvider;
    }

    public void setTokenProvider(TokenProvider tokenProvider) {
        this.tokenProvider = tokenProvider;
    }

    public TokenEndpointVersion getTokenEndpointVersion() {
        return tokenEndpointVersion;
    }

    public void setTokenEndpointVersion(TokenEndpointVersion tokenEndpointVersion) {
        this.tokenEndpointVersion = tokenEndpointVersion;
    }

    public AssertionAlgorithm getAssertionAlgorithm() {
        return assertionAlgorithm;
    }

    public void setAssertionAlgorithm(AssertionAlgorithm assertionAlgorithm) {
        this.assertionAlgorithm = assertionAlgorithm;
    }

    public boolean isSendX5c() {
        return sendX5c;
    }

    public void setSendX5c(boolean sendX5c) {
        this.sendX5c = sendX5c;
    }

    public boolean isSendX5tSha1() {
        return sendX5tSha1;
    }

    public void setSendX5tSha1(boolean sendX5tSha1) {
        this.sendX5tSha1 = sendX5tSha1;
    }

    public long getTokenRefreshMarginSeconds() {
        return tokenRefreshMarginSeconds;
    }

    public void setTokenRefreshMarginSeconds(long tokenRefreshMarginSeconds) {
        this.tokenRefreshMarginSeconds = tokenRefreshMarginSeconds;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public String getProxyHost() {
        return proxyHost;
    }

    public void setProxyHost(String proxyHost) {
        this.proxyHost = proxyHost;
    }

    public Integer getProxyPort() {
        return proxyPort;
    }

    public void setProxyPort(Integer proxyPort) {
        this.proxyPort = proxyPort;
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getResponseTimeout() {
        return responseTimeout;
    }

    public void setResponseTimeout(int responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public long getMaxRetryAfterSeconds() {
        return maxRetryAfterSeconds;
    }

    public void setMaxRetryAfterSeconds(long maxRetryAfterSeconds) {
        this.maxRetryAfterSeconds = maxRetryAfterSeconds;
    }

    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getFilter() {
        return filter;
    }

    public void setFilter(String filter) {
        this.filter = filter;
    }

    @Override
    public String toString() {
        // Only what is safe to show: no client id, secret, password or key path.
        return "PowerBiConfiguration[cloud=" + cloud + ", authorityHost=" + authorityHost + ", apiBaseUrl=" + apiBaseUrl
                + ", tenantId=" + tenantId + "]";
    }
}
