package io.camelpowerbi.auth;

import java.io.StringReader;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;

/**
 * OpenSSL's traditional key format ({@code BEGIN RSA PRIVATE KEY}, PKCS#1, plain or with {@code Proc-Type: 4,ENCRYPTED}
 * headers), which OpenSSL 1.x wrote by default and the JDK does not read. BouncyCastle
 * ({@code org.bouncycastle:bcpkix-jdk18on}) reads it; it is an optional dependency of the library, so this class is
 * the only one that touches it, and only once such a key is met.
 */
final class TraditionalPemKeys {

    static final String DEPENDENCY = "org.bouncycastle:bcpkix-jdk18on";

    private TraditionalPemKeys() {}

    /** The key of one PEM block; without BouncyCastle, an error naming the dependency and the conversion. */
    static PrivateKey read(String block, char[] password, Path file, String option) {
        if (!available()) {
            throw new CredentialException(
                    option,
                    file + " holds a key in OpenSSL's traditional format ("
                            + block.substring(0, block.indexOf('\n') < 0 ? block.length() : block.indexOf('\n'))
                                    .trim()
                            + "), which the JDK does not read",
                    "convert it to PKCS#8 (openssl pkcs8 -topk8 -in key.pem -out key-pkcs8.pem, add -nocrypt to leave it "
                            + "unencrypted), or add " + DEPENDENCY + " to the application");
        }
        return Reader.read(block, password, file);
    }

    static boolean available() {
        try {
            Class.forName("org.bouncycastle.openssl.PEMParser", false, TraditionalPemKeys.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Loaded only when BouncyCastle is there: the one place its classes are named. */
    private static final class Reader {
        // its own instance, not registered: OpenSSL's key derivation is BouncyCastle's, the JVM's providers stay as set
        private static final Provider BC = new BouncyCastleProvider();

        static PrivateKey read(String block, char[] password, Path file) {
            JcaPEMKeyConverter keys = new JcaPEMKeyConverter().setProvider(BC);
            try (PEMParser parser = new PEMParser(new StringReader(block))) {
                Object o = parser.readObject();
                if (o instanceof PEMKeyPair pair) {
                    return keys.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PEMEncryptedKeyPair encrypted) {
                    CertificateLoader.requirePassword(password, file);
                    try {
                        return keys.getKeyPair(encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                                        .setProvider(BC)
                                        .build(password)))
                                .getPrivate();
                    } catch (Exception e) {
                        throw CertificateLoader.wrongPassword(file);
                    }
                }
                throw new CredentialException(
                        "privateKeyFile",
                        file + " holds no private key BouncyCastle reads",
                        "use a PKCS#8 key (BEGIN PRIVATE KEY or BEGIN ENCRYPTED PRIVATE KEY)");
            } catch (java.io.IOException e) {
                throw new CredentialException(
                        "privateKeyFile",
                        file + " is not a readable PEM file (IOException)",
                        "use PEM files with CERTIFICATE and PRIVATE KEY blocks");
            }
        }
    }
}
