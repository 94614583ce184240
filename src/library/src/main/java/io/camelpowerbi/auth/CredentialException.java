package io.camelpowerbi.auth;

import io.camelpowerbi.InvalidOptionException;

/**
 * A credential that cannot work, found before anything is sent to Entra: names the option, what is wrong and the fix.
 */
public class CredentialException extends InvalidOptionException {

    public CredentialException(String option, String problem, String fix) {
        super(option, problem, fix);
    }

    public CredentialException(String option, String problem, String fix, Throwable cause) {
        super(option, problem, fix, cause);
    }
}
