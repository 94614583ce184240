package io.camelpowerbi.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates bearer tokens. {@link #authenticate(SandboxExchange)} does it for a Power BI request and answers in Power
 * BI's shapes (https://learn.microsoft.com/en-us/power-bi/developer/embedded/troubleshoot-rest-api): no or garbled token, bad signature, wrong audience, wrong
 * issuer or unknown tenant give 401 PowerBINotAuthorizedException; an expired token (sandbox clock) 403 TokenExpired;
 * the tenant switch off 401 "API is not accessible for application". Every Power BI endpoint calls it first.
 * {@link #verify(SandboxExchange, List)} checks a token for the audiences of another service (Fabric, OneLake), which
 * answers a {@link Refused} token in its own shape: each host accepts the tokens of its own audience only.
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
        this.audiences = List.copyOf(audiences);
        this.skew = Duration.ofSeconds(skewSeconds);
    }

    /** The caller, or a {@link PowerBiException} with Power BI's answer. */
    public Caller authenticate(SandboxExchange ex) {
        Caller caller;
        try {
            caller = verify(ex, audiences);
        } catch (Refused r) {
            throw reject(
                    r.refusal() == Refusal.EXPIRED ? PowerBiError.tokenExpired() : PowerBiError.notAuthorized(),
                    ex,
                    r.getMessage());
        }
        if (caller.isApp() && !caller.tenant().servicePrincipalsCanUseApis()) {
            throw reject(
                    PowerBiError.apiNotAccessibleForApplication(),
                    ex,
                    "tenant " + caller.tenant().id() + " does not let service principals use the APIs");
        }
        return caller;
    }

    /** Why a bearer token was refused; each API answers it in its own shape. */
    public enum Refusal {
        /** No {@code Authorization: Bearer} header. */
        MISSING,
        /** Not a JWT, not signed by the sandbox's key, or of an unknown issuer or tenant. */
        INVALID,
        /** A valid token for another service (its {@code aud}). */
        WRONG_AUDIENCE,
        /** Expired (the sandbox's clock). */
        EXPIRED,
        /** Not valid yet ({@code nbf}). */
        NOT_YET_VALID
    }

    /** A refused bearer token: {@link #refusal()} and, in the message, the sandbox's reason (for its log). */
    public static final class Refused extends Exception {
        private final Refusal refusal;

        Refused(Refusal refusal, String why) {
            super(why, null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /**
     * The caller of a token the sandbox signed for its tenant, for one of {@code acceptedAudiences} (compared without
     * case and trailing slash), valid now; tenant switches are the caller's to check.
     */
    public Caller verify(SandboxExchange ex, List<String> acceptedAudiences) throws Refused {
        String header = ex.header("Authorization");
        if (header == null
                || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                || header.substring(7).isBlank()) {
            // guess: 401 PowerBINotAuthorizedException for a missing token (row 34 says 401, body unverified)
            throw new Refused(Refusal.MISSING, "no bearer token");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(header.substring(7).trim());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new Refused(Refusal.INVALID, "bearer token is not a JWT");
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
            throw new Refused(Refusal.INVALID, "bearer token signature does not verify with the sandbox key");
        }
        String tid = stringClaim(claims, "tid");
        Tenant tenant = tid == null ? null : state.tenant(tid).orElse(null);
        if (tenant == null || !AccessTokenIssuer.issuer(tenant.id()).equals(claims.getIssuer())) {
            throw new Refused(Refusal.INVALID, "bearer token issuer/tenant unknown: " + claims.getIssuer());
        }
        List<String> aud = claims.getAudience();
        List<String> accepted =
                acceptedAudiences.stream().map(BearerValidator::audienceKey).toList();
        if (aud == null || aud.size() != 1 || !accepted.contains(audienceKey(aud.get(0)))) {
            throw new Refused(Refusal.WRONG_AUDIENCE, "bearer token audience " + aud + " is not " + acceptedAudiences);
        }
        Instant now = ex.now();
        Date exp = claims.getExpirationTime();
        if (exp == null || !now.isBefore(exp.toInstant().plus(skew))) {
            throw new Refused(Refusal.EXPIRED, "bearer token expired at " + (exp == null ? "?" : exp.toInstant()));
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(skew))) {
            // guess: a token not yet valid is treated like any other invalid token
            throw new Refused(Refusal.NOT_YET_VALID, "bearer token not valid before " + nbf.toInstant());
        }
        List<String> roles;
        try {
            roles = claims.getStringListClaim("roles");
        } catch (ParseException e) {
            roles = List.of();
        }
        return new Caller(
                tenant,
                stringClaim(claims, "appid"),
                stringClaim(claims, "oid"),
                roles,
                exp.toInstant(),
                aud.get(0),
                "app".equals(stringClaim(claims, "idtyp")));
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
