package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The connection file a running sandbox writes ({@code sandbox-connection.json} in its state directory) for curl,
 * MSAL, Postman and runners in other processes: where it listens and the development app's credentials. It belongs to
 * one running sandbox: written at start, removed when that sandbox stops; a second sandbox does not overwrite the file
 * of one still running ({@link #write}), and a reader can tell whether its sandbox is still there ({@link #running()}):
 * its process is alive and its port accepts connections.
 *
 * @param file    where it is
 * @param baseUrl the sandbox's base URL
 * @param pid     the process the sandbox runs in (0 when unknown: a file of an older sandbox)
 */
public record ConnectionFile(Path file, String baseUrl, long pid) {

    /** The password of the PKCS#12 trust store beside {@code tls-cert.pem}: it holds a public certificate only. */
    public static final String TRUST_STORE_PASSWORD = "changeit";

    /** The file at {@code file}, if there is one that names a sandbox. */
    public static Optional<ConnectionFile> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode json = Json.MAPPER.readTree(file.toFile());
            String baseUrl = json.path("baseUrl").asText(null);
            return baseUrl == null
                    ? Optional.empty()
                    : Optional.of(
                            new ConnectionFile(file, baseUrl, json.path("pid").asLong(0)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether the sandbox that wrote the file still runs: its process is alive and its port accepts connections. */
    public boolean running() {
        if (pid > 0 && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        URI uri = URI.create(baseUrl);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost().replace("[", "").replace("]", ""), uri.getPort()), 1000);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** E.g. {@code the sandbox at https://127.0.0.1:8443 (pid 1234)}. */
    public String describe() {
        return "the sandbox at " + baseUrl + (pid > 0 ? " (pid " + pid + ")" : "");
    }

    /**
     * Writes {@code json} (owner-only: it holds the dev secret) with this process's pid as {@code file}, unless that
     * file belongs to another sandbox that still runs.
     *
     * @throws IllegalStateException naming the running sandbox and what to do
     */
    static ConnectionFile write(Path file, ObjectNode json) throws IOException {
        String baseUrl = json.path("baseUrl").asText();
        long pid = ProcessHandle.current().pid();
        Optional<ConnectionFile> existing = read(file);
        if (existing.isPresent()
                && !existing.get().baseUrl().equals(baseUrl)
                && existing.get().running()) {
            throw new IllegalStateException(
                    file.toAbsolutePath() + " belongs to " + existing.get().describe()
                            + ", which is still running: stop it first, or give this sandbox a state directory of its own");
        }
        json.put("pid", pid);
        Pem.writeSecret(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        return new ConnectionFile(file, baseUrl, pid);
    }

    /** Removes the file if it is still this one's (another sandbox may have written it since this one's died). */
    void deleteIfOwn() {
        read(file).filter(f -> f.baseUrl().equals(baseUrl) && f.pid() == pid).ifPresent(f -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // stays behind; readers see that its sandbox is gone
            }
        });
    }
}
