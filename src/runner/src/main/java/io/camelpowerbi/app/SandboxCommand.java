package io.camelpowerbi.app;

import io.camelpowerbi.sandbox.ConnectionFile;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar camel-powerbi.jar sandbox [--config FILE] [--port N] [--http] [--state-dir DIR]}: runs the sandbox
 * in the foreground until Ctrl-C, after printing where it listens and where its connection file is.
 */
public final class SandboxCommand {

    static final String USAGE = String.join(
            "\n",
            "Usage: camel-powerbi sandbox [--config FILE] [--port N] [--http] [--state-dir DIR]",
            "",
            "Runs a local emulator of the Entra ID token endpoint and the Power BI REST API.",
            "",
            "  --config FILE     sandbox configuration (YAML or JSON), e.g. config/sandbox.yaml",
            "  --port N          port to listen on (default: from the configuration, 0 = any free port)",
            "  --http            plain HTTP instead of HTTPS",
            "  --state-dir DIR   where key material and the connection file live (default: data/sandbox)",
            "  --help            this text",
            "",
            "The connection file (sandbox-connection.json in the state directory) holds the base URL, token",
            "endpoint, API base URL, dev tenant and client ids, client secret, certificate and trust store paths",
            "and the process id; it is removed when the sandbox stops. A second sandbox with the same state",
            "directory refuses to overwrite the file of one still running. Stop with Ctrl-C.");

    private SandboxCommand() {}

    public static int run(String[] args) {
        return run(args, System.out, System.err, true);
    }

    /** {@code block=false} returns right after start (for tests); the caller then owns nothing to close. */
    static int run(String[] args, PrintStream out, PrintStream err, boolean block) {
        SandboxConfig config;
        try {
            Options options = Options.parse(args);
            if (options.help) {
                out.println(USAGE);
                return 0;
            }
            config = options.config();
        } catch (IllegalArgumentException e) {
            err.println("sandbox: " + e.getMessage());
            err.println("Try 'camel-powerbi sandbox --help'.");
            return 2;
        } catch (IOException e) {
            err.println("sandbox: " + e.getMessage());
            return 2;
        }

        Sandbox sandbox;
        try {
            sandbox = Sandbox.start(config);
        } catch (BindException e) {
            err.println("sandbox: cannot start: " + e.getMessage());
            err.println("Stop what listens there, or choose another port: --port N (0 = any free port).");
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("sandbox: cannot start: " + e.getMessage());
            return 1;
        }
        Path connectionFile;
        try {
            connectionFile = sandbox.writeConnectionFile();
        } catch (IOException | RuntimeException e) {
            sandbox.close();
            err.println("sandbox: " + e.getMessage());
            return 1;
        }
        out.println("Sandbox running at " + sandbox.baseUrl());
        out.println("  token endpoint   " + sandbox.tokenEndpoint(sandbox.devTenantId()));
        out.println("  API base URL     " + sandbox.apiBaseUrl() + "   (the component's apiBaseUrl; REST calls go to "
                + sandbox.apiBaseUrl() + "/v1.0/myorg/...)");
        out.println("  tenant id        " + sandbox.devTenantId());
        out.println("  client id        " + sandbox.devClientId());
        out.println("  connection file  " + connectionFile.toAbsolutePath() + "   (removed when the sandbox stops)");
        if (config.https()) {
            out.println("  TLS certificate  " + sandbox.tlsCertificateFile().toAbsolutePath());
            out.println("  TLS trust store  " + sandbox.tlsTrustStoreFile().toAbsolutePath() + "   (PKCS#12, password "
                    + ConnectionFile.TRUST_STORE_PASSWORD + ")");
        }
        if (!block) {
            sandbox.close();
            return 0;
        }
        out.println("Press Ctrl-C to stop.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            sandbox.close();
                            stopped.countDown();
                        },
                        "sandbox-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sandbox.close();
        }
        return 0;
    }

    /** Parsed command line. */
    static final class Options {
        Path configFile;
        Integer port;
        boolean http;
        Path stateDir;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> o.help = true;
                    case "--http" -> o.http = true;
                    case "--config" -> o.configFile = Path.of(value(args, ++i, arg));
                    case "--state-dir" -> o.stateDir = Path.of(value(args, ++i, arg));
                    case "--port" -> {
                        String v = value(args, ++i, arg);
                        try {
                            o.port = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--port needs a number, not '" + v + "'");
                        }
                        if (o.port < 0 || o.port > 65535) {
                            throw new IllegalArgumentException("--port must be within 0..65535: " + o.port);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        SandboxConfig config() throws IOException {
            SandboxConfig config;
            if (configFile != null) {
                if (!Files.isRegularFile(configFile)) {
                    throw new IllegalArgumentException("configuration file not found: " + configFile);
                }
                config = SandboxConfig.load(configFile);
            } else {
                config = SandboxConfig.defaults();
            }
            if (port != null) {
                config = config.with(SandboxConfig::port, port);
            }
            if (http) {
                config = config.with(SandboxConfig::https, false);
            }
            if (stateDir != null) {
                config = config.with(SandboxConfig::stateDir, stateDir);
            }
            return config;
        }
    }
}
