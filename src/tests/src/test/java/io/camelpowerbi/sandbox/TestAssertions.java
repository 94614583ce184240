package io.camelpowerbi.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Builds client assertions with nimbus, starting from a correct one (PS256, {@code x5t#S256}, iss = sub = client id,
 * aud = the endpoint, fresh jti, nbf = now, exp = now + 10 min) and applying header or claim overrides; a null value
 * removes the entry.
 */
final class TestAssertions {

    private final Map<String, Object> header = new LinkedHashMap<>();
    private final Map<String, Object> claims = new LinkedHashMap<>();
    private PrivateKey signingKey;

    private TestAssertions(PrivateKey key, X509Certificate certificate, String clientId, Object aud, Instant now) {
        this.signingKey = key;
        header.put("alg", "PS256");
        header.put("typ", "JWT");
        header.put("x5t#S256", Thumbprints.of(certificate).sha256Base64Url());
        claims.put("aud", aud);
        claims.put("iss", clientId);
        claims.put("sub", clientId);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.getEpochSecond() + 600);
    }

    static TestAssertions assertion(
            PrivateKey key, X509Certificate certificate, String clientId, Object aud, Instant now) {
        return new TestAssertions(key, certificate, clientId, aud, now);
    }

    TestAssertions header(String name, Object value) {
        if (value == null) {
            header.remove(name);
        } else {
            header.put(name, value);
        }
        return this;
    }

    TestAssertions claim(String name, Object value) {
        if (value == null) {
            claims.remove(name);
        } else {
            claims.put(name, value);
        }
        return this;
    }

    TestAssertions alg(String alg) {
        return header("alg", alg);
    }

    /** RS256 with the legacy SHA-1 {@code x5t} instead of {@code x5t#S256}. */
    TestAssertions legacyRs256(X509Certificate certificate) {
        header.remove("x5t#S256");
        header.put("alg", "RS256");
        header.put("x5t", Thumbprints.of(certificate).sha1Base64Url());
        return this;
    }

    TestAssertions signedBy(PrivateKey key) {
        this.signingKey = key;
        return this;
    }

    String sign() {
        try {
            JWSObject jws = new JWSObject(
                    JWSHeader.parse(new LinkedHashMap<>(header)), new Payload(new LinkedHashMap<>(claims)));
            jws.sign(new RSASSASigner(signingKey));
            return jws.serialize();
        } catch (JOSEException | java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none}: header.payload. with an empty signature (nimbus refuses to build it as a JWS). */
    String unsigned() {
        header.put("alg", "none");
        return b64(TestHttp.JSON.valueToTree(header).toString()) + "."
                + b64(TestHttp.JSON.valueToTree(claims).toString()) + ".";
    }

    /** HS256 with a shared secret. */
    String hmac(byte[] secret) {
        header.put("alg", "HS256");
        try {
            JWSObject jws = new JWSObject(
                    JWSHeader.parse(new LinkedHashMap<>(header)), new Payload(new LinkedHashMap<>(claims)));
            jws.sign(new MACSigner(secret));
            return jws.serialize();
        } catch (JOSEException | java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The "SSL fingerprint" people paste: hex SHA-1, upper case, no separators. */
    static String hexSha1(X509Certificate certificate) {
        return Thumbprints.of(certificate).sha1Hex();
    }

    /** What ESTS prints for a thumbprint header value: hex of its base64 decoding. */
    static String estsDisplay(String headerValue) {
        return HexFormat.of().withUpperCase().formatHex(AssertionValidator.lenientBase64(headerValue));
    }
}
