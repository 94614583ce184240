package io.camelpowerbi.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generated key material: created on first start, reused on the next, and described by the connection file. */
class KeyMaterialTest {

    @Test
    void firstStartGeneratesAndSecondStartReuses(@TempDir Path stateDir) throws Exception {
        String sha1;
        String secret;
        String tlsSha1;
        String signingSha1;
        try (Sandbox first = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, stateDir))) {
            for (String name : List.of(
                    "dev-app-cert.pem",
                    "dev-app-key.pem",
                    "dev-app-secret.txt",
                    "tls-cert.pem",
                    "tls-key.pem",
                    "token-signing-cert.pem",
                    "token-signing-key.pem")) {
                assertTrue(Files.isRegularFile(stateDir.resolve(name)), name);
            }
            assertTrue(
                    Files.readString(first.devPrivateKeyFile()).startsWith("-----BEGIN PRIVATE KEY-----\n"),
                    "unencrypted PKCS#8");
            X509Certificate dev = first.devCertificate();
            assertEquals("RSA", dev.getPublicKey().getAlgorithm());
            assertEquals(
                    2048,
                    ((java.security.interfaces.RSAPublicKey) dev.getPublicKey())
                            .getModulus()
                            .bitLength());
            long days = Duration.between(
                            dev.getNotBefore().toInstant(), dev.getNotAfter().toInstant())
                    .toDays();
            assertEquals(365, days);
            assertEquals(dev, Pem.readCertificate(first.devCertificateFile()));
            sha1 = Thumbprints.of(dev).sha1Hex();
            secret = first.devClientSecret();
            assertEquals(40, secret.length());
            assertEquals(
                    secret,
                    Files.readString(stateDir.resolve("dev-app-secret.txt")).trim());
            tlsSha1 = Thumbprints.of(first.tlsCertificate()).sha1Hex();
            signingSha1 = Thumbprints.of(first.tokenSigningCertificate()).sha1Hex();
            assertNotEquals(sha1, tlsSha1);

            List<String> sans = new ArrayList<>();
            for (List<?> san : first.tlsCertificate().getSubjectAlternativeNames()) {
                sans.add(String.valueOf(san.get(1)));
            }
            assertTrue(sans.contains("127.0.0.1"), sans.toString());
            assertTrue(sans.contains("localhost"), sans.toString());
            assertTrue(sans.contains("0:0:0:0:0:0:0:1"), sans.toString());

            if (Pem.posix()) {
                Set<PosixFilePermission> ownerOnly =
                        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
                assertEquals(ownerOnly, Files.getPosixFilePermissions(first.devPrivateKeyFile()));
                assertEquals(ownerOnly, Files.getPosixFilePermissions(stateDir.resolve("dev-app-secret.txt")));
                assertEquals(ownerOnly, Files.getPosixFilePermissions(stateDir.resolve("tls-key.pem")));
                assertTrue(
                        Files.getPosixFilePermissions(first.tlsCertificateFile())
                                .contains(PosixFilePermission.OTHERS_READ),
                        "certificates are public");
            }

            Path connection = first.writeConnectionFile();
            assertEquals(stateDir.resolve(Sandbox.CONNECTION_FILE).toAbsolutePath(), connection.toAbsolutePath());
            JsonNode json = TestHttp.JSON.readTree(connection.toFile());
            List<String> keys = new ArrayList<>();
            json.fieldNames().forEachRemaining(keys::add);
            assertEquals(
                    List.of(
                            "baseUrl",
                            "tokenEndpoint",
                            "apiBaseUrl",
                            "clusterBaseUrl",
                            "fabricApiBaseUrl",
                            "oneLakeBaseUrl",
                            "tenantId",
                            "clientId",
                            "clientSecret",
                            "certificateFile",
                            "privateKeyFile",
                            "tlsCertificateFile",
                            "tlsTrustStoreFile",
                            "tlsTrustStorePassword",
                            "identityEndpoint",
                            "identityHeader",
                            "imdsEndpoint",
                            "pid"),
                    keys);
            assertEquals(first.baseUrl(), json.get("baseUrl").asText());
            assertEquals(first.clusterBaseUrl(), json.get("clusterBaseUrl").asText());
            assertEquals(
                    first.tokenEndpoint(Sandbox.DEV_TENANT_ID),
                    json.get("tokenEndpoint").asText());
            assertEquals(first.apiBaseUrl(), json.get("apiBaseUrl").asText());
            assertEquals(Sandbox.DEV_TENANT_ID, json.get("tenantId").asText());
            assertEquals(Sandbox.DEV_CLIENT_ID, json.get("clientId").asText());
            assertEquals(secret, json.get("clientSecret").asText());
            for (String file :
                    List.of("certificateFile", "privateKeyFile", "tlsCertificateFile", "tlsTrustStoreFile")) {
                Path p = Path.of(json.get(file).asText());
                assertTrue(p.isAbsolute(), file);
                assertTrue(Files.isRegularFile(p), file);
            }
            if (Pem.posix()) {
                assertEquals(
                        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                        Files.getPosixFilePermissions(connection));
            }
        }
        try (Sandbox second = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, stateDir))) {
            assertEquals(sha1, Thumbprints.of(second.devCertificate()).sha1Hex());
            assertEquals(secret, second.devClientSecret());
            assertEquals(tlsSha1, Thumbprints.of(second.tlsCertificate()).sha1Hex());
            assertEquals(
                    signingSha1,
                    Thumbprints.of(second.tokenSigningCertificate()).sha1Hex());
            // and the reused secret still works
            TestHttp http = new TestHttp(second);
            SandboxTestSupport.devToken(second, http);
        }
    }

    @Test
    void brokenMaterialIsRegenerated(@TempDir Path stateDir) throws Exception {
        String sha1;
        try (Sandbox first = Sandbox.start(
                SandboxConfig.defaults().with(SandboxConfig::stateDir, stateDir).with(SandboxConfig::https, false))) {
            sha1 = Thumbprints.of(first.devCertificate()).sha1Hex();
            assertTrue(first.baseUrl().startsWith("http://127.0.0.1:"));
        }
        // a key that does not belong to the certificate
        Files.copy(
                stateDir.resolve("tls-key.pem"),
                stateDir.resolve("dev-app-key.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (Sandbox second = Sandbox.start(
                SandboxConfig.defaults().with(SandboxConfig::stateDir, stateDir).with(SandboxConfig::https, false))) {
            assertNotEquals(sha1, Thumbprints.of(second.devCertificate()).sha1Hex());
            assertEquals(
                    second.devCertificate().getPublicKey(),
                    Pem.readCertificate(second.devCertificateFile()).getPublicKey());
        }
    }

    @Test
    void selfSignedCertificatesAndThumbprints(@TempDir Path dir) throws Exception {
        SelfSignedCertificates.CertificateAndKey generated = SelfSignedCertificates.generate(
                "CN=powerbi-etl, O=Example", 30, 3072, List.of("etl.example.com", "10.0.0.1"));
        X509Certificate cert = generated.certificate();
        assertEquals("CN=powerbi-etl,O=Example", cert.getSubjectX500Principal().getName());
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        cert.verify(cert.getPublicKey());
        assertEquals(3, cert.getVersion());
        assertEquals(
                3072,
                ((java.security.interfaces.RSAPublicKey) cert.getPublicKey())
                        .getModulus()
                        .bitLength());
        Iterator<List<?>> sans = cert.getSubjectAlternativeNames().iterator();
        assertEquals(List.of(2, "etl.example.com"), sans.next());
        assertEquals(List.of(7, "10.0.0.1"), sans.next());

        Thumbprints t = generated.thumbprints();
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(cert.getEncoded());
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        assertEquals(HexFormat.of().withUpperCase().formatHex(sha1), t.sha1Hex());
        assertEquals(HexFormat.of().withUpperCase().formatHex(sha256), t.sha256Hex());
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(sha1), t.sha1Base64Url());
        assertEquals(27, t.sha1Base64Url().length());
        assertEquals(43, t.sha256Base64Url().length());

        generated.write(dir.resolve("c.pem"), dir.resolve("k.pem"));
        assertEquals(cert, Pem.readCertificate(dir.resolve("c.pem")));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(Pem.readPrivateKey(dir.resolve("k.pem")));
        signer.update("x".getBytes(StandardCharsets.UTF_8));
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update("x".getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(signer.sign()));
        assertFalse(generated.toString().contains("PRIVATE"), "toString never shows the key");

        Instant from = Instant.parse("2020-01-01T00:00:00Z");
        X509Certificate old = SelfSignedCertificates.createCertificate(
                SelfSignedCertificates.generateRsaKeyPair(2048),
                "CN=old",
                from,
                from.plus(Duration.ofDays(10)),
                List.of());
        assertEquals(from, old.getNotBefore().toInstant());
    }

    @Test
    void readsPkcs1Keys(@TempDir Path dir) throws Exception {
        KeyPair pair = SelfSignedCertificates.generateRsaKeyPair(2048);
        Path file = dir.resolve("rsa.pem");
        // PKCS#1 "RSA PRIVATE KEY", as openssl genrsa used to write
        byte[] pkcs1 = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded())
                .parsePrivateKey()
                .toASN1Primitive()
                .getEncoded();
        Files.writeString(
                file,
                "-----BEGIN RSA PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(pkcs1)
                        + "\n-----END RSA PRIVATE KEY-----\n");
        assertTrue(Files.readString(file).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertEquals(pair.getPrivate(), Pem.readPrivateKey(file));
    }
}
