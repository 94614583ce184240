package io.camelpowerbi.sandbox;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates the bearer token of a Power BI request and answers in Power BI's shapes
 * (https://learn.microsoft.com/en-us/power-bi/developer/embedded/troubleshoot-rest-api): no or garbled token, bad signature, wrong audience, wrong issuer or unknown tenant give 401
 * PowerBINotAuthorizedException; an expired token (sandbox clock) 403 TokenExpired; the tenant switch off 401
 * "API is not accessible for application". Every Power BI endpoint calls {@link #authenticate(SandboxExchange)} first.
 */
public final class BearerValidator {

    private static final Logger LOG = LoggerFactory.getLogger(BearerValidator.class);

    private final SandboxState state;
    private final SigningKey signingKey;
    private final List<String> audiences;
    private final Duration skew;

    BearerValidator(SandboxState state, SigningKey signingKey, List<String> audiences, int skewSeconds) {
        this.state = state;
        this.signingKey = signingKey;
        this.audiences = audiences.stream().map(BearerValidator::audienceKey).toList();
        this.skew = Duration.ofSeconds(skewSeconds);
    }

    /** The caller, or a {@link PowerBiException} with Power BI's answer. */
    public Caller authenticate(SandboxExchange ex) {
        String header = ex.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            // guess: 401 PowerBINotAuthorizedException for a missing token (row 34 says 401, body unverified)
            throw reject(PowerBiError.notAuthorized(), ex, "no bearer token");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(header.substring(7).trim());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw reject(PowerBiError.notAuthorized(), ex, "bearer token is not a JWT");
        }
        boolean verified;
        try {
            verified = JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    && signingKey.kid().equals(jwt.getHeader().getKeyID())
                    && jwt.verify(new RSASSAVerifier(signingKey.publicKey()));
        } catch (JOSEException e) {
            verified = false;
        }
        if (!verified) {
            throw reject(PowerBiError.notAuthorized(), ex, "bearer token signature does not verify with the sandbox key");
        }
        String tid = stringClaim(claims, "tid");
        Tenant tenant = tid == null ? null : state.tenant(tid).orElse(null);
        if (tenant == null || !AccessTokenIssuer.issuer(tenant.id()).equals(claims.getIssuer())) {
            throw reject(PowerBiError.notAuthorized(), ex, "bearer token issuer/tenant unknown: " + claims.getIssuer());
        }
        List<String> aud = claims.getAudience();
        if (aud == null || aud.size() != 1 || !audiences.contains(audienceKey(aud.get(0)))) {
            throw reject(PowerBiError.notAuthorized(), ex, "bearer token audience " + aud + " is not Power BI's");
        }
        Instant now = ex.now();
        Date exp = claims.getExpirationTime();
        if (exp == null || !now.isBefore(exp.toInstant().plus(skew))) {
            throw reject(PowerBiError.tokenExpired(), ex, "bearer token expired at " + (exp == null ? "?" : exp.toInstant()));
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(skew))) {
            // guess: a token not yet valid is treated like any other invalid token
            throw reject(PowerBiError.notAuthorized(), ex, "bearer token not valid before " + nbf.toInstant());
        }
        String appId = stringClaim(claims, "appid");
        if ("app".equals(stringClaim(claims, "idtyp")) && !tenant.servicePrincipalsCanUseApis()) {
            throw reject(PowerBiError.apiNotAccessibleForApplication(), ex,
                    "tenant " + tenant.id() + " does not let service principals use the APIs");
        }
        List<String> roles;
        try {
            roles = claims.getStringListClaim("roles");
        } catch (ParseException e) {
            roles = List.of();
        }
        return new Caller(tenant, appId, stringClaim(claims, "oid"), roles, exp.toInstant(), aud.get(0));
    }

    private static PowerBiException reject(PowerBiError error, SandboxExchange ex, String why) {
        LOG.info("Power BI request {} {} refused with {}: {}", ex.method(), ex.path(), error.status(), why);
        return error.exception();
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s ? s : null;
    }

    private static String audienceKey(String audience) {
        String a = audience.trim().toLowerCase(Locale.ROOT);
        return a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
    }
}
