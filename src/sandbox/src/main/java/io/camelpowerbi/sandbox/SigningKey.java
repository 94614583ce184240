package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.util.Base64URL;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/**
 * The sandbox's token-signing key and certificate. {@code kid} = {@code x5t} = base64url SHA-1 thumbprint of the
 * certificate, as Entra publishes its keys.
 */
record SigningKey(X509Certificate certificate, PrivateKey privateKey, String kid) {

    static SigningKey of(SelfSignedCertificates.CertificateAndKey pair) {
        return new SigningKey(
                pair.certificate(),
                pair.privateKey(),
                Thumbprints.of(pair.certificate()).sha1Base64Url());
    }

    RSAPublicKey publicKey() {
        return (RSAPublicKey) certificate.getPublicKey();
    }

    /** The JWK as Entra's {@code discovery/keys} documents list it. */
    ObjectNode jwk(String issuer) {
        ObjectNode key = Json.object();
        key.put("kty", "RSA");
        key.put("use", "sig");
        key.put("kid", kid);
        key.put("x5t", kid);
        key.put(
                "n",
                Base64URL.encode(unsigned(publicKey().getModulus().toByteArray()))
                        .toString());
        key.put(
                "e",
                Base64URL.encode(unsigned(publicKey().getPublicExponent().toByteArray()))
                        .toString());
        try {
            key.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        if (issuer != null) {
            key.put("issuer", issuer);
        }
        return key;
    }

    private static byte[] unsigned(byte[] bytes) {
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + "]";
    }
}
