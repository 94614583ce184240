package io.camelpowerbi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.camelpowerbi.sandbox.SelfSignedCertificates;
import io.camelpowerbi.sandbox.SelfSignedCertificates.CertificateAndKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AssertionSignerTest {

    static final String CLIENT = "11111111-2222-3333-4444-555555555555";
    static final String URL = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token";
    static CertificateAndKey material;
    static ClientCertificate credential;

    @BeforeAll
    static void createCertificate() {
        material = SelfSignedCertificates.generate("CN=signer-test", 30, 2048, List.of());
        credential = new ClientCertificate(material.privateKey(), List.of(material.certificate()));
    }

    @Test
    void claimsFollowEntraRules() throws Exception {
        Instant now = Instant.parse("2026-11-30T10:15:30.750Z");
        AssertionSigner signer = new AssertionSigner(
                AssertionAlgorithm.PS256, false, false, AssertionSigner.MAX_LIFETIME, Clock.fixed(now, ZoneOffset.UTC));
        SignedJWT jwt = signer.sign(credential, CLIENT, URL);
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals(List.of(URL), claims.getAudience());
        assertTrue(
                jwt.getPayload().toString().contains("\"aud\":\"" + URL.replace("/", "\\/") + "\"")
                        || jwt.getPayload().toString().contains("\"aud\":\"" + URL + "\""),
                "aud is a plain string, as MSAL sends");
        assertEquals(CLIENT, claims.getIssuer());
        assertEquals(CLIENT, claims.getSubject());
        // nbf is now, never in the future (the forum's nbf = iat + 60 s is what AADSTS700024 punishes)
        assertEquals(
                Instant.parse("2026-11-30T10:15:30Z"), claims.getNotBeforeTime().toInstant());
        assertEquals(
                Duration.ofMinutes(10),
                Duration.between(
                        claims.getNotBeforeTime().toInstant(),
                        claims.getExpirationTime().toInstant()));
    }

    @Test
    void headerNamesTheCertificateByBase64UrlSha256AndVerifies() throws Exception {
        SignedJWT jwt = AssertionSigner.defaults().sign(credential, CLIENT, URL);
        assertEquals(JWSAlgorithm.PS256, jwt.getHeader().getAlgorithm());
        assertEquals(
                material.thumbprints().sha256Base64Url(),
                jwt.getHeader().getX509CertSHA256Thumbprint().toString());
        assertEquals(
                43, jwt.getHeader().getX509CertSHA256Thumbprint().toString().length(), "base64url, not hex");
        assertNull(jwt.getHeader().getX509CertThumbprint());
        assertNull(jwt.getHeader().getX509CertChain());
        assertTrue(jwt.verify(
                new RSASSAVerifier((RSAPublicKey) material.certificate().getPublicKey())));
    }

    @Test
    void rs256WithSha1ThumbprintAndChainWhenAsked() throws Exception {
        AssertionSigner signer =
                new AssertionSigner(AssertionAlgorithm.RS256, true, true, Duration.ofMinutes(5), Clock.systemUTC());
        SignedJWT jwt = signer.sign(credential, CLIENT, URL);
        assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
        assertEquals(
                material.thumbprints().sha1Base64Url(),
                jwt.getHeader().getX509CertThumbprint().toString());
        assertEquals(1, jwt.getHeader().getX509CertChain().size());
        assertTrue(jwt.verify(
                new RSASSAVerifier((RSAPublicKey) material.certificate().getPublicKey())));
    }

    @Test
    void everyAssertionIsNew() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            ids.add(AssertionSigner.defaults()
                    .sign(credential, CLIENT, URL)
                    .getJWTClaimsSet()
                    .getJWTID());
        }
        assertEquals(20, ids.size());
    }

    @Test
    void lifetimeIsCappedAtTenMinutes() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new AssertionSigner(
                        AssertionAlgorithm.PS256, false, false, Duration.ofMinutes(11), Clock.systemUTC()));
    }
}
