package io.camelpowerbi.auth;

import java.util.Map;

/**
 * How the app proves who it is to Entra. Each kind contributes its form parameters to a token request; none of them
 * ever shows its secret in {@code toString()}.
 */
public sealed interface ClientCredential permits ClientSecret, ClientCertificate, FederatedAssertionFile {

    String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /**
     * The form parameters that authenticate the client on one token request to {@code tokenUrl}. Called for every
     * request, so assertions are always fresh.
     */
    Map<String, String> authenticationParameters(String clientId, String tokenUrl, AssertionSigner signer);

    /** Identifies this credential in a cache key without holding the secret (a hash or a thumbprint). */
    String fingerprint();

    /** A human name of the kind, for messages: "client secret", "certificate", "federated assertion file". */
    String kind();
}
