package io.camelpowerbi.auth;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A successful token response. v1 writes its numbers as strings, v2 as numbers; both are read.
 *
 * @param expiresIn seconds the token lives
 * @param refreshIn seconds after which the server asks for a new token, or -1 when it did not say
 */
public record TokenResponse(String accessToken, String tokenType, long expiresIn, long refreshIn) {

    static TokenResponse parse(JsonNode body) {
        JsonNode token = body.get("access_token");
        if (token == null || !token.isTextual() || token.asText().isEmpty()) {
            throw new IllegalStateException("the token endpoint answered 200 without access_token");
        }
        long expiresIn = number(body, "expires_in", -1);
        if (expiresIn <= 0) {
            throw new IllegalStateException("the token endpoint answered without a usable expires_in");
        }
        return new TokenResponse(
                token.asText(), body.path("token_type").asText("Bearer"), expiresIn, number(body, "refresh_in", -1));
    }

    private static long number(JsonNode body, String field, long fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (n.isNumber()) {
            return n.asLong();
        }
        try {
            return Long.parseLong(n.asText().trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public String toString() {
        return "TokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + ", refreshIn=" + refreshIn
                + ", accessToken=***]";
    }
}
