package io.camelpowerbi.sandbox;

import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A key credential of an app: a certificate plus the validity dates of the registration (by default the
 * certificate's own; the portal and Graph let you register a key with other dates).
 */
public record RegisteredCertificate(
        X509Certificate certificate, Thumbprints thumbprints, Instant notBefore, Instant notAfter) {

    public static RegisteredCertificate of(X509Certificate certificate, Instant notBefore, Instant notAfter) {
        return new RegisteredCertificate(
                certificate,
                Thumbprints.of(certificate),
                notBefore != null ? notBefore : certificate.getNotBefore().toInstant(),
                notAfter != null ? notAfter : certificate.getNotAfter().toInstant());
    }

    public static RegisteredCertificate of(X509Certificate certificate) {
        return of(certificate, null, null);
    }

    public PublicKey publicKey() {
        return certificate.getPublicKey();
    }

    boolean matchesSha1(byte[] sha1) {
        return MessageDigest.isEqual(thumbprints.sha1(), sha1);
    }

    boolean matchesSha256(byte[] sha256) {
        return MessageDigest.isEqual(thumbprints.sha256(), sha256);
    }

    @Override
    public String toString() {
        return "RegisteredCertificate[sha1=" + thumbprints.sha1Hex() + ", notBefore=" + notBefore + ", notAfter="
                + notAfter + "]";
    }
}
