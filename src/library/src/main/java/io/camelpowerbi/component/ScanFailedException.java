package io.camelpowerbi.component;

import io.camelpowerbi.CamelPowerBiException;
import java.util.List;

/**
 * A {@code getInfo} scan of the {@code powerbi:scan} consumer ended {@code Failed} or did not succeed within
 * {@code scanTimeout}. It is handed to the consumer's exception handler; its workspaces are scanned again on the next
 * poll, and the run's checkpoint does not move until they were delivered.
 */
public class ScanFailedException extends CamelPowerBiException {

    private final String scanId;
    private final List<String> workspaceIds;

    public ScanFailedException(String scanId, List<String> workspaceIds, String reason) {
        super("scan " + scanId + " of " + workspaceIds.size() + " workspaces " + reason + "; they are scanned again on"
                + " the next poll. Workspaces: " + String.join(", ", workspaceIds));
        this.scanId = scanId;
        this.workspaceIds = List.copyOf(workspaceIds);
    }

    public String scanId() {
        return scanId;
    }

    public List<String> workspaceIds() {
        return workspaceIds;
    }
}
