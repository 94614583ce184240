package io.camelpowerbi.sandbox;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Power BI workspace (group) of a tenant. Members are app client ids (the sandbox's simplification of
 * "service principal added as Member or Admin"). Later endpoints hang their state (datasets, reports, ...) here.
 */
public final class Workspace {

    private final String id;
    private final String tenantId;
    private volatile String name;
    private volatile boolean onDedicatedCapacity;
    private volatile String capacityId;
    private final Set<String> members = ConcurrentHashMap.newKeySet();

    Workspace(String id, String tenantId, String name, boolean onDedicatedCapacity, String capacityId) {
        this.id = id.toLowerCase(Locale.ROOT);
        this.tenantId = tenantId;
        this.name = name;
        this.onDedicatedCapacity = onDedicatedCapacity;
        this.capacityId = capacityId;
    }

    public String id() {
        return id;
    }

    public String tenantId() {
        return tenantId;
    }

    public String name() {
        return name;
    }

    public void setName(String value) {
        name = value;
    }

    public boolean isOnDedicatedCapacity() {
        return onDedicatedCapacity;
    }

    public void setOnDedicatedCapacity(boolean value) {
        onDedicatedCapacity = value;
    }

    public String capacityId() {
        return capacityId;
    }

    public void setCapacityId(String value) {
        capacityId = value;
    }

    public boolean isReadOnly() {
        return false;
    }

    public Set<String> members() {
        return Set.copyOf(members);
    }

    public boolean isMember(String clientId) {
        return clientId != null && members.contains(clientId.toLowerCase(Locale.ROOT));
    }

    public void addMember(String clientId) {
        members.add(clientId.toLowerCase(Locale.ROOT));
    }

    public void removeMember(String clientId) {
        members.remove(clientId.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "Workspace[" + id + " '" + name + "']";
    }
}
