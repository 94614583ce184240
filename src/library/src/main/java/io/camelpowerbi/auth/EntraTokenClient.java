package io.camelpowerbi.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts client-credentials requests to an Entra token endpoint and turns the answer into an {@link AccessToken} or
 * an {@link EntraException} with a hint. Retries like MSAL: once, after a second, on a 5xx without
 * {@code Retry-After} or a broken connection; throttling (429, or 5xx with {@code Retry-After}) is left to the
 * caller's backoff.
 */
public final class EntraTokenClient {

    private static final Logger LOG = LoggerFactory.getLogger(EntraTokenClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUFFIX = Pattern.compile("\\s*(\\r?\\n)?Trace ID:.*", Pattern.DOTALL);
    private static final Pattern AADSTS = Pattern.compile("^AADSTS(\\d+):\\s*");

    /** Refresh this long before expiry, as MSAL and azure-core do. */
    public static final Duration DEFAULT_REFRESH_MARGIN = Duration.ofMinutes(5);

    private final CloseableHttpClient http;
    private final AssertionSigner signer;
    private final Clock clock;
    private final Duration retryDelay;

    public EntraTokenClient(CloseableHttpClient http, AssertionSigner signer, Clock clock) {
        this(http, signer, clock, Duration.ofSeconds(1));
    }

    EntraTokenClient(CloseableHttpClient http, AssertionSigner signer, Clock clock, Duration retryDelay) {
        this.http = http;
        this.signer = signer;
        this.clock = clock;
        this.retryDelay = retryDelay;
    }

    public AssertionSigner signer() {
        return signer;
    }

    /** Requests a token now, refreshing {@code refreshMargin} before expiry unless the server's refresh_in says sooner. */
    public AccessToken requestToken(TokenSource source, Duration refreshMargin) {
        Instant issued = clock.instant();
        TokenResponse response = request(source);
        AccessToken token = AccessToken.issued(
                response.accessToken(),
                issued,
                issued.plusSeconds(response.expiresIn()),
                refreshMargin,
                response.refreshIn() > 0 ? issued.plusSeconds(response.refreshIn()) : null);
        LOG.debug(
                "Token for client {} in tenant {} obtained; expires {}, refresh at {}",
                source.clientId(),
                source.tenantId(),
                token.expiresAt(),
                token.refreshAt());
        return token;
    }

    /** One token request, with MSAL's single retry. */
    public TokenResponse request(TokenSource source) {
        for (int attempt = 1; ; attempt++) {
            try {
                return send(source);
            } catch (EntraException e) {
                if (attempt == 1 && e.httpStatus() >= 500 && !e.isThrottled()) {
                    LOG.debug("Token endpoint answered {}; retrying once", e.httpStatus());
                    pause();
                    continue;
                }
                throw e;
            } catch (IOException e) {
                if (attempt == 1) {
                    LOG.debug("Token request failed ({}); retrying once", e.toString());
                    pause();
                    continue;
                }
                throw new EntraUnreachableException(source.tokenUrl(), e);
            }
        }
    }

    private TokenResponse send(TokenSource source) throws IOException {
        String url = source.tokenUrl();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", source.clientId());
        if (source.version() == TokenEndpointVersion.V2) {
            form.put("scope", source.scope());
        } else {
            form.put("resource", source.resource());
        }
        form.putAll(source.credential().authenticationParameters(source.clientId(), url, signer));
        String sentAudience = audienceOf(form.get("client_assertion"));
        List<NameValuePair> pairs = new ArrayList<>(form.size());
        form.forEach((k, v) -> pairs.add(new BasicNameValuePair(k, v)));
        HttpPost post = new HttpPost(url);
        post.setEntity(new UrlEncodedFormEntity(pairs, StandardCharsets.UTF_8));
        String requestId = UUID.randomUUID().toString();
        post.setHeader("Accept", "application/json");
        post.setHeader("client-request-id", requestId);
        post.setHeader("return-client-request-id", "true");
        LOG.debug(
                "Requesting a token from {} for client {} with a {} (client-request-id {})",
                url,
                source.clientId(),
                source.credential().kind(),
                requestId);
        return http.execute(post, response -> handle(response, source, sentAudience));
    }

    private TokenResponse handle(ClassicHttpResponse response, TokenSource source, String sentAudience)
            throws IOException {
        int status = response.getCode();
        String text;
        try {
            text = response.getEntity() == null
                    ? ""
                    : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
        } catch (org.apache.hc.core5.http.ParseException e) {
            text = "";
        }
        JsonNode body = null;
        try {
            body = text.isBlank() ? null : JSON.readTree(text);
        } catch (IOException notJson) {
            // a proxy's HTML page, say: reported below without the body
        }
        if (status == 200 && body != null) {
            return TokenResponse.parse(body);
        }
        Header retryAfter = response.getFirstHeader("Retry-After");
        if (body == null || !body.has("error")) {
            throw new EntraException(
                    status,
                    null,
                    0,
                    "unexpected answer from " + source.tokenUrl() + " (HTTP " + status
                            + (body == null ? ", not JSON" : "") + ")",
                    null,
                    null,
                    null,
                    status == 404
                            ? "check authorityHost and tenantId: " + source.tokenUrl() + " is not a token endpoint"
                            : "check authorityHost, proxy and TLS settings",
                    retryAfter != null);
        }
        String description = body.path("error_description").asText("");
        description = SUFFIX.matcher(description).replaceFirst("");
        int code = body.path("error_codes").path(0).asInt(0);
        Matcher m = AADSTS.matcher(description);
        if (m.find()) {
            code = code == 0 ? Integer.parseInt(m.group(1)) : code;
            description = description.substring(m.end());
        }
        throw new EntraException(
                status,
                body.path("error").asText(null),
                code,
                description,
                body.path("trace_id").asText(null),
                body.path("correlation_id").asText(null),
                body.path("timestamp").asText(null),
                EntraHints.hint(code, source, sentAudience),
                retryAfter != null);
    }

    private static String audienceOf(String assertion) {
        if (assertion == null) {
            return null;
        }
        try {
            List<String> aud = JWTParser.parse(assertion).getJWTClaimsSet().getAudience();
            return aud == null || aud.isEmpty() ? null : String.join(",", aud);
        } catch (Exception e) {
            return null;
        }
    }

    private void pause() {
        try {
            Thread.sleep(retryDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
