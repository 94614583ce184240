package io.camelpowerbi.sandbox;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A tenant (directory) with its apps, its Power BI workspaces and its Power BI tenant settings. */
public final class Tenant {

    private final String id;
    private final String domain;
    private final String displayName;
    private volatile boolean servicePrincipalsCanUseApis;
    private volatile boolean servicePrincipalsCanUseReadOnlyAdminApis = true;
    private volatile boolean oneLakeExternalApps = true;
    private final Map<String, App> apps = new ConcurrentHashMap<>();
    // workspaces keep insertion order: listings (GET groups) show them in the order they were configured
    private final Map<String, Workspace> workspaces =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());

    Tenant(String id, String domain, String displayName, boolean servicePrincipalsCanUseApis) {
        this.id = id.toLowerCase(Locale.ROOT);
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.displayName = displayName;
        this.servicePrincipalsCanUseApis = servicePrincipalsCanUseApis;
    }

    public String id() {
        return id;
    }

    public String domain() {
        return domain;
    }

    public String displayName() {
        return displayName;
    }

    /** The Power BI tenant setting "Service principals can use Fabric APIs". */
    public boolean servicePrincipalsCanUseApis() {
        return servicePrincipalsCanUseApis;
    }

    public void setServicePrincipalsCanUseApis(boolean value) {
        servicePrincipalsCanUseApis = value;
    }

    /** The Power BI tenant setting "Allow service principals to use read-only admin APIs" (the admin endpoints). */
    public boolean servicePrincipalsCanUseReadOnlyAdminApis() {
        return servicePrincipalsCanUseReadOnlyAdminApis;
    }

    public void setServicePrincipalsCanUseReadOnlyAdminApis(boolean value) {
        servicePrincipalsCanUseReadOnlyAdminApis = value;
    }

    /** The Fabric tenant setting "Users can access data stored in OneLake with apps external to Fabric" (default on). */
    public boolean oneLakeExternalApps() {
        return oneLakeExternalApps;
    }

    public void setOneLakeExternalApps(boolean value) {
        oneLakeExternalApps = value;
    }

    public Optional<App> app(String clientId) {
        return clientId == null ? Optional.empty() : Optional.ofNullable(apps.get(clientId.toLowerCase(Locale.ROOT)));
    }

    public App requireApp(String clientId) {
        return app(clientId).orElseThrow(() -> new IllegalArgumentException("no app " + clientId + " in tenant " + id));
    }

    public Collection<App> apps() {
        return List.copyOf(apps.values());
    }

    public App addApp(SandboxConfig.AppConfig config) {
        App app = new App(
                id, config.clientId(), config.displayName(), config.objectId(), config.enabled(), config.roles());
        if (apps.putIfAbsent(app.clientId(), app) != null) {
            throw new IllegalArgumentException("app " + config.clientId() + " already exists in tenant " + id);
        }
        return app;
    }

    public Optional<Workspace> workspace(String workspaceId) {
        return workspaceId == null
                ? Optional.empty()
                : Optional.ofNullable(workspaces.get(workspaceId.toLowerCase(Locale.ROOT)));
    }

    /** Workspaces in the order they were added. */
    public List<Workspace> workspaces() {
        synchronized (workspaces) {
            return List.copyOf(workspaces.values());
        }
    }

    public Workspace addWorkspace(SandboxConfig.WorkspaceConfig config) {
        Workspace workspace =
                new Workspace(config.id(), id, config.name(), config.isOnDedicatedCapacity(), config.capacityId());
        config.members().forEach(workspace::addMember);
        workspace.seed(config);
        synchronized (workspaces) {
            if (workspaces.containsKey(workspace.id())) {
                throw new IllegalArgumentException("workspace " + config.id() + " already exists in tenant " + id);
            }
            workspaces.put(workspace.id(), workspace);
        }
        return workspace;
    }

    public boolean removeWorkspace(String workspaceId) {
        return workspaces.remove(workspaceId.toLowerCase(Locale.ROOT)) != null;
    }

    /** True if {@code segment} (a token-endpoint path segment) names this tenant by id or domain. */
    public boolean isNamedBy(String segment) {
        return segment != null && (id.equalsIgnoreCase(segment) || domain.equalsIgnoreCase(segment));
    }

    @Override
    public String toString() {
        return "Tenant[" + id + " " + domain + "]";
    }
}
