package io.camelpowerbi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.sandbox.SelfSignedCertificates;
import io.camelpowerbi.sandbox.SelfSignedCertificates.CertificateAndKey;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a certificate can be wrong gives an error naming the option, before anything is sent. */
class CertificateLoaderTest {

    static final Clock CLOCK = Clock.systemUTC();
    static CertificateAndKey good;
    static CertificateAndKey other;

    @TempDir
    Path dir;

    @BeforeAll
    static void createCertificates() {
        good = SelfSignedCertificates.generate("CN=good", 30, 2048, List.of());
        other = SelfSignedCertificates.generate("CN=other", 30, 2048, List.of());
    }

    @Test
    void readsPemCertificateAndPkcs8Key() throws Exception {
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        good.write(cert, key);
        ClientCertificate c = CertificateLoader.fromPem(cert, key, null, CLOCK);
        assertEquals(good.certificate(), c.certificate());
        assertEquals(good.thumbprints().sha256Base64Url(), c.sha256Thumbprint());
    }

    @Test
    void readsEncryptedPkcs8KeyAndNamesTheWrongPassword() throws Exception {
        Path cert = dir.resolve("c.pem");
        good.write(cert, dir.resolve("plain.pem"));
        Path key = writeEncryptedPkcs8(dir.resolve("enc.pem"), good.privateKey(), "s3cret-pass");
        assertTrue(Files.readString(key).contains("ENCRYPTED PRIVATE KEY"));
        assertEquals(
                good.certificate(),
                CertificateLoader.fromPem(cert, key, "s3cret-pass".toCharArray(), CLOCK)
                        .certificate());

        CredentialException wrong = assertThrows(
                CredentialException.class, () -> CertificateLoader.fromPem(cert, key, "nope".toCharArray(), CLOCK));
        assertEquals("privateKeyPassword", wrong.option());
        assertFalse(wrong.getMessage().contains("nope"));
        CredentialException missing =
                assertThrows(CredentialException.class, () -> CertificateLoader.fromPem(cert, key, null, CLOCK));
        assertEquals("privateKeyPassword", missing.option());
    }

    @Test
    void chainIsOrderedLeafFirst() throws Exception {
        Path cert = dir.resolve("chain.pem");
        Path key = dir.resolve("k.pem");
        // an "intermediate" first in the file, then the leaf
        SelfSignedCertificates.writeCertificatePem(cert, other.certificate());
        Path leaf = dir.resolve("leaf.pem");
        good.write(leaf, key);
        Files.writeString(cert, Files.readString(cert) + Files.readString(leaf));
        ClientCertificate c = CertificateLoader.fromPem(cert, key, null, CLOCK);
        assertEquals(List.of(good.certificate(), other.certificate()), c.chain());
    }

    @Test
    void keyOfAnotherCertificateIsRefused() throws Exception {
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        SelfSignedCertificates.writeCertificatePem(cert, good.certificate());
        SelfSignedCertificates.writePrivateKeyPem(key, other.privateKey());
        CredentialException e =
                assertThrows(CredentialException.class, () -> CertificateLoader.fromPem(cert, key, null, CLOCK));
        assertEquals("privateKeyFile", e.option());
        assertTrue(e.getMessage().contains("does not belong to the certificate CN=good"), e.getMessage());
    }

    @Test
    void expiredCertificateIsRefused() throws Exception {
        KeyPair pair = SelfSignedCertificates.generateRsaKeyPair(2048);
        Instant past = Instant.now().minus(Duration.ofDays(40));
        X509Certificate expired = SelfSignedCertificates.createCertificate(
                pair, "CN=expired", past, past.plus(Duration.ofDays(30)), List.of());
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        SelfSignedCertificates.writeCertificatePem(cert, expired);
        SelfSignedCertificates.writePrivateKeyPem(key, pair.getPrivate());
        CredentialException e =
                assertThrows(CredentialException.class, () -> CertificateLoader.fromPem(cert, key, null, CLOCK));
        assertEquals("certificateFile", e.option());
        assertTrue(e.getMessage().contains("expired on"), e.getMessage());
    }

    @Test
    void shortKeyIsRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        KeyPair pair = g.generateKeyPair();
        X509Certificate weak = SelfSignedCertificates.createCertificate(
                pair, "CN=weak", Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)), List.of());
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        SelfSignedCertificates.writeCertificatePem(cert, weak);
        SelfSignedCertificates.writePrivateKeyPem(key, pair.getPrivate());
        CredentialException e =
                assertThrows(CredentialException.class, () -> CertificateLoader.fromPem(cert, key, null, CLOCK));
        assertEquals("privateKeyFile", e.option());
        assertTrue(e.getMessage().contains("1024 bits"), e.getMessage());
    }

    @Test
    void missingFilesAreNamed() {
        CredentialException e = assertThrows(
                CredentialException.class,
                () -> CertificateLoader.fromPem(dir.resolve("nope.pem"), dir.resolve("k.pem"), null, CLOCK));
        assertEquals("certificateFile", e.option());
        assertTrue(e.getMessage().contains("file not found"), e.getMessage());
        CredentialException k = assertThrows(
                CredentialException.class,
                () -> CertificateLoader.fromPkcs12(dir.resolve("nope.pfx"), "x".toCharArray(), null, null, CLOCK));
        assertEquals("keystoreFile", k.option());
    }

    @Test
    void aDirectoryWhereAFileBelongsIsNamedAsSuch() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("secrets"));
        CredentialException e = assertThrows(
                CredentialException.class,
                () -> CertificateLoader.fromPem(dir.resolve("secrets"), dir.resolve("k.pem"), null, CLOCK));
        assertEquals("certificateFile", e.option());
        assertEquals(
                "certificateFile: " + dir.resolve("secrets").toAbsolutePath() + " is a directory, not a file. Fix: "
                        + "name the file in it, e.g. " + dir.resolve("secrets").resolve("certificate.pem") + ".",
                e.getMessage());
        CredentialException k = assertThrows(
                CredentialException.class,
                () -> CertificateLoader.fromPkcs12(dir.resolve("secrets"), "x".toCharArray(), null, null, CLOCK));
        assertEquals("keystoreFile", k.option());
        assertTrue(k.getMessage().contains("is a directory, not a file"), k.getMessage());
    }

    @Test
    void pkcs12WithPasswordAndAlias() throws Exception {
        Path pfx = writePkcs12("right-pass", good, "app");
        ClientCertificate c = CertificateLoader.fromPkcs12(pfx, "right-pass".toCharArray(), null, null, CLOCK);
        assertEquals(good.certificate(), c.certificate());

        CredentialException wrong = assertThrows(
                CredentialException.class,
                () -> CertificateLoader.fromPkcs12(pfx, "wrong-pass".toCharArray(), null, null, CLOCK));
        assertEquals("keystorePassword", wrong.option());
        assertFalse(wrong.getMessage().contains("wrong-pass"));

        CredentialException alias = assertThrows(
                CredentialException.class,
                () -> CertificateLoader.fromPkcs12(pfx, "right-pass".toCharArray(), "missing", null, CLOCK));
        assertEquals("keystoreAlias", alias.option());
        assertTrue(alias.getMessage().contains("[app]"), alias.getMessage());
    }

    @Test
    void pkcs12WithTwoKeysNeedsAnAlias() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("one", good.privateKey(), "p".toCharArray(), new Certificate[] {good.certificate()});
        store.setKeyEntry("two", other.privateKey(), "p".toCharArray(), new Certificate[] {other.certificate()});
        Path pfx = dir.resolve("two.pfx");
        try (OutputStream out = Files.newOutputStream(pfx)) {
            store.store(out, "p".toCharArray());
        }
        CredentialException e = assertThrows(
                CredentialException.class,
                () -> CertificateLoader.fromPkcs12(pfx, "p".toCharArray(), null, null, CLOCK));
        assertEquals("keystoreAlias", e.option());
        assertEquals(
                other.certificate(),
                CertificateLoader.fromPkcs12(pfx, "p".toCharArray(), "two", null, CLOCK)
                        .certificate());
    }

    @Test
    void readsOpenSslTraditionalKeysWithBouncyCastle() throws Exception {
        Path cert = dir.resolve("c.pem");
        good.write(cert, dir.resolve("plain.pem"));
        Path plain = writeTraditional(dir.resolve("rsa.pem"), good.privateKey(), null);
        assertTrue(Files.readString(plain).contains("BEGIN RSA PRIVATE KEY"));
        assertEquals(
                good.certificate(),
                CertificateLoader.fromPem(cert, plain, null, CLOCK).certificate());

        Path encrypted = writeTraditional(dir.resolve("rsa-enc.pem"), good.privateKey(), "old-school");
        assertTrue(Files.readString(encrypted).contains("Proc-Type: 4,ENCRYPTED"));
        assertEquals(
                good.certificate(),
                CertificateLoader.fromPem(cert, encrypted, "old-school".toCharArray(), CLOCK)
                        .certificate());
        CredentialException wrong = assertThrows(
                CredentialException.class,
                () -> CertificateLoader.fromPem(cert, encrypted, "nope".toCharArray(), CLOCK));
        assertEquals("privateKeyPassword", wrong.option());
        CredentialException missing =
                assertThrows(CredentialException.class, () -> CertificateLoader.fromPem(cert, encrypted, null, CLOCK));
        assertEquals("privateKeyPassword", missing.option());
    }

    /** PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, what {@code openssl pkcs8 -topk8} of OpenSSL 3 writes. */
    static Path writeEncryptedPkcs8(Path file, PrivateKey key, String password) throws Exception {
        OutputEncryptor enc = new JceOpenSSLPKCS8EncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
                .setPRF(JcaPKCS8Generator.PRF_HMACSHA256)
                .setProvider(new BouncyCastleProvider())
                .setPassword(password.toCharArray())
                .build();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(key, enc));
        }
        return file;
    }

    /** OpenSSL's traditional PKCS#1 key ({@code openssl genrsa} of OpenSSL 1.x), encrypted when a password is given. */
    static Path writeTraditional(Path file, PrivateKey key, String password) throws Exception {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(w)) {
            if (password == null) {
                pem.writeObject(key);
            } else {
                pem.writeObject(
                        key,
                        new JcePEMEncryptorBuilder("AES-128-CBC")
                                .setProvider(new BouncyCastleProvider())
                                .build(password.toCharArray()));
            }
        }
        return file;
    }

    Path writePkcs12(String password, CertificateAndKey material, String alias) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
                alias, material.privateKey(), password.toCharArray(), new Certificate[] {material.certificate()});
        Path pfx = dir.resolve(alias + ".pfx");
        try (OutputStream out = Files.newOutputStream(pfx)) {
            store.store(out, password.toCharArray());
        }
        return pfx;
    }
}
