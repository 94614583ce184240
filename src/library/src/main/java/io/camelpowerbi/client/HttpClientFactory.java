package io.camelpowerbi.client;

import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Builds the Apache HttpClient 5 (the one camel-http uses) that talks to Entra and Power BI: pooled, with timeouts,
 * the TLS trust of Camel's {@code SSLContextParameters} and an optional proxy. Redirects are never followed here:
 * {@link PowerBiClient} follows them itself so it can drop the bearer token when the host changes.
 */
public final class HttpClientFactory {

    /**
     * Sent on every request: Power BI records it in the activity log ({@code UserAgent}), so an admin can tell this
     * component's calls from others.
     */
    public static final String USER_AGENT = "camel-powerbi";

    private HttpClientFactory() {}

    /**
     * @param sslContext null for the JVM's default trust
     * @param proxy      null for a direct connection
     */
    public static CloseableHttpClient create(
            SSLContext sslContext,
            HttpHost proxy,
            Duration connectTimeout,
            Duration responseTimeout,
            int maxConnections) {
        PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(responseTimeout))
                        // a pooled connection the server closed is found before a request is written to it: otherwise
                        // a POST that never arrived would look like one whose answer was lost
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build());
        if (sslContext != null) {
            pool.setTlsSocketStrategy(new DefaultClientTlsStrategy(sslContext));
        }
        var builder = HttpClients.custom()
                .setConnectionManager(pool.build())
                .disableRedirectHandling()
                .disableAutomaticRetries() // PowerBiClient and EntraTokenClient own the retry policy
                .disableCookieManagement()
                .setUserAgent(USER_AGENT)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(responseTimeout))
                        .build());
        if (proxy != null) {
            builder.setProxy(proxy);
        }
        return builder.build();
    }
}
