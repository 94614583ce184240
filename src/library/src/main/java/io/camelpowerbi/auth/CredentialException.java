package io.camelpowerbi.auth;

/**
 * A credential that cannot work, found before anything is sent to Entra: names the option, what is wrong and the fix.
 */
public class CredentialException extends IllegalArgumentException {

    private final String option;
    private final String problem;
    private final String fix;

    public CredentialException(String option, String problem, String fix) {
        this(option, problem, fix, null);
    }

    public CredentialException(String option, String problem, String fix, Throwable cause) {
        super(option + ": " + problem + ". Fix: " + fix + ".", cause);
        this.option = option;
        this.problem = problem;
        this.fix = fix;
    }

    /** What is wrong, without the option's name. */
    public String problem() {
        return problem;
    }

    /** What to change. */
    public String fix() {
        return fix;
    }

    /** The configuration option at fault, e.g. {@code keystorePassword}. */
    public String option() {
        return option;
    }
}
