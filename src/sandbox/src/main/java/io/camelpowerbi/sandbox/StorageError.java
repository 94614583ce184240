package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * An error answer of OneLake's DFS (ADLS Gen2) API: the code in the {@code x-ms-error-code} header and in the body
 * {@code {"error":{"code":..,"message":"...\nRequestId:...\nTime:..."}}}, with {@code x-ms-request-id} and
 * {@code x-ms-version}. The ADLS swagger names the body's fields {@code Code}/{@code Message} (StorageError); the
 * service writes them in lower case, as Azure's SDKs read them (guess: no Microsoft page shows a raw body), so a client
 * must prefer the header. The codes are the swagger's (Azure/azure-rest-api-specs, DataLakeStorage.json 2021-06-08)
 * unless marked as a guess where they are thrown.
 */
final class StorageError extends SandboxHttpException {

    private final int status;
    private final String code;
    private final String message;

    StorageError(int status, String code, String message) {
        super("OneLake " + status + " " + code + ": " + message);
        this.status = status;
        this.code = code;
        this.message = message;
    }

    @Override
    public int status() {
        return status;
    }

    String code() {
        return code;
    }

    @Override
    public void writeTo(SandboxExchange ex) throws IOException {
        OneLakeApi.headers(ex);
        ex.setResponseHeader("x-ms-error-code", code);
        if ("HEAD".equalsIgnoreCase(ex.method())) {
            ex.sendEmpty(status); // a HEAD answer has no body: the header carries the code
            return;
        }
        ObjectNode body = Json.object();
        body.putObject("error")
                .put("code", code)
                .put("message", message + "\nRequestId:" + ex.requestId() + "\nTime:" + Json.time(ex.now()));
        ex.sendJson(status, body);
    }

    static StorageError pathNotFound() {
        return new StorageError(404, "PathNotFound", "The specified path does not exist.");
    }

    static StorageError filesystemNotFound() {
        return new StorageError(404, "FilesystemNotFound", "The specified filesystem does not exist.");
    }

    static StorageError contentLengthMustBeZero() {
        return new StorageError(400, "ContentLengthMustBeZero", "The Content-Length request header must be zero.");
    }

    static StorageError invalidFlushPosition() {
        return new StorageError(
                400,
                "InvalidFlushPosition",
                "The uploaded data is not contiguous or the position query "
                        + "parameter value is not equal to the length of the file after appending the uploaded data.");
    }

    static StorageError pathAlreadyExists() {
        return new StorageError(409, "PathAlreadyExists", "The specified path already exists.");
    }

    static StorageError missingQuery(String name) {
        return new StorageError(
                400,
                "MissingRequiredQueryParameter",
                "A query parameter that's mandatory for this " + "request is not specified. (" + name + ")");
    }

    static StorageError invalidQuery(String name, String value) {
        return new StorageError(
                400,
                "InvalidQueryParameterValue",
                "Value for one of the query parameters specified in " + "the request URI is invalid. (" + name + "="
                        + ColumnType.abbreviate(value) + ")");
    }

    static StorageError missingHeader(String name) {
        return new StorageError(
                400,
                "MissingRequiredHeader",
                "An HTTP header that's mandatory for this request is not " + "specified. (" + name + ")");
    }

    static StorageError unsupportedVersion(String version) {
        return new StorageError(
                400,
                "UnsupportedRestVersion",
                "The specified Rest Version is Unsupported. (" + ColumnType.abbreviate(String.valueOf(version)) + ")");
    }

    static StorageError invalidResourceName(String why) {
        return new StorageError(
                400, "InvalidResourceName", "The specifed resource name contains invalid characters. (" + why + ")");
    }
}
