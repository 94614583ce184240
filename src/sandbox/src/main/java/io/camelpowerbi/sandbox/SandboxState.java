package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The directory the sandbox serves: tenants with their apps, credentials and workspaces. Mutable at run time, so a
 * test can disable an app, flip a tenant switch, register an expired certificate or add an app while requests run.
 */
public final class SandboxState {

    private final CopyOnWriteArrayList<Tenant> tenants = new CopyOnWriteArrayList<>();

    SandboxState() {}

    /** Builds the state from configuration; certificate files are read relative to the working directory. */
    public static SandboxState from(List<SandboxConfig.TenantConfig> tenantConfigs) throws IOException {
        SandboxState state = new SandboxState();
        for (SandboxConfig.TenantConfig config : tenantConfigs) {
            state.addTenant(config);
        }
        return state;
    }

    public List<Tenant> tenants() {
        return List.copyOf(tenants);
    }

    /** The tenant with this id (GUID) or domain name, case-insensitively. */
    public Optional<Tenant> tenant(String idOrDomain) {
        if (idOrDomain == null) {
            return Optional.empty();
        }
        for (Tenant t : tenants) {
            if (t.isNamedBy(idOrDomain)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public Tenant requireTenant(String idOrDomain) {
        return tenant(idOrDomain).orElseThrow(() -> new IllegalArgumentException("no tenant " + idOrDomain));
    }

    /** The app {@code clientId} of tenant {@code tenantIdOrDomain}. */
    public App app(String tenantIdOrDomain, String clientId) {
        return requireTenant(tenantIdOrDomain).requireApp(clientId);
    }

    /** Adds a tenant with its apps (credentials included) and workspaces. */
    public synchronized Tenant addTenant(SandboxConfig.TenantConfig config) throws IOException {
        if (tenant(config.id()).isPresent() || tenant(config.domain()).isPresent()) {
            throw new IllegalArgumentException("tenant " + config.id() + " / " + config.domain() + " already exists");
        }
        Tenant tenant =
                new Tenant(config.id(), config.domain(), config.displayName(), config.servicePrincipalsCanUseApis());
        tenant.setServicePrincipalsCanUseReadOnlyAdminApis(config.servicePrincipalsCanUseReadOnlyAdminApis());
        for (SandboxConfig.AppConfig app : config.apps()) {
            addApp(tenant, app);
        }
        for (SandboxConfig.WorkspaceConfig ws : config.workspaces()) {
            tenant.addWorkspace(ws);
        }
        tenants.add(tenant);
        return tenant;
    }

    /** Adds an app (with its configured secrets and certificates) to an existing tenant. */
    public App addApp(String tenantIdOrDomain, SandboxConfig.AppConfig config) throws IOException {
        return addApp(requireTenant(tenantIdOrDomain), config);
    }

    private static App addApp(Tenant tenant, SandboxConfig.AppConfig config) throws IOException {
        App app = tenant.addApp(config);
        for (SandboxConfig.SecretConfig secret : config.secrets()) {
            app.addSecret(secret.value(), secret.expiresAt());
        }
        for (SandboxConfig.CertificateConfig cert : config.certificates()) {
            List<X509Certificate> certs = cert.file() != null
                    ? List.of(Pem.readCertificate(Path.of(cert.file())))
                    : Pem.readCertificates(cert.pem());
            if (certs.isEmpty()) {
                throw new IOException("no certificate in the inline PEM of app " + config.clientId());
            }
            app.addCertificate(certs.get(0), cert.notBefore(), cert.notAfter());
        }
        return app;
    }

    /** Registers a certificate on an app at run time (e.g. an expired one for a test). */
    public RegisteredCertificate registerCertificate(
            String tenantIdOrDomain,
            String clientId,
            X509Certificate certificate,
            Instant notBefore,
            Instant notAfter) {
        return app(tenantIdOrDomain, clientId).addCertificate(certificate, notBefore, notAfter);
    }

    /** JSON view for {@code GET /_sandbox/state}: ids, names, switches and credential metadata, never secrets. */
    ObjectNode toJson() {
        return toJson(Instant.now());
    }

    /**
     * JSON view for {@code GET /_sandbox/state} at {@code now}: tenants, apps (credential metadata, never secrets) and
     * workspaces with their datasets (tables and row counts, refreshes, push counters), reports (exports) and imports.
     */
    ObjectNode toJson(Instant now) {
        ObjectNode root = Json.object();
        ArrayNode tenantsJson = root.putArray("tenants");
        for (Tenant t : tenants) {
            ObjectNode tj = tenantsJson.addObject();
            tj.put("id", t.id());
            tj.put("domain", t.domain());
            tj.put("displayName", t.displayName());
            tj.put("servicePrincipalsCanUseApis", t.servicePrincipalsCanUseApis());
            tj.put("servicePrincipalsCanUseReadOnlyAdminApis", t.servicePrincipalsCanUseReadOnlyAdminApis());
            ArrayNode appsJson = tj.putArray("apps");
            for (App a : t.apps()) {
                ObjectNode aj = appsJson.addObject();
                aj.put("clientId", a.clientId());
                aj.put("displayName", a.displayName());
                aj.put("objectId", a.objectId());
                aj.put("enabled", a.enabled());
                ArrayNode roles = aj.putArray("roles");
                a.roles().forEach(roles::add);
                ArrayNode secrets = aj.putArray("secrets");
                for (ClientSecret s : a.secrets()) {
                    ObjectNode sj = secrets.addObject();
                    sj.put("id", s.id());
                    sj.put(
                            "expiresAt",
                            s.expiresAt() == null ? null : s.expiresAt().toString());
                }
                ArrayNode certs = aj.putArray("certificates");
                for (RegisteredCertificate c : a.certificates()) {
                    ObjectNode cj = certs.addObject();
                    cj.put("subject", c.certificate().getSubjectX500Principal().getName());
                    cj.put("thumbprintSha1", c.thumbprints().sha1Hex());
                    cj.put("thumbprintSha256", c.thumbprints().sha256Hex());
                    cj.put("x5t", c.thumbprints().sha1Base64Url());
                    cj.put("x5tS256", c.thumbprints().sha256Base64Url());
                    cj.put("notBefore", c.notBefore().toString());
                    cj.put("notAfter", c.notAfter().toString());
                }
            }
            ArrayNode wsJson = tj.putArray("workspaces");
            for (Workspace w : t.workspaces()) {
                ObjectNode wj = wsJson.addObject();
                wj.put("id", w.id());
                wj.put("name", w.name());
                wj.put("isOnDedicatedCapacity", w.isOnDedicatedCapacity());
                if (w.capacityId() != null) {
                    wj.put("capacityId", w.capacityId());
                }
                ArrayNode members = wj.putArray("members");
                w.members().stream().sorted().forEach(members::add);
                contentJson(wj, w, now);
            }
        }
        return root;
    }

    private static void contentJson(ObjectNode wj, Workspace w, Instant now) {
        ArrayNode datasets = wj.putArray("datasets");
        for (Dataset d : w.datasets()) {
            ObjectNode dj = datasets.addObject();
            dj.put("id", d.id());
            dj.put("name", d.name());
            dj.put("push", d.isPush());
            if (d.isPush()) {
                dj.put("defaultRetentionPolicy", d.retentionPolicy());
                dj.put("defaultMode", d.defaultMode());
            }
            dj.put("published", d.isVisible(now));
            ArrayNode tables = dj.putArray("tables");
            for (PushTable t : d.tables()) {
                ObjectNode tj = tables.addObject();
                tj.put("name", t.name());
                tj.put("rowCount", t.rowCount());
                ArrayNode cols = tj.putArray("columns");
                t.columns()
                        .forEach(c -> cols.addObject()
                                .put("name", c.name())
                                .put("dataType", c.type().canonicalName()));
            }
            if (d.isPush()) {
                dj.put("postRowsRequests", d.postRowsRequestCount());
                dj.put("rowsAdded", d.rowsAddedCount());
                dj.put("pendingPostRows", d.pendingPostRows());
                dj.put("throttled", d.throttledCount());
            }
            Dataset.RefreshBehaviour behaviour = d.refreshBehaviour();
            ObjectNode bj = dj.putObject("refreshBehaviour");
            if (behaviour.duration() != null) {
                bj.put("durationSeconds", behaviour.duration().toMillis() / 1000.0);
            }
            bj.put("outcome", behaviour.outcome());
            ArrayNode refreshes = dj.putArray("refreshes");
            for (Refresh r : d.refreshes()) {
                ObjectNode rj = refreshes.addObject();
                rj.put("requestId", r.requestId());
                rj.put("id", r.id());
                rj.put("refreshType", r.refreshType());
                rj.put("status", r.status(now));
                rj.put("extendedStatus", r.extendedStatus(now));
                rj.put("startTime", Json.time(r.startTime()));
                rj.put("endTime", Json.time(r.endTime(now)));
                rj.put("inHistory", !now.isBefore(r.visibleAt()));
            }
        }
        ArrayNode reports = wj.putArray("reports");
        for (Report r : w.reports()) {
            ObjectNode rj = reports.addObject();
            rj.put("id", r.id());
            rj.put("name", r.name());
            rj.put("reportType", r.reportType());
            rj.put("datasetId", r.datasetId());
            rj.put("published", r.isVisible(now));
            ArrayNode exports = rj.putArray("exports");
            for (ExportJob e : r.exports()) {
                exports.addObject()
                        .put("id", e.id())
                        .put("format", e.format())
                        .put("status", e.status(now))
                        .put("percentComplete", e.percentComplete(now))
                        .put("fileExtension", e.fileExtension())
                        .put("createdDateTime", Json.time(e.createdAt()));
            }
        }
        ArrayNode imports = wj.putArray("imports");
        for (ImportJob i : w.imports()) {
            imports.addObject()
                    .put("id", i.id())
                    .put("name", i.name())
                    .put("importState", i.importState(now))
                    .put("fileName", i.fileName())
                    .put("fileSize", i.fileSize());
        }
    }
}
