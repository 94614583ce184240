package io.camelpowerbi.operations;

/**
 * A Load Table operation Fabric accepted ended {@code Failed}: the message holds Fabric's error code and message
 * (a file that is missing or does not fit the table, say). Nothing was loaded; the file stays in OneLake.
 */
public class LoadTableFailedException extends PowerBiOperationException {

    private final String operationId;
    private final String errorCode;

    public LoadTableFailedException(String message, String operationId, String errorCode) {
        super(message);
        this.operationId = operationId;
        this.errorCode = errorCode;
    }

    /** Fabric's operation id. */
    public String operationId() {
        return operationId;
    }

    /** Fabric's {@code error.errorCode}, or null. */
    public String errorCode() {
        return errorCode;
    }
}
