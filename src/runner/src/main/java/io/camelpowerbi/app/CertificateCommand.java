package io.camelpowerbi.app;

import io.camelpowerbi.sandbox.SelfSignedCertificates;
import io.camelpowerbi.sandbox.SelfSignedCertificates.CertificateAndKey;
import io.camelpowerbi.sandbox.Thumbprints;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * {@code certificate create --subject CN=... --out DIR [--days N]}: a self-signed certificate and RSA-2048 key for an
 * app registration, and the thumbprints the Azure portal will show once it is uploaded.
 */
final class CertificateCommand {

    private static final String USAGE = """
            usage: certificate create --subject CN=NAME --out DIR [--days N] [--key-bits N]
              --subject CN=NAME  the certificate's subject, an X.500 name: CN=camel-powerbi, or CN=camel-powerbi,O=Contoso
              --out DIR          where to write certificate.pem and private-key.pem (never overwritten)
              --days N           validity in days (default 365)
              --key-bits N       RSA key size, at least 2048 (default 2048)""";

    private CertificateCommand() {}

    static int run(String[] args, PrintStream out) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        if (args.length == 0 || !"create".equals(args[0])) {
            out.println(USAGE);
            return 2;
        }
        String subject = null;
        Path dir = null;
        int days = 365;
        int bits = 2048;
        try {
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--subject" -> subject = args[++i];
                    case "--out" -> dir = Path.of(args[++i]);
                    case "--days" -> days = Integer.parseInt(args[++i]);
                    case "--key-bits" -> bits = Integer.parseInt(args[++i]);
                    default -> {
                        out.println("certificate create: unknown argument " + args[i] + "\n" + USAGE);
                        return 2;
                    }
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            out.println("certificate create: a value is missing or not a number\n" + USAGE);
            return 2;
        }
        if (subject == null || dir == null) {
            out.println("certificate create: --subject and --out are required\n" + USAGE);
            return 2;
        }
        String badSubject = subjectProblem(subject);
        if (badSubject != null) {
            out.println("certificate create: " + badSubject);
            return 2;
        }
        if (bits < 2048) {
            out.println("certificate create: --key-bits must be at least 2048 (Entra refuses shorter RSA keys)");
            return 2;
        }
        if (days < 1) {
            out.println("certificate create: --days " + days + " is not a validity: give the number of days the "
                    + "certificate is valid, at least 1 (default 365)");
            return 2;
        }
        Path cert = dir.resolve("certificate.pem");
        Path key = dir.resolve("private-key.pem");
        if (Files.exists(cert) || Files.exists(key)) {
            out.println("certificate create: " + dir
                    + " already holds certificate.pem or private-key.pem; not overwriting");
            return 2;
        }
        CertificateAndKey created;
        try {
            created = SelfSignedCertificates.generate(subject, days, bits, List.of());
            Files.createDirectories(dir);
            created.write(cert, key);
        } catch (IllegalArgumentException e) {
            out.println("certificate create: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            out.println("certificate create: cannot write to " + dir + ": " + e.getMessage());
            return 1;
        }
        Thumbprints t = created.thumbprints();
        out.println("Certificate: " + cert.toAbsolutePath() + "  (upload this file to the app registration)");
        out.println(
                "Private key: " + key.toAbsolutePath() + "  (unencrypted PKCS#8: keep it private, never upload it)");
        out.println("Subject:     "
                + created.certificate().getSubjectX500Principal().getName());
        out.println("Valid:       " + created.certificate().getNotBefore().toInstant() + " to "
                + created.certificate().getNotAfter().toInstant());
        out.println("Thumbprint shown by the Azure portal (SHA-1 hex): " + t.sha1Hex());
        out.println("SHA-256 hex:                                     " + t.sha256Hex());
        out.println("x5t (SHA-1 base64url):                           " + t.sha1Base64Url());
        out.println("x5t#S256 (SHA-256 base64url):                    " + t.sha256Base64Url());
        out.println();
        out.println(
                "Next: Entra admin center > App registrations > your app > Certificates & secrets > Certificates >");
        out.println("Upload certificate, then set camel.component.powerbi.certificate-file and private-key-file.");
        return 0;
    }

    /** Null when {@code subject} is an X.500 name with a CN; else what is wrong, with an example of the form. */
    static String subjectProblem(String subject) {
        String example = "e.g. --subject CN=camel-powerbi (or CN=camel-powerbi,O=Contoso)";
        X500Principal name;
        try {
            name = new X500Principal(subject);
        } catch (IllegalArgumentException e) {
            return "--subject '" + subject + "' is not an X.500 name (" + e.getMessage() + "): "
                    + (subject.contains("=") ? "" : "did you mean CN=" + subject + "? ") + example;
        }
        if (!name.getName(X500Principal.RFC2253).matches("(?i)(.*,)?CN=.+")) {
            return "--subject '" + subject + "' has no common name (CN=...): " + example;
        }
        return null;
    }
}
