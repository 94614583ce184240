package io.camelpowerbi.auth;

import java.util.Map;

/** A client secret, sent in the request body as {@code client_secret}. */
public record ClientSecret(String secret) implements ClientCredential {

    public ClientSecret {
        if (secret == null || secret.isBlank()) {
            throw new CredentialException(
                    "clientSecret", "is empty", "set the app registration's client secret value (not its secret id)");
        }
    }

    @Override
    public Map<String, String> authenticationParameters(String clientId, String tokenUrl, AssertionSigner signer) {
        return Map.of("client_secret", secret);
    }

    @Override
    public String fingerprint() {
        return "secret:" + Thumbprints.sha256Base64Url(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public String kind() {
        return "client secret";
    }

    @Override
    public String toString() {
        return "ClientSecret[***]";
    }
}
