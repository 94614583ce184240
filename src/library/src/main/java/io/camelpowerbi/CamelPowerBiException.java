package io.camelpowerbi;

/**
 * The root of every failure camel-powerbi raises, so a route can handle them all with one
 * {@code onException(CamelPowerBiException.class)}:
 * <ul>
 * <li>{@link InvalidOptionException}: an option that cannot work, found before anything is sent (a credential among
 * them: {@code auth.CredentialException}); {@code operations.DatasetDefinitionException}: a push dataset definition
 * that breaks Power BI's rules</li>
 * <li>{@code auth.EntraException}: Entra refused a token request, or could not be reached
 * ({@code EntraUnreachableException})</li>
 * <li>{@code client.PowerBiException}: Power BI refused a request, or its outcome is unknown
 * ({@code PowerBiOutcomeUnknownException})</li>
 * <li>{@code operations.PowerBiOperationException}: a job Power BI accepted did not end well (refresh, export, import,
 * DAX, timeouts), or a name did not resolve ({@code NameResolutionException})</li>
 * <li>{@code push.PushException} and {@code push.InvalidRowsException}: a push stopped, or rows did not fit</li>
 * <li>{@code component.ScanFailedException}: a metadata scan failed</li>
 * </ul>
 * A plain {@link RuntimeException}, not Camel's {@code RuntimeCamelException}: the library's lower layers (token engine,
 * client, push pipeline) are free of Camel, and Camel's {@code onException} matches any exception type and its causes.
 */
public class CamelPowerBiException extends RuntimeException {

    public CamelPowerBiException(String message) {
        super(message);
    }

    public CamelPowerBiException(String message, Throwable cause) {
        super(message, cause);
    }
}
