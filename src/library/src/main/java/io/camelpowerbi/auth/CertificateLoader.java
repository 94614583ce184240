package io.camelpowerbi.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Loads a {@link ClientCertificate} from PEM files or a PKCS#12 keystore and checks it the way Entra will: RSA of at
 * least 2048 bits, the key belongs to the certificate, the certificate is within its validity dates. Every failure
 * names the option to change; nothing is left to fail later as a cryptic AADSTS700027.
 */
public final class CertificateLoader {

    public static final int MIN_RSA_BITS = 2048;

    /** A PEM block: its type and base64 body (RFC 7468); headers, as in OpenSSL's encrypted keys, go with the body. */
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private CertificateLoader() {}

    /**
     * @param certificateFile    PEM with the certificate, then any intermediates (may also hold the key)
     * @param privateKeyFile     PEM with the PKCS#8 key, encrypted or not (OpenSSL's traditional PKCS#1 format with
     *                           BouncyCastle on the class path); null: look in
     *                           {@code certificateFile}
     * @param privateKeyPassword for an encrypted key, else null
     */
    public static ClientCertificate fromPem(
            Path certificateFile, Path privateKeyFile, char[] privateKeyPassword, Clock clock) {
        if (certificateFile == null) {
            throw new CredentialException(
                    "certificateFile", "is not set", "point it at the PEM certificate registered on the app");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        PrivateKey key = readPem(certificateFile, "certificateFile", certificates, privateKeyPassword);
        if (privateKeyFile != null && !privateKeyFile.equals(certificateFile)) {
            key = readPem(privateKeyFile, "privateKeyFile", new ArrayList<>(), privateKeyPassword);
            if (key == null) {
                throw new CredentialException(
                        "privateKeyFile",
                        privateKeyFile + " holds no private key",
                        "point it at the PEM file holding the PRIVATE KEY or ENCRYPTED PRIVATE KEY block");
            }
        } else if (key == null) {
            throw new CredentialException(
                    "privateKeyFile",
                    "is not set and " + certificateFile + " holds no private key",
                    "set privateKeyFile to the PEM private key of the certificate");
        }
        if (certificates.isEmpty()) {
            throw new CredentialException(
                    "certificateFile",
                    certificateFile + " holds no certificate",
                    "point it at the PEM file holding the CERTIFICATE block");
        }
        return check(key, certificates, "certificateFile", "privateKeyFile", clock);
    }

    /**
     * @param alias       the key entry; null when the keystore has exactly one
     * @param keyPassword the key entry's password; null: the keystore password
     */
    public static ClientCertificate fromPkcs12(
            Path keystoreFile, char[] keystorePassword, String alias, char[] keyPassword, Clock clock) {
        if (keystoreFile == null) {
            throw new CredentialException("keystoreFile", "is not set", "point it at the PKCS#12 (.pfx/.p12) file");
        }
        requireReadable(keystoreFile, "keystoreFile");
        KeyStore store;
        try (InputStream in = Files.newInputStream(keystoreFile)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, keystorePassword);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password")) {
                throw new CredentialException(
                        "keystorePassword",
                        "is wrong for " + keystoreFile,
                        "set the password the .pfx/.p12 file was exported with",
                        null);
            }
            throw new CredentialException(
                    "keystoreFile",
                    keystoreFile + " is not a PKCS#12 keystore (" + e.getMessage() + ")",
                    "export the certificate with its private key as .pfx/.p12",
                    e);
        } catch (GeneralSecurityException e) {
            throw new CredentialException(
                    "keystoreFile",
                    "cannot read " + keystoreFile + " (" + e.getMessage() + ")",
                    "export the certificate with its private key as .pfx/.p12",
                    e);
        }
        try {
            String entry = alias != null ? alias : singleKeyAlias(store, keystoreFile);
            if (!store.isKeyEntry(entry)) {
                throw new CredentialException(
                        "keystoreAlias",
                        "no private key entry '" + entry + "' in " + keystoreFile,
                        "use one of " + keyAliases(store));
            }
            Key key;
            try {
                key = store.getKey(entry, keyPassword != null ? keyPassword : keystorePassword);
            } catch (UnrecoverableKeyException e) {
                throw new CredentialException(
                        keyPassword != null ? "keyPassword" : "keystorePassword",
                        "cannot unlock the key '" + entry + "' in " + keystoreFile,
                        "set keyPassword to the private key's password if it differs from the keystore's",
                        null);
            }
            if (!(key instanceof PrivateKey privateKey)) {
                throw new CredentialException(
                        "keystoreAlias", "'" + entry + "' is not a private key", "use one of " + keyAliases(store));
            }
            List<X509Certificate> chain = new ArrayList<>();
            Certificate[] stored = store.getCertificateChain(entry);
            if (stored != null) {
                for (Certificate c : stored) {
                    chain.add((X509Certificate) c);
                }
            }
            return check(privateKey, chain, "keystoreFile", "keystoreFile", clock);
        } catch (GeneralSecurityException e) {
            throw new CredentialException(
                    "keystoreFile",
                    "cannot read " + keystoreFile + " (" + e.getMessage() + ")",
                    "export the certificate with its private key as .pfx/.p12",
                    e);
        }
    }

    private static String singleKeyAlias(KeyStore store, Path file) throws GeneralSecurityException {
        List<String> aliases = keyAliases(store);
        if (aliases.size() == 1) {
            return aliases.get(0);
        }
        throw new CredentialException(
                "keystoreAlias",
                file
                        + (aliases.isEmpty()
                                ? " holds no private key"
                                : " holds " + aliases.size() + " private keys " + aliases),
                aliases.isEmpty()
                        ? "export the certificate together with its private key"
                        : "set keystoreAlias to one of them");
    }

    private static List<String> keyAliases(KeyStore store) throws GeneralSecurityException {
        List<String> aliases = new ArrayList<>();
        for (String a : Collections.list(store.aliases())) {
            if (store.isKeyEntry(a)) {
                aliases.add(a);
            }
        }
        return aliases;
    }

    /**
     * Reads every block of a PEM file: certificates into {@code certificates}, and returns the private key, if any.
     * The JDK reads certificates, PKCS#8 keys and encrypted PKCS#8 keys; OpenSSL's traditional key format
     * ({@code BEGIN RSA PRIVATE KEY}, plain or encrypted) needs BouncyCastle ({@link TraditionalPemKeys}).
     */
    private static PrivateKey readPem(Path file, String option, List<X509Certificate> certificates, char[] password) {
        requireReadable(file, option);
        PrivateKey key = null;
        try {
            Matcher block = PEM_BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
            while (block.find()) {
                String type = block.group(1);
                if (type.equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(
                                    new ByteArrayInputStream(block.group().getBytes(StandardCharsets.US_ASCII))));
                } else if (type.equals("PRIVATE KEY")) {
                    key = pkcs8(der(block.group(2)), file, option);
                } else if (type.equals("ENCRYPTED PRIVATE KEY")) {
                    requirePassword(password, file);
                    key = pkcs8(decrypt(der(block.group(2)), password, file), file, option);
                } else if (type.endsWith(" PRIVATE KEY")) {
                    key = TraditionalPemKeys.read(block.group(), password, file, option);
                }
            }
        } catch (CredentialException e) {
            throw e;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new CredentialException(
                    option,
                    file + " is not a readable PEM file (" + e.getClass().getSimpleName() + ")",
                    "use PEM files with CERTIFICATE and PRIVATE KEY blocks",
                    null);
        }
        return key;
    }

    private static byte[] der(String base64) {
        return Base64.getMimeDecoder().decode(base64);
    }

    private static PrivateKey pkcs8(byte[] der, Path file, String option) throws GeneralSecurityException {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new CredentialException(
                    option,
                    "the private key in " + file + " is not an RSA key",
                    "Entra client assertions need an RSA key of at least " + MIN_RSA_BITS + " bits");
        }
    }

    /** The PKCS#8 bytes of an encrypted key: PBES2 (what OpenSSL and BouncyCastle write) or a PBES1 the JDK knows. */
    private static byte[] decrypt(byte[] der, char[] password, Path file) throws IOException, GeneralSecurityException {
        EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
        // for PBES2 the JDK names the scheme after its parameters, e.g. PBEWithHmacSHA256AndAES_256
        String scheme = info.getAlgParameters() == null || !isPbes2(info.getAlgName())
                ? info.getAlgName()
                : info.getAlgParameters().toString();
        Cipher cipher;
        SecretKeyFactory factory;
        try {
            cipher = Cipher.getInstance(scheme);
            factory = SecretKeyFactory.getInstance(scheme);
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new CredentialException(
                    "privateKeyFile",
                    "the key in " + file + " is encrypted with " + scheme
                            + ", which this Java runtime does not decrypt",
                    "re-encrypt it as OpenSSL 3 does by default: openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out "
                            + "key-pkcs8.pem");
        }
        PBEKeySpec spec = new PBEKeySpec(password);
        try {
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(spec), info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (GeneralSecurityException e) {
            // a wrong password decrypts to bad padding or to bytes that are no PKCS#8
            throw wrongPassword(file);
        } finally {
            spec.clearPassword();
        }
    }

    private static boolean isPbes2(String algorithm) {
        return algorithm.equals("PBES2") || algorithm.equals("1.2.840.113549.1.5.13");
    }

    static void requirePassword(char[] password, Path file) {
        if (password == null || password.length == 0) {
            throw new CredentialException(
                    "privateKeyPassword",
                    "is not set but the key in " + file + " is encrypted",
                    "set privateKeyPassword, e.g. {{env:POWERBI_KEY_PASSWORD}}");
        }
    }

    static CredentialException wrongPassword(Path file) {
        return new CredentialException(
                "privateKeyPassword",
                "does not decrypt the key in " + file,
                "set the password the key was encrypted with");
    }

    private static void requireReadable(Path file, String option) {
        if (Files.isDirectory(file)) {
            String example = switch (option) {
                case "privateKeyFile" -> "private-key.pem";
                case "keystoreFile" -> "app.pfx";
                default -> "certificate.pem";
            };
            throw new CredentialException(
                    option,
                    file.toAbsolutePath() + " is a directory, not a file",
                    "name the file " + "in it, e.g. " + file.resolve(example));
        }
        if (!Files.isRegularFile(file)) {
            throw new CredentialException(option, "file not found: " + file.toAbsolutePath(), "check the path");
        }
        if (!Files.isReadable(file)) {
            throw new CredentialException(
                    option, "cannot read " + file.toAbsolutePath(), "let this process read the file");
        }
    }

    private static ClientCertificate check(
            PrivateKey key, List<X509Certificate> chain, String certOption, String keyOption, Clock clock) {
        if (!(key instanceof RSAPrivateKey rsa)) {
            throw new CredentialException(
                    keyOption,
                    "the key is " + key.getAlgorithm() + ", not RSA",
                    "Entra client assertions need an RSA key of at least " + MIN_RSA_BITS + " bits");
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_RSA_BITS) {
            throw new CredentialException(
                    keyOption,
                    "the RSA key has " + bits + " bits",
                    "create a certificate with an RSA key of at least " + MIN_RSA_BITS
                            + " bits (certificate create does)");
        }
        // The leaf is the certificate of this key, wherever it stands in the file.
        List<X509Certificate> ordered = new ArrayList<>(chain);
        X509Certificate leaf = ordered.stream()
                .filter(c -> matches(c, rsa))
                .findFirst()
                .orElseThrow(() -> new CredentialException(
                        keyOption,
                        "the private key does not belong to the certificate "
                                + ordered.get(0).getSubjectX500Principal().getName(),
                        "use the key that was created with this certificate, or the certificate of this key"));
        ordered.remove(leaf);
        ordered.add(0, leaf);
        try {
            leaf.checkValidity(java.util.Date.from(clock.instant()));
        } catch (CertificateExpiredException e) {
            throw new CredentialException(
                    certOption,
                    "the certificate " + leaf.getSubjectX500Principal().getName() + " expired on "
                            + leaf.getNotAfter().toInstant(),
                    "create a new certificate, upload it to the app registration and point " + certOption + " at it");
        } catch (CertificateNotYetValidException e) {
            throw new CredentialException(
                    certOption,
                    "the certificate " + leaf.getSubjectX500Principal().getName() + " is valid only from "
                            + leaf.getNotBefore().toInstant(),
                    "wait, or check this machine's clock");
        }
        return new ClientCertificate(key, ordered);
    }

    private static boolean matches(X509Certificate certificate, RSAPrivateKey key) {
        if (!(certificate.getPublicKey() instanceof RSAPublicKey pub)) {
            return false;
        }
        if (!pub.getModulus().equals(key.getModulus())) {
            return false;
        }
        return !(key instanceof RSAPrivateCrtKey crt) || crt.getPublicExponent().equals(pub.getPublicExponent());
    }
}
