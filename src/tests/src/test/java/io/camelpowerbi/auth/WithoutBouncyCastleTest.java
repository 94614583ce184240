package io.camelpowerbi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.camelpowerbi.IsolatedClassLoader;
import io.camelpowerbi.sandbox.SelfSignedCertificates;
import io.camelpowerbi.sandbox.SelfSignedCertificates.CertificateAndKey;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BouncyCastle is optional in the library's pom: an application without it loads a PEM certificate with a PKCS#8 key,
 * encrypted or not, and a PKCS#12 keystore; a key in OpenSSL's traditional format gets an error naming the
 * conversion and the dependency to add. Runs {@link WithoutBouncyCastleScenario} in a class loader that holds the test
 * class path minus BouncyCastle.
 */
class WithoutBouncyCastleTest {

    @TempDir
    Path dir;

    @Test
    void everyCredentialKindButOpenSslsTraditionalKeysLoadsWithoutBouncyCastle() throws Exception {
        CertificateAndKey material = SelfSignedCertificates.generate("CN=no-bc", 30, 2048, List.of());
        material.write(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        CertificateLoaderTest.writeEncryptedPkcs8(dir.resolve("enc.pem"), material.privateKey(), "s3cret-pass");
        CertificateLoaderTest.writeTraditional(dir.resolve("rsa.pem"), material.privateKey(), null);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
                "app", material.privateKey(), "p12-pass".toCharArray(), new Certificate[] {material.certificate()});
        try (OutputStream out = Files.newOutputStream(dir.resolve("app.p12"))) {
            store.store(out, "p12-pass".toCharArray());
        }
        Instant withinValidity =
                material.certificate().getNotBefore().toInstant().plus(Duration.ofDays(1));

        try (IsolatedClassLoader loader = IsolatedClassLoader.without("/org/bouncycastle/")) {
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("org.bouncycastle.openssl.PEMParser"));
            Callable<?> scenario = (Callable<?>) loader.loadClass(WithoutBouncyCastleScenario.class.getName())
                    .getConstructor(Path.class, Instant.class)
                    .newInstance(dir, withinValidity);
            assertEquals("""
                    pkcs8: CN=no-bc
                    encrypted pkcs8: CN=no-bc
                    pkcs12: CN=no-bc
                    traditional: privateKeyFile: %s holds a key in OpenSSL's traditional format (-----BEGIN RSA PRIVATE \
                    KEY-----), which the JDK does not read. Fix: convert it to PKCS#8 (openssl pkcs8 -topk8 -in key.pem \
                    -out key-pkcs8.pem, add -nocrypt to leave it unencrypted), or add org.bouncycastle:bcpkix-jdk18on to \
                    the application.""".formatted(dir.resolve("rsa.pem")), scenario.call());
            assertNull(
                    loader.loaded(TraditionalPemKeys.class.getName() + "$Reader"),
                    "the class that names BouncyCastle was never loaded");
        }
    }
}
