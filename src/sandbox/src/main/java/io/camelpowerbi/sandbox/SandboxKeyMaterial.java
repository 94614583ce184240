package io.camelpowerbi.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key material the sandbox keeps in its state directory, generated on first start and reused afterwards: the dev
 * app's certificate, key and client secret, the TLS certificate and key, and the token-signing certificate and key.
 * Reuse matters: a user who configured a route with the dev certificate, or trusted the TLS certificate, keeps working
 * after a restart.
 */
final class SandboxKeyMaterial {

    static final String DEV_CERT = "dev-app-cert.pem";
    static final String DEV_KEY = "dev-app-key.pem";
    static final String DEV_SECRET = "dev-app-secret.txt";
    static final String TLS_CERT = "tls-cert.pem";
    static final String TLS_KEY = "tls-key.pem";
    /** {@link #TLS_CERT} as a PKCS#12 trust store, for -Djavax.net.ssl.trustStore and camel.ssl.trust-store. */
    static final String TLS_TRUST_STORE = "tls-truststore.p12";

    static final String SIGNING_CERT = "token-signing-cert.pem";
    static final String SIGNING_KEY = "token-signing-key.pem";

    private static final Logger LOG = LoggerFactory.getLogger(SandboxKeyMaterial.class);
    // FileLock guards against other processes, this lock against other sandboxes in the same JVM (tests)
    private static final Object JVM_LOCK = new Object();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";

    final Path stateDir;
    final SelfSignedCertificates.CertificateAndKey devApp;
    final String devSecret;
    final SelfSignedCertificates.CertificateAndKey tls;
    final SelfSignedCertificates.CertificateAndKey signing;

    private SandboxKeyMaterial(
            Path stateDir,
            SelfSignedCertificates.CertificateAndKey devApp,
            String devSecret,
            SelfSignedCertificates.CertificateAndKey tls,
            SelfSignedCertificates.CertificateAndKey signing) {
        this.stateDir = stateDir;
        this.devApp = devApp;
        this.devSecret = devSecret;
        this.tls = tls;
        this.signing = signing;
    }

    Path file(String name) {
        return stateDir.resolve(name);
    }

    /**
     * Loads the material from {@code stateDir}, generating what is missing, expired, or (for TLS) does not name
     * {@code tlsHost}. The TLS certificate is judged by the clients' JDKs, so it is valid in real time; the
     * development app's certificate is judged by the sandbox and the component on the sandbox's clock ({@code appNow},
     * which may start at a fixed instant) and by doctor in real time, so it is valid at both.
     */
    static SandboxKeyMaterial loadOrCreate(Path stateDir, String tlsHost, Instant appNow) throws IOException {
        Path dir = stateDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        synchronized (JVM_LOCK) {
            try (FileChannel channel = FileChannel.open(
                            dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                List<String> tlsNames = new ArrayList<>(List.of("127.0.0.1", "localhost", "::1"));
                String extra = tlsHost == null ? null : tlsHost.replace("[", "").replace("]", "");
                if (extra != null && !extra.isBlank() && !isWildcard(extra) && !tlsNames.contains(extra)) {
                    tlsNames.add(extra);
                }
                Instant now = Instant.now();
                var devApp = pair(
                        dir,
                        DEV_CERT,
                        DEV_KEY,
                        "CN=camel-powerbi sandbox dev app",
                        List.of(),
                        null,
                        List.of(appNow, now));
                String secret = secret(dir.resolve(DEV_SECRET));
                var tls = pair(dir, TLS_CERT, TLS_KEY, "CN=camel-powerbi sandbox", tlsNames, tlsNames, List.of(now));
                writeTrustStore(dir.resolve(TLS_TRUST_STORE), tls.certificate());
                var signing = pair(
                        dir,
                        SIGNING_CERT,
                        SIGNING_KEY,
                        "CN=camel-powerbi sandbox token signing",
                        List.of(),
                        null,
                        List.of(now));
                return new SandboxKeyMaterial(dir, devApp, secret, tls, signing);
            }
        }
    }

    /** The TLS certificate as the one trusted entry of a PKCS#12 file (public: readable like the PEM). */
    private static void writeTrustStore(Path file, X509Certificate certificate) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("camel-powerbi-sandbox", certificate);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, ConnectionFile.TRUST_STORE_PASSWORD.toCharArray());
            Pem.write(file, bytes.toByteArray(), false);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the trust store " + file + ": " + e.getMessage(), e);
        }
    }

    private static SelfSignedCertificates.CertificateAndKey pair(
            Path dir,
            String certName,
            String keyName,
            String subject,
            List<String> sans,
            List<String> mustCover,
            List<Instant> validAt)
            throws IOException {
        Path certFile = dir.resolve(certName);
        Path keyFile = dir.resolve(keyName);
        if (Files.isRegularFile(certFile) && Files.isRegularFile(keyFile)) {
            try {
                X509Certificate cert = Pem.readCertificate(certFile);
                PrivateKey key = Pem.readPrivateKeyChecked(keyFile);
                String problem = problem(cert, key, mustCover, validAt);
                if (problem == null) {
                    LOG.debug(
                            "reusing {} (SHA-1 {})",
                            certFile,
                            Thumbprints.of(cert).sha1Hex());
                    return new SelfSignedCertificates.CertificateAndKey(cert, key);
                }
                LOG.warn("regenerating {}: {}", certFile, problem);
            } catch (IOException | RuntimeException e) {
                LOG.warn("regenerating {}: cannot read the stored pair ({})", certFile, e.getMessage());
            }
        }
        // RSA 2048, valid a year past the latest instant it must be valid at: the shape of a certificate someone would
        // upload to an app registration; from a minute before the earliest, which absorbs small clock differences
        KeyPair keyPair = SelfSignedCertificates.generateRsaKeyPair(2048);
        Instant notBefore =
                Collections.min(validAt).truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(1));
        Instant notAfter =
                Collections.max(validAt).truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(365));
        var generated = new SelfSignedCertificates.CertificateAndKey(
                SelfSignedCertificates.createCertificate(keyPair, subject, notBefore, notAfter, sans),
                keyPair.getPrivate());
        generated.write(certFile, keyFile);
        LOG.info(
                "generated {} (SHA-1 {}) and its private key in {}",
                certName,
                generated.thumbprints().sha1Hex(),
                dir);
        return generated;
    }

    private static String problem(X509Certificate cert, PrivateKey key, List<String> mustCover, List<Instant> validAt) {
        for (Instant now : validAt) {
            if (cert.getNotAfter().toInstant().isBefore(now.plus(Duration.ofDays(1)))) {
                return "certificate expires " + cert.getNotAfter().toInstant();
            }
            if (cert.getNotBefore().toInstant().isAfter(now)) {
                return "certificate not valid before " + cert.getNotBefore().toInstant();
            }
        }
        if (!(cert.getPublicKey() instanceof RSAPublicKey pub)
                || !(key instanceof RSAPrivateCrtKey priv)
                || !pub.getModulus().equals(priv.getModulus())) {
            return "private key does not belong to the certificate";
        }
        if (mustCover != null) {
            for (String name : mustCover) {
                if (!covers(cert, name)) {
                    return "certificate does not name " + name;
                }
            }
        }
        return null;
    }

    private static boolean covers(X509Certificate cert, String name) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) {
                return false;
            }
            boolean ip = SelfSignedCertificates.isIpLiteral(name);
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                if (ip && type == 7 && InetAddress.getByName(value).equals(InetAddress.getByName(name))) {
                    return true;
                }
                if (!ip && type == 2 && value.equalsIgnoreCase(name)) {
                    return true;
                }
            }
            return false;
        } catch (CertificateParsingException | IOException e) {
            return false;
        }
    }

    private static String secret(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String value = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!value.isEmpty()) {
                return value;
            }
        }
        // the shape of an Entra client secret value: 40 characters with the "8Q~" marker at position 3
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 37; i++) {
            sb.append(SECRET_CHARS.charAt(RANDOM.nextInt(SECRET_CHARS.length())));
        }
        String value = sb.insert(3, "8Q~").toString();
        Pem.writeSecret(file, value + "\n");
        LOG.info("generated the dev app's client secret in {}", file);
        return value;
    }

    static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }
}
