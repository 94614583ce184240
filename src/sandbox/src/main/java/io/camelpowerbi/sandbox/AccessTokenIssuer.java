package io.camelpowerbi.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Issues app-only access tokens shaped like the v1.0 tokens Power BI receives: RS256 with {@code kid}/{@code x5t},
 * {@code iss = https://sts.windows.net/{tid}/}, {@code aud} = the resource, {@code appid}/{@code azp},
 * {@code appidacr} ("1" secret, "2" certificate), {@code oid}/{@code sub} of the service principal, {@code roles},
 * {@code idtyp: app}.
 */
final class AccessTokenIssuer {

    /** Entra back-dates iat/nbf by five minutes to absorb clock differences at the resource. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    /** An issued token and its times (the JWT itself is never logged). */
    record IssuedToken(String jwt, Instant issuedAt, Instant notBefore, Instant expiresAt, String tokenId) {
        @Override
        public String toString() {
            return "IssuedToken[uti=" + tokenId + ", exp=" + expiresAt + "]";
        }
    }

    private final SigningKey key;
    private final Duration lifetime;

    AccessTokenIssuer(SigningKey key, int lifetimeSeconds) {
        this.key = key;
        this.lifetime = Duration.ofSeconds(lifetimeSeconds);
    }

    static String issuer(String tenantId) {
        return "https://sts.windows.net/" + tenantId + "/";
    }

    IssuedToken issue(Tenant tenant, App app, String resource, boolean certificateCredential, Instant now) {
        Instant iat = now.minus(BACKDATE);
        Instant exp = now.plus(lifetime);
        String uti = Base64URL.encode(uuidBytes()).toString();
        String acr = certificateCredential ? "2" : "1";
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .audience(resource)
                .issuer(issuer(tenant.id()))
                .issueTime(Date.from(iat))
                .notBeforeTime(Date.from(iat))
                .expirationTime(Date.from(exp))
                .claim("aio", "sandbox")
                .claim("appid", app.clientId())
                .claim("appidacr", acr)
                .claim("azp", app.clientId())
                .claim("azpacr", acr)
                .claim("idp", issuer(tenant.id()))
                .claim("idtyp", "app")
                .claim("oid", app.objectId())
                .claim("rh", "sandbox")
                .subject(app.objectId())
                .claim("tid", tenant.id())
                .claim("uti", uti)
                .claim("ver", "1.0");
        if (!app.roles().isEmpty()) {
            claims.claim("roles", app.roles());
        }
        @SuppressWarnings("deprecation")
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(JOSEObjectType.JWT)
                .keyID(key.kid())
                .x509CertThumbprint(new Base64URL(key.kid()))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(new RSASSASigner(key.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign access token", e);
        }
        return new IssuedToken(jwt.serialize(), iat, iat, exp, uti);
    }

    private static byte[] uuidBytes() {
        UUID u = UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return b.array();
    }
}
