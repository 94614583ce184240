package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * An error answer of the Fabric REST API in its documented shape, {@code ErrorResponse} of Fabric's OpenAPI
 * (common/definitions.json: {@code errorCode}, {@code message}, {@code requestId}, {@code isRetriable},
 * {@code moreDetails}, {@code relatedResource}), with {@code Retry-After} where it applies. The codes the swagger
 * documents are marked so; the others are the sandbox's guesses, and a client must not depend on them.
 */
final class FabricError extends SandboxHttpException {

    private final int status;
    private final String code;
    private final String message;
    private final Map<String, String> headers;

    FabricError(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    FabricError(int status, String code, String message, Map<String, String> headers) {
        super("Fabric " + status + " " + code + ": " + message);
        this.status = status;
        this.code = code;
        this.message = message;
        this.headers = Map.copyOf(headers);
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
        FabricApi.headers(ex);
        headers.forEach(ex::setResponseHeader);
        // guess: the header beside the body, as clients of the live service report it
        ex.setResponseHeader("x-ms-public-api-error-code", code);
        ex.sendJson(status, body(ex.requestId(), code, message));
    }

    /** The {@code ErrorResponse} body. */
    static ObjectNode body(String requestId, String code, String message) {
        ObjectNode body = Json.object();
        body.put("requestId", requestId);
        body.put("errorCode", code);
        body.put("message", message);
        return body;
    }

    /** 429 with {@code Retry-After} (documented for every Fabric API); guess: the code and message. */
    static FabricError tooManyRequests(long retryAfterSeconds) {
        return new FabricError(
                429,
                "RequestBlocked",
                "Request is blocked by the upstream service until the rate limit " + "resets. Retry after "
                        + retryAfterSeconds + " seconds.",
                Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    /** guess: an unknown or inaccessible workspace. */
    static FabricError workspaceNotFound() {
        return new FabricError(404, "WorkspaceNotFound", "The requested workspace was not found.");
    }

    /** guess: an item (lakehouse, operation) that is not there. */
    static FabricError itemNotFound(String what) {
        return new FabricError(404, "ItemNotFound", "The requested " + what + " was not found.");
    }

    /** guess: a workspace the caller is not a member of. */
    static FabricError insufficientPrivileges() {
        return new FabricError(
                403,
                "InsufficientPrivileges",
                "The caller does not have sufficient permissions to " + "perform this operation on the workspace.");
    }

    /** guess: a malformed request. */
    static FabricError invalidRequest(String message) {
        return new FabricError(400, "InvalidRequest", message);
    }
}
