package io.camelpowerbi.auth;

import com.nimbusds.jose.JWSAlgorithm;

/** Signature algorithm of client assertions: PS256 is what Entra's documentation asks for, RS256 what MSAL sends. */
public enum AssertionAlgorithm {
    PS256(JWSAlgorithm.PS256),
    RS256(JWSAlgorithm.RS256);

    private final JWSAlgorithm jws;

    AssertionAlgorithm(JWSAlgorithm jws) {
        this.jws = jws;
    }

    public JWSAlgorithm jws() {
        return jws;
    }
}
