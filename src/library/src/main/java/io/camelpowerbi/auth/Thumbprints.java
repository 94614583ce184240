package io.camelpowerbi.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Certificate thumbprints in the forms people meet: hex as the Azure portal shows it, base64url as JOSE headers
 * carry it ({@code x5t}, {@code x5t#S256}). Mixing these up is the cause of many AADSTS700027 errors.
 */
public final class Thumbprints {

    private Thumbprints() {}

    public static byte[] sha1(X509Certificate certificate) {
        return digest("SHA-1", der(certificate));
    }

    public static byte[] sha256(X509Certificate certificate) {
        return digest("SHA-256", der(certificate));
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().withUpperCase().formatHex(digest);
    }

    public static String base64Url(byte[] digest) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    static String sha256Base64Url(byte[] data) {
        return base64Url(digest("SHA-256", data));
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }
}
