package io.camelpowerbi.auth;

/**
 * azure-identity could not get a token ({@code credentialType=AZURE_IDENTITY} or a {@code tokenCredential} bean): its
 * reason, and what to change. No secret or token is in the message.
 */
public class AzureIdentityException extends EntraException {

    AzureIdentityException(String message, String description, String hint, Throwable cause) {
        super(message + (hint == null ? "" : "\nFix: " + hint), description, hint, cause);
    }
}
