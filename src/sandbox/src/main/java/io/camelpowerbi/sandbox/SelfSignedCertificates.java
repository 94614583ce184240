package io.camelpowerbi.sandbox;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed X.509 v3 certificates with RSA keys: the sandbox's TLS, token-signing and dev-app certificates, and
 * the {@code certificate create} command. Keys are generated at run time only.
 *
 * <p>BouncyCastle is used for building the certificate only; no provider is registered globally, the JDK providers
 * do the signing and parsing.
 */
public final class SelfSignedCertificates {

    /** A certificate and its private key. {@code toString()} never shows the key. */
    public record CertificateAndKey(X509Certificate certificate, PrivateKey privateKey) {
        public Thumbprints thumbprints() {
            return Thumbprints.of(certificate);
        }

        /** Writes the certificate PEM and the PKCS#8 key PEM (owner-only permissions where supported). */
        public void write(Path certificateFile, Path privateKeyFile) throws IOException {
            Pem.writeCertificate(certificateFile, certificate);
            Pem.writePrivateKey(privateKeyFile, privateKey);
        }

        @Override
        public String toString() {
            return "CertificateAndKey[subject="
                    + certificate.getSubjectX500Principal().getName() + ", sha1="
                    + Thumbprints.of(certificate).sha1Hex() + "]";
        }
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private SelfSignedCertificates() {}

    public static KeyPair generateRsaKeyPair(int bits) {
        if (bits < 2048) {
            throw new IllegalArgumentException("RSA keys shorter than 2048 bits are refused by Entra ID: " + bits);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation unavailable", e);
        }
    }

    /** A new RSA key pair and a certificate valid from one minute ago for {@code validityDays}. */
    public static CertificateAndKey generate(
            String subjectDn, int validityDays, int keyBits, List<String> subjectAltNames) {
        KeyPair keyPair = generateRsaKeyPair(keyBits);
        X509Certificate certificate = createCertificate(keyPair, subjectDn, validityDays, subjectAltNames);
        return new CertificateAndKey(certificate, keyPair.getPrivate());
    }

    public static X509Certificate createCertificate(
            KeyPair keyPair, String subjectDn, int validityDays, List<String> subjectAltNames) {
        if (validityDays < 1) {
            throw new IllegalArgumentException("validityDays must be at least 1: " + validityDays);
        }
        // a minute in the past absorbs small clock differences between this machine and its clients
        Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(1));
        return createCertificate(
                keyPair, subjectDn, notBefore, notBefore.plus(Duration.ofDays(validityDays)), subjectAltNames);
    }

    /**
     * A self-signed certificate with explicit validity (tests use this for expired or not-yet-valid certificates).
     * SANs that look like IPv4 or IPv6 literals become IP address entries, everything else a DNS name.
     */
    public static X509Certificate createCertificate(
            KeyPair keyPair, String subjectDn, Instant notBefore, Instant notAfter, List<String> subjectAltNames) {
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter must be after notBefore");
        }
        try {
            X500Principal subject = new X500Principal(subjectDn);
            BigInteger serial = new BigInteger(127, RANDOM).add(BigInteger.ONE);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject, serial, Date.from(notBefore), Date.from(notAfter), subject, keyPair.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
            }));
            builder.addExtension(
                    Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keyPair.getPublic()));
            if (subjectAltNames != null && !subjectAltNames.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                for (String san : subjectAltNames) {
                    names.add(
                            isIpLiteral(san)
                                    ? new GeneralName(GeneralName.iPAddress, stripBrackets(san))
                                    : new GeneralName(GeneralName.dNSName, san));
                }
                builder.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            X509CertificateHolder holder =
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate()));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException | GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create certificate for " + subjectDn + ": " + e.getMessage(), e);
        }
    }

    public static Thumbprints thumbprints(X509Certificate certificate) {
        return Thumbprints.of(certificate);
    }

    public static void writeCertificatePem(Path file, X509Certificate certificate) throws IOException {
        Pem.writeCertificate(file, certificate);
    }

    public static void writePrivateKeyPem(Path file, PrivateKey key) throws IOException {
        Pem.writePrivateKey(file, key);
    }

    static boolean isIpLiteral(String value) {
        if (IPV4.matcher(value).matches()) {
            return true;
        }
        String v = stripBrackets(value);
        if (v.indexOf(':') >= 0) {
            try {
                // only literals reach here: InetAddress does no lookup for a string containing ':'
                return InetAddress.getByName(v) != null;
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    private static String stripBrackets(String value) {
        return value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
    }
}
