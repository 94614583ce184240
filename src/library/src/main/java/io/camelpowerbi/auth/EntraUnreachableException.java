package io.camelpowerbi.auth;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A token request that never got an answer from Entra: the connection was refused, the host unknown, TLS trust
 * failed, the request timed out. Entra refused nothing, so the message says what failed on the way (the cause is kept)
 * and what to change. No secret is in it: only the URL, which holds the tenant id.
 */
public final class EntraUnreachableException extends EntraException {

    EntraUnreachableException(String tokenUrl, IOException cause) {
        this(tokenUrl, what(tokenUrl, cause), fix(tokenUrl, cause), cause);
    }

    private EntraUnreachableException(String tokenUrl, String what, String fix, IOException cause) {
        super("cannot reach Entra at " + tokenUrl + ": " + what + "\nFix: " + fix, what, fix, cause);
    }

    private static String what(String url, IOException e) {
        String host = hostAndPort(url);
        if (untrusted(e)) {
            return "TLS: the server's certificate is not trusted (" + root(e) + ")";
        }
        if (e instanceof SSLPeerUnverifiedException) {
            return "TLS: the server's certificate does not name " + host + " (" + e.getMessage() + ")";
        }
        if (e instanceof SSLException) {
            return "TLS handshake failed (" + root(e) + ")";
        }
        if (e instanceof ConnectException) {
            return "connection refused: nothing listens at " + host + " (" + e.getMessage() + ")";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + host;
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to " + host;
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return "no answer from " + host + " in time (" + e.getMessage() + ")";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String fix(String url, IOException e) {
        String host = hostAndPort(url);
        if (untrusted(e)) {
            return "trust the certificate of " + host
                    + ": the component's sslContextParameters, or camel.ssl.trust-store"
                    + " (and camel.ssl.enabled=true) with camel.component.powerbi.use-global-ssl-context-parameters=true,"
                    + " or the JVM's -Djavax.net.ssl.trustStore. The sandbox writes its certificate as tls-cert.pem and"
                    + " tls-truststore.p12 (password changeit) in its state directory. Behind a TLS-inspecting proxy,"
                    + " trust the proxy's CA the same way";
        }
        if (e instanceof SSLPeerUnverifiedException) {
            return "use a host name the certificate names in authorityHost";
        }
        if (e instanceof SSLException) {
            return "check the TLS settings (sslContextParameters, camel.ssl.*) and any proxy between here and " + host;
        }
        if (e instanceof ConnectException) {
            return "check authorityHost (" + host
                    + "): is the sandbox or proxy there running? A sandbox started with the"
                    + " sandbox command prints its address; check proxyHost and proxyPort too";
        }
        if (e instanceof UnknownHostException) {
            return "check authorityHost and the cloud option, DNS, or set proxyHost and proxyPort";
        }
        return "check the network path to " + host + " (proxy, firewall), connectTimeout and responseTimeout";
    }

    private static boolean untrusted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException
                    || t instanceof CertificateException
                            && String.valueOf(t.getMessage()).contains("certification path")
                    || t instanceof SSLHandshakeException
                            && String.valueOf(t.getMessage()).contains("PKIX")) {
                return true;
            }
        }
        return false;
    }

    private static String root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String hostAndPort(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
