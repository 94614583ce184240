package io.camelpowerbi.component;

import com.microsoft.sqlserver.jdbc.SQLServerAccessTokenCallback;
import com.microsoft.sqlserver.jdbc.SqlAuthenticationToken;
import io.camelpowerbi.auth.Audience;
import io.camelpowerbi.auth.SqlAccessTokenCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * mssql-jdbc's access-token callback with the {@code powerbi} component's credential, for a Fabric Warehouse or SQL
 * database reached with camel-sql: a bean of this class given to a {@code SQLServerDataSource} as its
 * {@code accessTokenCallback}. Tokens for the server's SQL audience come from the component's token cache, beside its
 * Power BI and Fabric tokens, each refreshed ahead of expiry. See {@link SqlAccessTokenCallback}.
 *
 * <pre>{@code
 * - beans:
 *     - name: warehouseTokens
 *       type: io.camelpowerbi.component.PowerBiSqlTokenCallback
 *     - name: warehouse
 *       type: com.microsoft.sqlserver.jdbc.SQLServerDataSource
 *       properties: { serverName: "<workspace>.datawarehouse.fabric.microsoft.com", databaseName: Sales,
 *                     accessTokenCallback: "#bean:warehouseTokens" }
 * }</pre>
 */
public class PowerBiSqlTokenCallback implements SQLServerAccessTokenCallback, CamelContextAware {

    private CamelContext camelContext;
    private String component = "powerbi";
    private volatile SqlAccessTokenCallback delegate;

    @Override
    public SqlAuthenticationToken getAccessToken(String spn, String stsurl) {
        return delegate().getAccessToken(spn, stsurl);
    }

    private SqlAccessTokenCallback delegate() {
        SqlAccessTokenCallback d = delegate;
        if (d == null) {
            synchronized (this) {
                if (delegate == null) {
                    if (camelContext == null) {
                        throw new IllegalStateException(
                                "PowerBiSqlTokenCallback has no CamelContext: bind it as a bean of "
                                        + "the Camel registry (a beans: entry of the route file, or the registry's bind)");
                    }
                    PowerBiComponent powerBi = camelContext.getComponent(component, PowerBiComponent.class);
                    delegate = new SqlAccessTokenCallback(
                            powerBi.tokenProviders(),
                            Audience.SQL_DATABASE.resource(
                                    powerBi.getConfiguration().getCloud()));
                }
                d = delegate;
            }
        }
        return d;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** The name of the powerbi component whose credential is used (default {@code powerbi}). */
    public String getComponent() {
        return component;
    }

    public void setComponent(String component) {
        this.component = component;
    }
}
