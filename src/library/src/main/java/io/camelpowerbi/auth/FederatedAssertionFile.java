package io.camelpowerbi.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A client assertion issued by another identity provider (workload identity federation), read fresh from a file on
 * every token request: Kubernetes rotates the projected token file ({@code AZURE_FEDERATED_TOKEN_FILE}) under us.
 */
public record FederatedAssertionFile(Path file) implements ClientCredential {

    public FederatedAssertionFile {
        if (file == null) {
            throw new CredentialException(
                    "federatedTokenFile",
                    "is not set",
                    "point it at the projected service account token, usually $AZURE_FEDERATED_TOKEN_FILE");
        }
        if (!Files.isReadable(file)) {
            throw new CredentialException(
                    "federatedTokenFile", "cannot read " + file, "check the path and that this process may read it");
        }
    }

    @Override
    public Map<String, String> authenticationParameters(String clientId, String tokenUrl, AssertionSigner signer) {
        String assertion;
        try {
            assertion = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new CredentialException(
                    "federatedTokenFile",
                    "cannot read " + file + ": " + e.getMessage(),
                    "check that the token file is mounted",
                    e);
        }
        if (assertion.isEmpty()) {
            throw new CredentialException(
                    "federatedTokenFile", file + " is empty", "check that the token file is mounted");
        }
        return Map.of("client_assertion_type", ASSERTION_TYPE, "client_assertion", assertion);
    }

    @Override
    public String fingerprint() {
        return "federated:" + file.toAbsolutePath();
    }

    @Override
    public String kind() {
        return "federated assertion file";
    }
}
