package io.camelpowerbi.contract;

import java.nio.file.Path;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Turns the oracle on for the JUnit run and writes its summary at the end: request/response pairs checked per
 * operationId, excuses used ({@code target/contract-oracle/<contract.summary.name>.txt}, default {@code tests}).
 */
public final class ContractSummaryListener implements TestExecutionListener {

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        ContractOracle.enable();
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (ContractOracle.exchangesChecked() == 0) {
            return;
        }
        Path file = Path.of("target", "contract-oracle", System.getProperty("contract.summary.name", "tests") + ".txt");
        ContractOracle.writeSummary(file);
        String summary = ContractOracle.summary();
        System.out.println(summary.substring(0, summary.indexOf('\n')) + " (per operation: " + file + ")");
    }
}
