package io.camelpowerbi.sandbox;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An app registration and its service principal in one tenant, as the sandbox holds it at run time. Tests change it
 * while the sandbox runs (disable it, add a certificate or a secret).
 */
public final class App {

    private final String tenantId;
    private final String clientId;
    private final String displayName;
    private final String objectId;
    private volatile boolean enabled;
    private volatile List<String> roles;
    private final CopyOnWriteArrayList<ClientSecret> secrets = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<RegisteredCertificate> certificates = new CopyOnWriteArrayList<>();

    App(String tenantId, String clientId, String displayName, String objectId, boolean enabled, List<String> roles) {
        this.tenantId = tenantId;
        this.clientId = clientId.toLowerCase(java.util.Locale.ROOT);
        this.displayName = displayName;
        this.objectId = objectId != null
                ? objectId
                : UUID.nameUUIDFromBytes(("sp:" + tenantId + "/" + this.clientId)
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .toString();
        this.enabled = enabled;
        this.roles = List.copyOf(roles);
    }

    public String tenantId() {
        return tenantId;
    }

    public String clientId() {
        return clientId;
    }

    public String displayName() {
        return displayName;
    }

    /** The service principal's object id: {@code oid} and {@code sub} of its tokens. */
    public String objectId() {
        return objectId;
    }

    public boolean enabled() {
        return enabled;
    }

    public void setEnabled(boolean value) {
        enabled = value;
    }

    public List<String> roles() {
        return roles;
    }

    public void setRoles(List<String> value) {
        roles = List.copyOf(value);
    }

    public List<ClientSecret> secrets() {
        return List.copyOf(secrets);
    }

    public List<RegisteredCertificate> certificates() {
        return List.copyOf(certificates);
    }

    /** Registers a client secret; returns its id (like the portal's "Secret ID", not the value). */
    public String addSecret(String value, Instant expiresAt) {
        ClientSecret secret = ClientSecret.of(UUID.randomUUID().toString(), value, expiresAt);
        secrets.add(secret);
        return secret.id();
    }

    public RegisteredCertificate addCertificate(X509Certificate certificate) {
        return addCertificate(certificate, null, null);
    }

    /** Registers a certificate with registration dates of its own (null = the certificate's dates). */
    public RegisteredCertificate addCertificate(X509Certificate certificate, Instant notBefore, Instant notAfter) {
        RegisteredCertificate registered = RegisteredCertificate.of(certificate, notBefore, notAfter);
        certificates.add(registered);
        return registered;
    }

    public boolean removeCertificate(String sha1Hex) {
        return certificates.removeIf(c -> c.thumbprints().sha1Hex().equalsIgnoreCase(sha1Hex));
    }

    public void clearSecrets() {
        secrets.clear();
    }

    @Override
    public String toString() {
        return "App[" + clientId + " '" + displayName + "' in " + tenantId + (enabled ? "" : ", disabled") + "]";
    }
}
