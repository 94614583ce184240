package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates a certificate-signed client assertion the way ESTS does, in the order that reproduces the forum
 * walkthrough (https://community.fabric.microsoft.com/t5/Developer/Power-BI-Api-JWT-Auth/m-p/2253257): a wrong {@code aud} is reported before an unknown thumbprint, which is
 * reported before an {@code nbf} in the future.
 *
 * <ol>
 * <li>JWS structure and JSON ({@code 50027}); algorithm RS256 or PS256 ({@code 700027}, guess for none/HS*)</li>
 * <li>{@code iss} = {@code sub} ({@code 50048}), = {@code client_id} ({@code 700021})</li>
 * <li>{@code aud} = the endpoint posted to ({@code 700023}, see {@link AudienceMatcher})</li>
 * <li>thumbprint ({@code x5t#S256} or {@code x5t}, lenient base64) names a registered key ({@code 700027})</li>
 * <li>signature, then the key's registration dates ({@code 700027})</li>
 * <li>{@code nbf}/{@code exp} within the clock skew ({@code 700024})</li>
 * <li>optional {@code jti} replay check</li>
 * </ol>
 */
final class AssertionValidator {

    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private static final Logger LOG = LoggerFactory.getLogger(AssertionValidator.class);
    private static final Set<String> ALGORITHMS = Set.of("RS256", "PS256");
    private static final Pattern BASE64_ANY = Pattern.compile("[A-Za-z0-9+/\\-_]*");

    /** What the validator needs to know about the request. */
    record Context(
            String scheme,
            String host,
            String tenantSegment,
            String endpointPath,
            Tenant tenant,
            App app,
            String clientId,
            Instant now) {}

    /** A valid assertion: the key that signed it and its algorithm. */
    record Result(RegisteredCertificate key, String algorithm, String thumbprintHeader) {}

    private final AudienceMatcher audienceMatcher;
    private final Duration skew;
    private final boolean replayProtection;
    private final JtiCache jtiCache = new JtiCache();

    AssertionValidator(SandboxConfig config, AudienceMatcher audienceMatcher) {
        this.audienceMatcher = audienceMatcher;
        this.skew = Duration.ofSeconds(config.clockSkewSeconds());
        this.replayProtection = config.jtiReplayProtection();
    }

    Result validate(String assertion, Context ctx) {
        String[] parts = assertion.trim().split("\\.", -1);
        if (parts.length != 3) {
            throw reject(EntraError.malformedJwt(), "not a compact JWS (" + parts.length + " parts)");
        }
        JsonNode header = decodeJsonObject(parts[0]);
        JsonNode payload = decodeJsonObject(parts[1]);
        if (header == null || payload == null) {
            throw reject(EntraError.malformedJwt(), "header or payload is not base64url JSON");
        }
        JsonNode algNode = header.get("alg");
        if (algNode == null || !algNode.isTextual()) {
            throw reject(EntraError.malformedJwt(), "no alg in the header");
        }
        String alg = algNode.asText();
        if (!ALGORITHMS.contains(alg)) {
            throw reject(EntraError.signatureValidationFailed(), "algorithm " + alg + " refused");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(assertion.trim());
        } catch (ParseException e) {
            throw reject(EntraError.malformedJwt(), "not parseable as a JWS: " + e.getMessage());
        }

        String iss = textClaim(payload, "iss");
        String sub = textClaim(payload, "sub");
        if (iss == null && sub == null) {
            throw reject(EntraError.malformedJwt(), "neither iss nor sub");
        }
        if (iss == null || !iss.equals(sub)) {
            throw reject(EntraError.subjectMismatch(), "iss and sub differ");
        }
        if (!iss.equalsIgnoreCase(ctx.clientId())) {
            throw reject(EntraError.clientIdMismatch(), "iss/sub is not the client_id");
        }

        String aud = audience(payload.get("aud"));
        if (aud == null
                || !audienceMatcher.matches(
                        aud, ctx.scheme(), ctx.host(), ctx.tenantSegment(), ctx.endpointPath(), ctx.tenant())) {
            throw reject(
                    EntraError.audienceMismatch(),
                    "aud " + (aud == null ? "(none)" : "'" + aud + "'") + " is not " + ctx.scheme() + "://" + ctx.host()
                            + "/" + ctx.tenantSegment() + ctx.endpointPath());
        }

        Thumbprint thumbprint = thumbprint(header);
        RegisteredCertificate key = null;
        if (thumbprint.decoded() != null) {
            for (RegisteredCertificate candidate : ctx.app().certificates()) {
                if (thumbprint.sha256()
                        ? candidate.matchesSha256(thumbprint.decoded())
                        : candidate.matchesSha1(thumbprint.decoded())) {
                    key = candidate;
                    break;
                }
            }
        }
        if (key == null) {
            throw reject(
                    EntraError.keyNotFound(thumbprint.display(), ctx.clientId()),
                    "no registered certificate with " + thumbprint.header() + " " + thumbprint.display());
        }
        boolean verified;
        try {
            verified = key.publicKey() instanceof RSAPublicKey rsa && jwt.verify(new RSASSAVerifier(rsa));
        } catch (JOSEException | IllegalStateException e) {
            verified = false;
        }
        if (!verified) {
            throw reject(
                    EntraError.invalidSignature(thumbprint.display(), key, ctx.clientId()),
                    "signature does not verify with the registered key " + thumbprint.display());
        }
        Instant now = ctx.now();
        if (now.isBefore(key.notBefore()) || !now.isBefore(key.notAfter())) {
            throw reject(
                    EntraError.keyExpired(thumbprint.display(), key, ctx.clientId(), now.isBefore(key.notBefore())),
                    "registered key outside its dates " + key.notBefore() + " .. " + key.notAfter());
        }

        Long nbf = numericClaim(payload, "nbf");
        Long exp = numericClaim(payload, "exp");
        Instant nbfAt = Instant.ofEpochSecond(nbf == null ? 0 : nbf);
        Instant expAt = Instant.ofEpochSecond(exp == null ? 0 : exp);
        if (exp == null) {
            // guess: a missing exp is reported as 700024 with an expiry of 1970, like a zero exp
            throw reject(EntraError.notInValidTimeRange(now, nbfAt, expAt), "no exp claim");
        }
        if (nbfAt.isAfter(now.plus(skew))) {
            throw reject(
                    EntraError.notInValidTimeRange(now, nbfAt, expAt),
                    "nbf " + nbfAt + " is later than now + skew " + skew.toSeconds() + " s");
        }
        if (expAt.plus(skew).isBefore(now)) {
            throw reject(
                    EntraError.notInValidTimeRange(now, nbfAt, expAt),
                    "exp " + expAt + " passed more than the skew " + skew.toSeconds() + " s ago");
        }

        if (replayProtection) {
            String jti = textClaim(payload, "jti");
            // guess: without a jti there is nothing to compare, so it passes
            if (jti != null && !jtiCache.add(ctx.clientId() + "|" + jti, expAt.plus(skew), now)) {
                throw reject(EntraError.jtiReplayed(), "jti replayed");
            }
        }
        return new Result(key, alg, thumbprint.header());
    }

    private EntraException reject(EntraError error, String why) {
        // the reason names claims and thumbprints only; the assertion itself is never logged
        LOG.debug("client assertion rejected ({}): {}", "AADSTS" + error.code(), why);
        return error.exception();
    }

    /** The thumbprint header used for the lookup, decoded when possible. */
    private record Thumbprint(String header, String raw, byte[] decoded, boolean sha256) {
        String display() {
            // ESTS shows the thumbprint as upper-case hex of what it decoded, or the raw string
            return decoded != null ? HexFormat.of().withUpperCase().formatHex(decoded) : raw;
        }
    }

    private static Thumbprint thumbprint(JsonNode header) {
        JsonNode s256 = header.get("x5t#S256");
        if (s256 != null && s256.isTextual()) {
            return new Thumbprint("x5t#S256", s256.asText(), lenientBase64(s256.asText()), true);
        }
        JsonNode s1 = header.get("x5t");
        if (s1 != null && s1.isTextual()) {
            return new Thumbprint("x5t", s1.asText(), lenientBase64(s1.asText()), false);
        }
        JsonNode x5c = header.get("x5c");
        if (x5c != null && x5c.isArray() && !x5c.isEmpty() && x5c.get(0).isTextual()) {
            // guess: with only x5c (subject name/issuer style), look the certificate up by its SHA-256 thumbprint
            byte[] der = lenientBase64(x5c.get(0).asText());
            if (der != null) {
                byte[] digest = Thumbprints.digest("SHA-256", der);
                return new Thumbprint("x5c", HexFormat.of().withUpperCase().formatHex(digest), digest, true);
            }
        }
        throw new EntraException(EntraError.noThumbprint());
    }

    /** Standard or url-safe base64, padded or not (MSAL4J 1.17 sends standard base64 and Entra accepts it). */
    static byte[] lenientBase64(String value) {
        String v = value.strip().replace("=", "");
        if (v.isEmpty() || !BASE64_ANY.matcher(v).matches() || v.length() % 4 == 1) {
            return null;
        }
        v = v.replace('-', '+').replace('_', '/');
        v = v + "==".substring(0, (4 - v.length() % 4) % 4);
        try {
            return Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static JsonNode decodeJsonObject(String part) {
        byte[] bytes = lenientBase64(part);
        if (bytes == null) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(new String(bytes, StandardCharsets.UTF_8));
            return node != null && node.isObject() ? node : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String audience(JsonNode aud) {
        if (aud == null || aud.isNull()) {
            return null;
        }
        if (aud.isTextual()) {
            return aud.asText();
        }
        if (aud.isArray()) {
            if (aud.size() == 1 && aud.get(0).isTextual()) {
                return aud.get(0).asText();
            }
            if (aud.size() > 1) {
                // openid-client #348: ESTS answered 50027 to an aud array of issuer and token endpoint
                throw new EntraException(EntraError.malformedJwt());
            }
            return null;
        }
        throw new EntraException(EntraError.malformedJwt());
    }

    private static String textClaim(JsonNode payload, String name) {
        JsonNode node = payload.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new EntraException(EntraError.malformedJwt());
        }
        return node.asText();
    }

    private static Long numericClaim(JsonNode payload, String name) {
        JsonNode node = payload.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw new EntraException(EntraError.malformedJwt());
        }
        return node.asLong();
    }
}
