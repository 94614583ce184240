package io.camelpowerbi.operations;

/** An export job ended Failed (without Power BI offering a retry, or after the allowed restarts). */
public class ExportFailedException extends PowerBiOperationException {

    private final String exportId;
    private final String errorCode;

    public ExportFailedException(String message, String exportId, String errorCode) {
        super(message);
        this.exportId = exportId;
        this.errorCode = errorCode;
    }

    public String exportId() {
        return exportId;
    }

    /** Power BI's error code for the job, or null. */
    public String errorCode() {
        return errorCode;
    }
}
