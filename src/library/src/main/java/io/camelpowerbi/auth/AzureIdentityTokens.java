package io.camelpowerbi.auth;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.CredentialUnavailableException;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches Power BI tokens from azure-identity, for {@link RefreshingToken}: the component's cache decides when (ahead of
 * expiry, one fetch in flight), azure-identity how (managed identity, workload identity, environment, Azure CLI). The
 * azure-core Javadoc leaves caching and refreshing to the caller of {@code getToken}; MSAL's own cache under a managed
 * identity only saves HTTP calls. The one class of the library that loads azure-identity, and only when it was chosen.
 */
final class AzureIdentityTokens implements Supplier<AccessToken> {

    private static final Logger LOG = LoggerFactory.getLogger(AzureIdentityTokens.class);

    private final AzureIdentitySource source;
    private final TokenCredential credential;
    private final TokenRequestContext request;
    private final Duration refreshMargin;
    private final Clock clock;

    /**
     * The fetcher for {@code source}. Typed {@link Supplier}, so that no caller's bytecode names this class's type: the
     * JVM loads it, and azure-identity with it, only when this runs.
     */
    static Supplier<AccessToken> fetcher(AzureIdentitySource source, Duration refreshMargin, Clock clock) {
        return new AzureIdentityTokens(source, refreshMargin, clock);
    }

    private AzureIdentityTokens(AzureIdentitySource source, Duration refreshMargin, Clock clock) {
        this.source = source;
        this.credential =
                source.credential() != null ? (TokenCredential) source.credential() : defaultCredential(source);
        this.request = new TokenRequestContext().addScopes(source.scope());
        this.refreshMargin = refreshMargin;
        this.clock = clock;
    }

    private static TokenCredential defaultCredential(AzureIdentitySource source) {
        DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
        if (source.authorityHost() != null) {
            builder.authorityHost(source.authorityHost());
        }
        if (source.tenantId() != null) {
            builder.tenantId(source.tenantId());
        }
        if (source.clientId() != null) {
            builder.managedIdentityClientId(source.clientId());
            builder.workloadIdentityClientId(source.clientId());
        }
        return builder.build();
    }

    /** Called on the token cache's refresh thread, never on a Reactor or Netty thread: {@code getTokenSync} blocks. */
    @Override
    public AccessToken get() {
        Instant issued = clock.instant();
        com.azure.core.credential.AccessToken token;
        try {
            token = credential.getTokenSync(request);
        } catch (RuntimeException e) {
            throw failure(e);
        }
        if (token == null || token.getToken() == null || token.getExpiresAt() == null) {
            throw new AzureIdentityException(
                    describe() + " answered without a token",
                    null,
                    "check the TokenCredential" + " bean: getTokenSync must return a token with its expiry",
                    null);
        }
        Instant expiresAt = token.getExpiresAt().toInstant();
        // azure-identity reports refreshAt as the epoch (or nothing) when the issuer did not ask for an early refresh
        OffsetDateTime refreshAt = token.getRefreshAt();
        Instant asked = refreshAt == null || !refreshAt.toInstant().isAfter(issued) ? null : refreshAt.toInstant();
        AccessToken ours = AccessToken.issued(token.getToken(), issued, expiresAt, refreshMargin, asked);
        LOG.debug(
                "Token from {} obtained for {}; expires {}, refresh at {}",
                describe(),
                source.scope(),
                ours.expiresAt(),
                ours.refreshAt());
        return ours;
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    private String describe() {
        return "azure-identity's " + credential.getClass().getSimpleName();
    }

    /** azure-identity's failure with what to change; its message holds no secret. */
    private AzureIdentityException failure(RuntimeException e) {
        String first = firstLine(e);
        Throwable root = e;
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
            root = t;
        }
        if (root != e) {
            // azure-identity says "see inner exception"; the inner one (MSAL's) says what the endpoint answered
            first = first + " (" + firstLine(root) + ")";
        }
        String text = all.toString().toLowerCase(Locale.ROOT);
        String hint;
        if (text.contains("identity not found")) {
            hint = "the host has no managed identity "
                    + (source.clientId() != null
                            ? "with client id " + source.clientId()
                                    + ": assign that user-assigned identity to the host, or leave clientId unset for the system-assigned one"
                            : "assigned: enable its system-assigned identity, or set clientId to a user-assigned identity's client id");
        } else if (text.contains("invalid_resource") || text.contains("aadsts500011") || text.contains("aadsts50001")) {
            hint = "the audience " + source.resource() + " is not known where the token was asked for: choose the cloud"
                    + " of the tenant (cloud), or correct resource";
        } else if (e instanceof CredentialUnavailableException) {
            hint =
                    "no credential azure-identity tries is available here. On Azure, enable a managed identity on the host"
                            + " (App Service and Functions set IDENTITY_ENDPOINT and IDENTITY_HEADER, a VM answers at IMDS) and add"
                            + " it to the workspace; elsewhere set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or"
                            + " AZURE_FEDERATED_TOKEN_FILE), or sign in with az login; or use credentialType=CLIENT_CREDENTIALS";
        } else {
            hint = "see azure-identity's reason above; for a managed identity check that the host has one and that its"
                    + " endpoint answers (IDENTITY_ENDPOINT, or IMDS at 169.254.169.254)";
        }
        return new AzureIdentityException(
                describe() + " could not get a token for " + source.scope() + ": " + first, first, hint, e);
    }
}
