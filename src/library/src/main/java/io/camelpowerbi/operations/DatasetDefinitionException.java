package io.camelpowerbi.operations;

import java.util.List;

/** A push-dataset definition breaks Power BI's rules; every problem is listed, each naming file, table and column. */
public class DatasetDefinitionException extends IllegalArgumentException {

    private final String source;
    private final List<String> problems;

    public DatasetDefinitionException(String source, List<String> problems) {
        super("invalid dataset definition " + source + ":\n - " + String.join("\n - ", problems));
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
