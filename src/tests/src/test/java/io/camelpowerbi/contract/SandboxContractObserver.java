package io.camelpowerbi.contract;

import io.camelpowerbi.sandbox.ObservedExchange;
import io.camelpowerbi.sandbox.SandboxObserver;

/**
 * Puts every sandbox of the test run under the contract: found by {@link java.util.ServiceLoader} when a sandbox
 * starts (test classpath: {@code META-INF/services/io.camelpowerbi.sandbox.SandboxObserver}), so no test has to
 * install it. Requests are checked when the component sent them (its User-Agent); the sandbox's answers always,
 * except those a test's fault rule made.
 */
public final class SandboxContractObserver implements SandboxObserver {

    @Override
    public void exchanged(ObservedExchange e) {
        if (!ContractOracle.enabled()) {
            return;
        }
        ContractOracle.observe(new ContractExchange(
                "sandbox",
                e.method(),
                e.path(),
                e.rawQuery(),
                e.requestHeaders(),
                e.requestBody(),
                e.status(),
                e.responseHeaders(),
                e.responseBody(),
                ContractExchange.sentByComponent(e.requestHeaders()),
                e.faultRuleId() == null,
                e.service()));
    }
}
