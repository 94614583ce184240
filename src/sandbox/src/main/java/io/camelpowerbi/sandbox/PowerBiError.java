package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A Power BI error answer in one of the service's shapes (https://learn.microsoft.com/en-us/power-bi/developer/embedded/troubleshoot-rest-api): status, body and extra headers.
 * The body shapes are not uniform in the live service, so each factory names the shape it copies.
 */
public record PowerBiError(int status, JsonNode body, Map<String, String> headers) {

    public PowerBiError {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public PowerBiException exception() {
        return new PowerBiException(this);
    }

    /** Shape #2: 401 PowerBINotAuthorizedException. */
    public static PowerBiError notAuthorized() {
        return new PowerBiError(401, pbiError("PowerBINotAuthorizedException"), null);
    }

    /** Shape #3: 404 PowerBIEntityNotFound. */
    public static PowerBiError entityNotFound() {
        return new PowerBiError(404, pbiError("PowerBIEntityNotFound"), null);
    }

    /**
     * PUT of a table the push dataset does not have: 404 {@code ItemNotFound} as two client projects report it
     * (gbrueckl/PowerBI.API.Client#21 quotes {@code Table '<pi>Cr</pi>' not found in dataset 'sobe_wowvirtualserver|<id>'};
     * PowerBI-CSharp#127 the 404). The service marks names with {@code <pi>} in messages; the server part before
     * {@code |} is the service's internal model name, copied as reported.
     */
    public static PowerBiError tableNotFound(String table, String datasetId) {
        return new PowerBiError(
                404,
                codeMessage(
                        "ItemNotFound",
                        "Table '<pi>" + table + "</pi>' not found in dataset " + "'sobe_wowvirtualserver|" + datasetId
                                + "'"),
                null);
    }

    /** Shape #1: 403 TokenExpired (troubleshoot-rest-api.md). */
    public static PowerBiError tokenExpired() {
        return new PowerBiError(
                403, codeMessage("TokenExpired", "Access token has expired, resubmit with a new access token"), null);
    }

    /**
     * Shape #4 plus #9: the "service principals can use APIs" tenant switch is off. guess: 401 with the capital-M
     * body and the {@code x-powerbi-error-info} header together (each was seen alone in public clients).
     */
    public static PowerBiError apiNotAccessibleForApplication() {
        ObjectNode body = Json.object();
        body.put("Message", "API is not accessible for application");
        return new PowerBiError(
                401, body, Map.of("x-powerbi-error-info", "ServicePrincipalIsNotAllowedByTenantAdminSwitch"));
    }

    /** A 400 with {@code {"error":{"code":..,"message":..}}} (shape #5). */
    public static PowerBiError badRequest(String code, String message) {
        return new PowerBiError(400, codeMessage(code, message), null);
    }

    /** Shape #8: 429 with a bare {@code message} and {@code Retry-After}. */
    public static PowerBiError tooManyRequests(long retryAfterSeconds) {
        ObjectNode body = Json.object();
        body.put(
                "message",
                "You have exceeded the amount of requests allowed in the current time frame and further requests will fail. Retry in "
                        + retryAfterSeconds + " seconds.");
        return new PowerBiError(429, body, Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    /** {@code {"error":{"code":C,"pbi.error":{"code":C,"parameters":{},"details":[],"exceptionCulprit":1}}}}. */
    public static ObjectNode pbiError(String code) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        ObjectNode pbi = error.putObject("pbi.error");
        pbi.put("code", code);
        pbi.putObject("parameters");
        pbi.putArray("details");
        pbi.put("exceptionCulprit", 1);
        return body;
    }

    /** {@code {"error":{"code":C,"message":M}}}. */
    public static ObjectNode codeMessage(String code, String message) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return body;
    }
}
