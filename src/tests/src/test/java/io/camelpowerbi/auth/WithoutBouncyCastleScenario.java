package io.camelpowerbi.auth;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;

/**
 * Run by {@link WithoutBouncyCastleTest} in a class loader without BouncyCastle: loads each credential kind of the
 * files that test wrote and tells, one line each, whose certificate it got or which error it raised.
 */
public final class WithoutBouncyCastleScenario implements Callable<String> {

    private final Path dir;
    private final Clock clock;

    public WithoutBouncyCastleScenario(Path dir, Instant now) {
        this.dir = dir;
        this.clock = Clock.fixed(now, ZoneOffset.UTC);
    }

    @Override
    public String call() {
        Path cert = dir.resolve("cert.pem");
        return "pkcs8: " + outcome(() -> CertificateLoader.fromPem(cert, dir.resolve("key.pem"), null, clock))
                + "\nencrypted pkcs8: "
                + outcome(() ->
                        CertificateLoader.fromPem(cert, dir.resolve("enc.pem"), "s3cret-pass".toCharArray(), clock))
                + "\npkcs12: "
                + outcome(() -> CertificateLoader.fromPkcs12(
                        dir.resolve("app.p12"), "p12-pass".toCharArray(), null, null, clock))
                + "\ntraditional: "
                + outcome(() -> CertificateLoader.fromPem(cert, dir.resolve("rsa.pem"), null, clock));
    }

    private static String outcome(Callable<ClientCertificate> load) {
        try {
            return load.call().certificate().getSubjectX500Principal().getName();
        } catch (CredentialException e) {
            return e.getMessage();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
