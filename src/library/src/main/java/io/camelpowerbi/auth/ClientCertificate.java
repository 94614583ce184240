package io.camelpowerbi.auth;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * A certificate registered on the app and its private key: every token request carries a freshly signed client
 * assertion. Load one with {@link CertificateLoader}, which checks it before it is ever used.
 *
 * @param privateKey the RSA key that signs assertions
 * @param chain      the leaf certificate first, then any intermediates (sent as {@code x5c} when asked)
 */
public record ClientCertificate(PrivateKey privateKey, List<X509Certificate> chain) implements ClientCredential {

    public ClientCertificate {
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("a client certificate needs its certificate");
        }
        chain = List.copyOf(chain);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Base64url SHA-256 of the DER certificate: the {@code x5t#S256} header value. */
    public String sha256Thumbprint() {
        return Thumbprints.base64Url(Thumbprints.sha256(certificate()));
    }

    /** Base64url SHA-1 of the DER certificate: the {@code x5t} header value. */
    public String sha1Thumbprint() {
        return Thumbprints.base64Url(Thumbprints.sha1(certificate()));
    }

    @Override
    public Map<String, String> authenticationParameters(String clientId, String tokenUrl, AssertionSigner signer) {
        return Map.of(
                "client_assertion_type",
                ASSERTION_TYPE,
                "client_assertion",
                signer.sign(this, clientId, tokenUrl).serialize());
    }

    @Override
    public String fingerprint() {
        return "x5t#S256:" + sha256Thumbprint();
    }

    @Override
    public String kind() {
        return "certificate";
    }

    @Override
    public String toString() {
        return "ClientCertificate[subject="
                + certificate().getSubjectX500Principal().getName() + ", x5t#S256=" + sha256Thumbprint()
                + ", privateKey=***]";
    }
}
