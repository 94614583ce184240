package io.camelpowerbi.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Signs client assertions that Entra accepts by construction: {@code aud} is exactly the token URL the assertion is
 * posted to, {@code iss} = {@code sub} = client id, a fresh {@code jti}, {@code nbf} = now (never in the future),
 * {@code exp} = now + lifetime (at most 10 minutes), and the certificate named by {@code x5t#S256} (base64url, never
 * hex). Callers sign one assertion per token request; nothing here caches one.
 */
public final class AssertionSigner {

    /** MSAL's lifetime too: long enough for a slow network, short enough that a leaked assertion dies quickly. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(10);

    private final AssertionAlgorithm algorithm;
    private final boolean sendX5c;
    private final boolean sendX5tSha1;
    private final Duration lifetime;
    private final Clock clock;

    public AssertionSigner(
            AssertionAlgorithm algorithm, boolean sendX5c, boolean sendX5tSha1, Duration lifetime, Clock clock) {
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("assertionLifetime must be between 1 s and 10 min, was " + lifetime);
        }
        this.algorithm = algorithm;
        this.sendX5c = sendX5c;
        this.sendX5tSha1 = sendX5tSha1;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public static AssertionSigner defaults() {
        return new AssertionSigner(AssertionAlgorithm.PS256, false, false, MAX_LIFETIME, Clock.systemUTC());
    }

    /** What the assertions look like to Entra (algorithm and header parameters), for the token cache's key. */
    public String shape() {
        return algorithm + (sendX5c ? "+x5c" : "") + (sendX5tSha1 ? "+x5t" : "");
    }

    /** A new signed assertion for one request to {@code tokenUrl}. */
    public SignedJWT sign(ClientCertificate credential, String clientId, String tokenUrl) {
        JWSHeader.Builder header = new JWSHeader.Builder(algorithm.jws())
                .x509CertSHA256Thumbprint(Base64URL.encode(Thumbprints.sha256(credential.certificate())));
        if (sendX5tSha1) {
            header.x509CertThumbprint(Base64URL.encode(Thumbprints.sha1(credential.certificate())));
        }
        if (sendX5c) {
            header.x509CertChain(encodeChain(credential.chain()));
        }
        // Whole seconds: JWT times are seconds, and truncating keeps nbf from rounding into the future.
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .audience(tokenUrl) // one audience: nimbus writes it as a plain string, as MSAL does
                .issuer(clientId)
                .subject(clientId)
                .jwtID(UUID.randomUUID().toString())
                .notBeforeTime(Date.from(now))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .build();
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        try {
            jwt.sign(new RSASSASigner(credential.privateKey()));
        } catch (JOSEException e) {
            throw new CredentialException(
                    "privateKeyFile",
                    "cannot sign a client assertion: " + e.getMessage(),
                    "use an RSA private key of at least 2048 bits",
                    e);
        }
        return jwt;
    }

    private static List<Base64> encodeChain(List<X509Certificate> chain) {
        List<Base64> encoded = new ArrayList<>(chain.size());
        for (X509Certificate certificate : chain) {
            try {
                encoded.add(Base64.encode(certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("certificate cannot be encoded", e);
            }
        }
        return encoded;
    }
}
