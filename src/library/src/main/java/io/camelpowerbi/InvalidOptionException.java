package io.camelpowerbi;

/**
 * An option (or an input an option points at) that cannot work, found before anything is sent to Entra or Power BI:
 * names the option, what is wrong and the fix. Raised at route start where it can be, so a bad route does not start.
 */
public class InvalidOptionException extends CamelPowerBiException {

    private final String option;
    private final String problem;
    private final String fix;

    public InvalidOptionException(String option, String problem, String fix) {
        this(option, problem, fix, null);
    }

    public InvalidOptionException(String option, String problem, String fix, Throwable cause) {
        super(option + ": " + problem + (fix == null || fix.isBlank() ? "." : ". Fix: " + fix + "."), cause);
        this.option = option;
        this.problem = problem;
        this.fix = fix;
    }

    /** The configuration option at fault, e.g. {@code keystorePassword}. */
    public String option() {
        return option;
    }

    /** What is wrong, without the option's name. */
    public String problem() {
        return problem;
    }

    /** What to change. */
    public String fix() {
        return fix;
    }
}
