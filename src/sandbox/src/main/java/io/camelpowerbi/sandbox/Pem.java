package io.camelpowerbi.sandbox;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * PEM reading and writing for certificates and unencrypted private keys.
 *
 * <p>Private keys are written as PKCS#8 ({@code BEGIN PRIVATE KEY}) with owner-only permissions where the file
 * system supports POSIX permissions, and always through a temporary file plus atomic move so that a reader never
 * sees a half-written key.
 */
public final class Pem {

    private static final Base64.Encoder MIME = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {}

    /** The PEM text of a certificate. */
    public static String certificate(X509Certificate certificate) {
        try {
            return block("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
    }

    /** The PKCS#8 PEM text of a private key. Never log the result. */
    public static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equalsIgnoreCase(key.getFormat())) {
            throw new IllegalArgumentException("private key is not PKCS#8 encodable: " + key.getFormat());
        }
        return block("PRIVATE KEY", key.getEncoded());
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + MIME.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        write(file, certificate(certificate), false);
    }

    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        write(file, privateKey(key), true);
    }

    /** Writes a secret text file (owner-only where possible). */
    public static void writeSecret(Path file, String text) throws IOException {
        write(file, text, true);
    }

    /**
     * Writes {@code text} atomically. When {@code ownerOnly}, the temporary file is created with mode 600 before any
     * byte is written, so the content is never readable by others, not even briefly.
     */
    static void write(Path file, String text, boolean ownerOnly) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8), ownerOnly);
    }

    /** {@link #write(Path, String, boolean)} for bytes (a PKCS#12 file). */
    static void write(Path file, byte[] bytes, boolean ownerOnly) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp;
        if (ownerOnly && posix()) {
            tmp = Files.createTempFile(
                    dir,
                    "." + file.getFileName(),
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else if (posix()) {
            // public material (certificates) stays readable by others, as openssl would write it
            tmp = Files.createTempFile(
                    dir,
                    "." + file.getFileName(),
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        } else {
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        }
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    public static X509Certificate readCertificate(Path file) throws IOException {
        List<X509Certificate> all = readCertificates(Files.readString(file, StandardCharsets.US_ASCII));
        if (all.isEmpty()) {
            throw new IOException("no certificate found in " + file);
        }
        return all.get(0);
    }

    /** Every certificate in a PEM text (a chain file holds several). */
    public static List<X509Certificate> readCertificates(String pem) throws IOException {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Collection<? extends java.security.cert.Certificate> certs =
                    factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> result = new ArrayList<>();
            for (java.security.cert.Certificate c : certs) {
                result.add((X509Certificate) c);
            }
            return result;
        } catch (CertificateException e) {
            throw new IOException("not a PEM certificate: " + e.getMessage(), e);
        }
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return readPrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /** Reads an unencrypted PKCS#8 ({@code PRIVATE KEY}) or PKCS#1 ({@code RSA PRIVATE KEY}) key. */
    public static PrivateKey readPrivateKey(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (object.getClass().getSimpleName().contains("Encrypted")) {
                    throw new IOException("encrypted private keys are not supported here; decrypt the key first");
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException("cannot read private key: " + e.getClass().getSimpleName(), e);
        }
        throw new IOException("no private key found in PEM text");
    }

    /** Loads a private key and checks that it is usable (helpful error before the server starts). */
    static PrivateKey readPrivateKeyChecked(Path file) throws IOException {
        try {
            PrivateKey key = readPrivateKey(file);
            java.security.KeyFactory.getInstance(key.getAlgorithm());
            return key;
        } catch (GeneralSecurityException e) {
            throw new IOException("unusable private key in " + file + ": " + e.getMessage(), e);
        }
    }
}
