package io.camelpowerbi.contract;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * Fails the test during which a request or an answer broke Microsoft's contract (Power BI, Fabric, OneLake), naming the operation, the field and
 * the rule. Registered for every test of the suite by JUnit's extension auto-detection
 * ({@code junit-platform.properties}, {@code META-INF/services/org.junit.jupiter.api.extension.Extension}).
 */
public final class ContractExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        ContractOracle.enable();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        fail(ContractOracle.drain(), "before this test started (class setup, or background work of an earlier test)");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        fail(ContractOracle.drain(), "during this test");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        fail(ContractOracle.drain(), "after the last test of this class (class teardown or background work)");
    }

    private static void fail(List<ContractViolation> violations, String when) {
        if (violations.isEmpty()) {
            return;
        }
        throw new AssertionFailedError(violations.size() + " exchange(s) " + when
                + " broke Microsoft's contract (src/tests/src/test/resources/contract; an exception needs a public source in"
                + " exceptions.yaml):\n"
                + violations.stream().map(v -> "  - " + v).collect(Collectors.joining("\n")));
    }
}
