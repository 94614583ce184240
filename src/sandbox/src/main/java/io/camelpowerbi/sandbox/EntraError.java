package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * An Entra ID (ESTS) error: HTTP status, OAuth {@code error}, AADSTS code and message, with the texts of the live
 * service where they are known (https://learn.microsoft.com/entra/identity-platform/reference-error-codes). Where the reference marks the code or status
 * "(unverified)" the choice is marked {@code guess:}.
 *
 * <p>Statuses: 400 for request, scope, resource and tenant errors, 401 for {@code invalid_client}.
 */
public record EntraError(int status, String error, int code, String message) {

    static final String CERT_DOC =
            "Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .";
    static final String CERT_DOC_NEW =
            "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .";
    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** ESTS prints assertion times with seven fractional digits: {@code 2021-07-06T19:39:33.0000000Z}. */
    static final DateTimeFormatter ESTS_TIME = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** Key credential dates as in "Found key 'Start=02/07/2021 17:00:39, End=...'". */
    static final DateTimeFormatter KEY_DATE =
            DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** "AADSTS{code}: {message}". */
    public String description() {
        return "AADSTS" + code + ": " + message;
    }

    public EntraException exception() {
        return new EntraException(this);
    }

    /**
     * Entra's error body: {@code error_description} ends with the Trace ID / Correlation ID / Timestamp suffix.
     */
    public ObjectNode toJson(String traceId, String correlationId, Instant now) {
        String timestamp = TIMESTAMP.format(now);
        ObjectNode body = Json.object();
        body.put("error", error);
        body.put(
                "error_description",
                description() + "\r\nTrace ID: " + traceId + "\r\nCorrelation ID: " + correlationId + "\r\nTimestamp: "
                        + timestamp);
        body.putArray("error_codes").add(code);
        body.put("timestamp", timestamp);
        body.put("trace_id", traceId);
        body.put("correlation_id", correlationId);
        body.put("error_uri", "https://login.microsoftonline.com/error?code=" + code);
        return body;
    }

    static String estsTime(Instant instant) {
        return ESTS_TIME.format(instant);
    }

    // ---------------------------------------------------------------- request errors (400)

    /** AADSTS900144: a required body parameter is missing. */
    public static EntraError missingParameter(String name) {
        return new EntraError(
                400,
                "invalid_request",
                900144,
                "The request body must contain the following parameter: '" + name + "'.");
    }

    /** AADSTS70003: a grant type other than client_credentials. */
    public static EntraError unsupportedGrantType(String grantType) {
        return new EntraError(
                400,
                "unsupported_grant_type",
                70003,
                "The app requested an unsupported grant type '" + grantType + "'.");
    }

    /**
     * Wrong {@code client_assertion_type}. guess: AADSTS90011 "Unexpected client assertion type." with
     * invalid_request, as ADAL for Ruby saw it in 2016 (AzureAD/azure-activedirectory-library-for-ruby PR #53); not in Microsoft's list of codes.
     */
    public static EntraError unexpectedAssertionType() {
        return new EntraError(400, "invalid_request", 90011, "Unexpected client assertion type.");
    }

    /** AADSTS9001023: client credentials on /common or /consumers. guess: /organizations gives the same. */
    public static EntraError commonEndpoint() {
        return new EntraError(
                400,
                "invalid_request",
                9001023,
                "The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.");
    }

    /** AADSTS90002: unknown tenant (live text; 400 invalid_request on the token endpoint). */
    public static EntraError tenantNotFound(String tenant) {
        return new EntraError(
                400,
                "invalid_request",
                90002,
                "Tenant '" + tenant
                        + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.");
    }

    /** AADSTS901002: {@code resource} sent to the v2 endpoint (live text). */
    public static EntraError resourceNotSupported() {
        return new EntraError(400, "invalid_request", 901002, "The 'resource' request parameter is not supported.");
    }

    /** AADSTS1002012: a client-credentials scope without {@code /.default}. guess: invalid_scope. */
    public static EntraError scopeWithoutDefault(String scope) {
        return new EntraError(
                400,
                "invalid_scope",
                1002012,
                "The provided value for scope " + scope
                        + " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
    }

    /** AADSTS700022: scopes of more than one resource. */
    public static EntraError multipleResources() {
        return new EntraError(
                400,
                "invalid_scope",
                700022,
                "The provided value for the input parameter scope isn't valid because it contains more than one resource.");
    }

    /** AADSTS500011: resource unknown in the tenant. */
    public static EntraError resourceNotFound(String resource, String tenantName) {
        return new EntraError(
                400,
                "invalid_resource",
                500011,
                "The resource principal named " + resource
                        + " was not found in the tenant named " + tenantName
                        + ". This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.");
    }

    /** AADSTS700016: unknown client id. guess: unauthorized_client, 400. */
    public static EntraError applicationNotFound(String clientId, String tenantName) {
        return new EntraError(
                400,
                "unauthorized_client",
                700016,
                "Application with identifier '" + clientId
                        + "' was not found in the directory '" + tenantName
                        + "'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");
    }

    /** AADSTS7000112: app disabled. guess: unauthorized_client, 400. */
    public static EntraError applicationDisabled() {
        return new EntraError(400, "unauthorized_client", 7000112, "The application is disabled.");
    }

    // ---------------------------------------------------------------- client authentication errors (401)

    /** AADSTS7000218: neither client_assertion nor client_secret. */
    public static EntraError missingCredential() {
        return new EntraError(
                401,
                "invalid_client",
                7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }

    /** AADSTS7000215: wrong secret (the live text, which names the app). */
    public static EntraError invalidSecret(String clientId) {
        return new EntraError(
                401,
                "invalid_client",
                7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"
                        + clientId + "'.");
    }

    /** AADSTS7000222: the secret matched, but it has expired. */
    public static EntraError secretExpired(String clientId) {
        return new EntraError(
                401,
                "invalid_client",
                7000222,
                "The provided client secret keys for app '" + clientId
                        + "' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.");
    }

    /** AADSTS700023: {@code aud} is not the endpoint the assertion was posted to. */
    public static EntraError audienceMismatch() {
        return new EntraError(
                401,
                "invalid_client",
                700023,
                "Client assertion audience claim does not match Realm issuer. " + CERT_DOC);
    }

    /** AADSTS700024: outside nbf/exp. guess: invalid_client, 401. */
    public static EntraError notInValidTimeRange(Instant now, Instant nbf, Instant exp) {
        return new EntraError(
                401,
                "invalid_client",
                700024,
                "Client assertion is not within its valid time range. Current time: " + estsTime(now)
                        + ", assertion valid from " + estsTime(nbf) + ", expiry time of assertion " + estsTime(exp)
                        + ". " + CERT_DOC_NEW);
    }

    /** AADSTS50048: iss != sub. guess: invalid_client, 401. */
    public static EntraError subjectMismatch() {
        return new EntraError(
                401, "invalid_client", 50048, "Subject must match the issuer claim in the client assertion.");
    }

    /** AADSTS700021: iss/sub != client_id. guess: invalid_client, 401; exact text unverified. */
    public static EntraError clientIdMismatch() {
        return new EntraError(
                401,
                "invalid_client",
                700021,
                "Client assertion application identifier doesn't match 'client_id' parameter. " + CERT_DOC);
    }

    /** AADSTS50027: not a JWS / undecodable. guess: invalid_client, 401 (the assertion is the client's credential). */
    public static EntraError malformedJwt() {
        return new EntraError(401, "invalid_client", 50027, "JWT token is invalid or malformed.");
    }

    /** AADSTS50027 without a thumbprint header, as ESTS worded it (MSAL.NET #124, 2016). */
    public static EntraError noThumbprint() {
        return new EntraError(
                401,
                "invalid_client",
                50027,
                "Invalid JWT token. No certificate thumbprint specified in token header.");
    }

    /** AADSTS700027, key not found: the live text with the client's thumbprint and the app id. */
    public static EntraError keyNotFound(String thumbprint, String clientId) {
        return new EntraError(
                401,
                "invalid_client",
                700027,
                "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '"
                        + thumbprint + "', " + graphHint(clientId) + "]");
    }

    /** AADSTS700027, signature does not verify with the registered key. */
    public static EntraError invalidSignature(String thumbprint, RegisteredCertificate key, String clientId) {
        return new EntraError(
                401,
                "invalid_client",
                700027,
                "Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '"
                        + thumbprint + "', Found key 'Start=" + KEY_DATE.format(key.notBefore()) + ", End="
                        + KEY_DATE.format(key.notAfter()) + "', " + graphHint(clientId) + "]");
    }

    /** AADSTS700027, registered key outside its dates. guess: Reason text "The key used is expired.". */
    public static EntraError keyExpired(
            String thumbprint, RegisteredCertificate key, String clientId, boolean notYetValid) {
        return new EntraError(
                401,
                "invalid_client",
                700027,
                "Client assertion contains an invalid signature. [Reason - "
                        + (notYetValid ? "The key used is not yet valid." : "The key used is expired.")
                        + ", Thumbprint of key used by client: '" + thumbprint + "', Found key 'Start="
                        + KEY_DATE.format(key.notBefore()) + ", End=" + KEY_DATE.format(key.notAfter()) + "', "
                        + graphHint(clientId) + "]");
    }

    /** guess: alg none / HS* / unknown gives 700027 with the [ERR] table's text. */
    public static EntraError signatureValidationFailed() {
        return new EntraError(401, "invalid_client", 700027, "Client assertion failed signature validation.");
    }

    /**
     * guess: a replayed jti (only with jtiReplayProtection on). ESTS does not enforce this (MSAL4J <= 1.22 reused
     * assertions); the code is the sandbox's choice, the text says so.
     */
    public static EntraError jtiReplayed() {
        return new EntraError(
                401,
                "invalid_client",
                50027,
                "JWT token is invalid or malformed. [Sandbox: the client assertion's jti was already used; replay protection is on.]");
    }

    /** AADSTS50049 from instance discovery. */
    public static EntraError unknownInstance() {
        return new EntraError(400, "invalid_instance", 50049, "Unknown or invalid instance.");
    }

    private static String graphHint(String clientId) {
        return "Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '"
                + clientId
                + "'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/"
                + clientId + "'";
    }
}
