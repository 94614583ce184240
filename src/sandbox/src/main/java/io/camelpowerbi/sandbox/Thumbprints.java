package io.camelpowerbi.sandbox;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The thumbprints of a certificate, in the forms people meet them: hex (what the Azure portal and Entra error
 * messages show, upper case) and base64url without padding (what belongs in a JWS {@code x5t} / {@code x5t#S256}).
 */
public record Thumbprints(String sha1Hex, String sha256Hex, String sha1Base64Url, String sha256Base64Url) {

    public static Thumbprints of(X509Certificate certificate) {
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode certificate", e);
        }
        byte[] sha1 = digest("SHA-1", der);
        byte[] sha256 = digest("SHA-256", der);
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        HexFormat hex = HexFormat.of().withUpperCase();
        return new Thumbprints(
                hex.formatHex(sha1), hex.formatHex(sha256), url.encodeToString(sha1), url.encodeToString(sha256));
    }

    public byte[] sha1() {
        return HexFormat.of().parseHex(sha1Hex);
    }

    public byte[] sha256() {
        return HexFormat.of().parseHex(sha256Hex);
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " not available", e);
        }
    }
}
