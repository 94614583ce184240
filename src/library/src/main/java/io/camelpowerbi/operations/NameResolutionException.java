package io.camelpowerbi.operations;

/**
 * A workspace, dataset or report given by name has no match, or several: names the option, what exists (or the ids
 * that share the name) and the fix.
 */
public class NameResolutionException extends PowerBiOperationException {

    private final String option;
    private final String name;

    public NameResolutionException(String option, String name, String message) {
        super(message);
        this.option = option;
        this.name = name;
    }

    /** The option the name came from: {@code workspace}, {@code dataset} or {@code report}. */
    public String option() {
        return option;
    }

    /** The name as given. */
    public String name() {
        return name;
    }
}
