package io.camelpowerbi.operations;

import io.camelpowerbi.CamelPowerBiException;
import java.util.List;

/**
 * A push-dataset definition breaks Power BI's rules, or cannot be made to match the dataset that exists; every problem
 * is listed, each naming file, table and column.
 */
public class DatasetDefinitionException extends CamelPowerBiException {

    private final String source;
    private final List<String> problems;

    public DatasetDefinitionException(String source, List<String> problems) {
        super("invalid dataset definition " + source + ":\n - " + String.join("\n - ", problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** {@code message} says what the problems mean together and what to do. */
    public DatasetDefinitionException(String source, List<String> problems, String message) {
        super(message);
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The file name, or "inline definition". */
    public String source() {
        return source;
    }

    public List<String> problems() {
        return problems;
    }
}
