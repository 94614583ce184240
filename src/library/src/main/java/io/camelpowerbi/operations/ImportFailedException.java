package io.camelpowerbi.operations;

/** Power BI gave up on an import ({@code importState} Failed). */
public class ImportFailedException extends PowerBiOperationException {

    private final String importId;

    public ImportFailedException(String message, String importId) {
        super(message);
        this.importId = importId;
    }

    public String importId() {
        return importId;
    }
}
