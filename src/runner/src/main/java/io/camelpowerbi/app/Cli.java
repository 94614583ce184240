package io.camelpowerbi.app;

import java.io.PrintStream;
import java.util.Arrays;

/** {@code java -jar target/camel-powerbi.jar COMMAND}: the runner's commands. */
public final class Cli {

    private static final String USAGE = """
            usage: java -jar target/camel-powerbi.jar COMMAND [OPTIONS]

            commands:
              run [--forever] [--config FILE] [--key=value ...] [ROUTE-FILE-OR-FOLDER ...]
                         your route files or folders (exactly those routes), or without any the sample
                         routes of routes/ with config/application.properties,
                         against the in-process sandbox unless configured otherwise
              doctor [--config FILE] [--print-assertion] [--json]
                         check the credential, token and API access step by step (default: against the sandbox)
              sandbox [--config FILE] [--port N] [--http] [--state-dir DIR]
                         start the local Entra ID and Power BI emulator in the foreground
              certificate create --subject CN=NAME --out DIR [--days N] [--key-bits N]
                         create a self-signed certificate and key for an app registration

            COMMAND --help shows a command's options.
            """;

    private Cli() {}

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:camel-powerbi-runner-log4j2.xml");
        }
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        if (args.length == 0) {
            return Runner.run(args, out);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "run" -> Runner.run(rest, out);
            case "doctor" -> Doctor.run(rest, out);
            case "sandbox" -> SandboxCommand.run(rest);
            case "certificate" -> CertificateCommand.run(rest, out);
            case "--help", "-h", "help" -> {
                out.print(USAGE);
                yield 0;
            }
            default -> {
                out.print("unknown command: " + args[0] + "\n" + USAGE);
                yield 2;
            }
        };
    }
}
