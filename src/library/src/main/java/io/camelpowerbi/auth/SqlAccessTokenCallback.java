package io.camelpowerbi.auth;

import com.microsoft.sqlserver.jdbc.SQLServerAccessTokenCallback;
import com.microsoft.sqlserver.jdbc.SqlAuthenticationToken;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mssql-jdbc's access-token callback backed by this component's credential and token cache, for a Fabric Warehouse or
 * SQL database (or any Azure SQL) reached through camel-sql: {@code dataSource.setAccessTokenCallback(callback)} on a
 * {@code SQLServerDataSource} (mssql-jdbc 12.4 or later; without {@code user} or {@code password}, which the driver
 * refuses beside a callback).
 *
 * <p>The driver calls it with the service principal name of the server (its FedAuthInfo SPN, e.g.
 * {@code https://database.windows.net/}) and the authority; the token is asked for the SPN's resource, so
 * {@code https://database.windows.net/.default} (normalized by {@link Audience#resourceOf}: the SPN plus
 * {@code /.default}, as Microsoft's sample builds it, and the plain scope are one cached token). Tokens come from the
 * same cache as the component's Power BI and Fabric tokens, each audience refreshed ahead of expiry on its own, with one
 * request in flight. The authority the driver names is not used: the token comes from the configured tenant. The
 * driver reads {@code expiresOn} as epoch milliseconds.
 */
public final class SqlAccessTokenCallback implements SQLServerAccessTokenCallback {

    private static final Logger LOG = LoggerFactory.getLogger(SqlAccessTokenCallback.class);

    private final TokenProviders tokens;
    private final String fallbackResource;

    /**
     * @param tokens           where tokens come from
     * @param fallbackResource the resource asked for when the driver names no SPN, e.g.
     *                         {@code Audience.SQL_DATABASE.resource(cloud)}
     */
    public SqlAccessTokenCallback(TokenProviders tokens, String fallbackResource) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.fallbackResource = Audience.resourceOf(fallbackResource);
    }

    /** mssql-jdbc passes the SPN first, then the STS URL (the driver's own call order). */
    @Override
    public SqlAuthenticationToken getAccessToken(String spn, String stsurl) {
        String resource = spn == null || spn.isBlank() ? fallbackResource : Audience.resourceOf(spn);
        LOG.debug("SQL token for {} (authority named by the server: {})", resource, stsurl);
        AccessToken token = tokens.forResource(resource).getToken();
        return new SqlAuthenticationToken(token.value(), token.expiresAt().toEpochMilli());
    }

    @Override
    public String toString() {
        return "SqlAccessTokenCallback[" + fallbackResource + "]";
    }
}
