package io.camelpowerbi.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test run's contract oracle: every exchange the sandbox and the tests' WireMock servers see is checked against
 * Microsoft's contract for its service ({@link PowerBiContract}: Power BI, Fabric, OneLake) as it happens; what breaks the contract waits here until {@link ContractExtension} fails
 * the test during which it happened; the checks are counted per operation for the run's summary
 * ({@link ContractSummaryListener}). It checks only inside a JUnit run (enabled by the extension and the listener), so
 * benchmarks and child JVMs that find the observer on their class path pay nothing.
 */
public final class ContractOracle {

    private static final Logger LOG = LoggerFactory.getLogger(ContractOracle.class);

    /** Per operation: exchanges checked, requests checked, answers checked, time spent checking. */
    record Counts(LongAdder exchanges, LongAdder requests, LongAdder responses, LongAdder nanos) {
        Counts() {
            this(new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder());
        }
    }

    /** More than this between two test boundaries are counted and logged, not kept: the first ones tell enough. */
    private static final int MAX_PENDING = 50;

    private static volatile boolean enabled;
    private static final ConcurrentLinkedQueue<ContractViolation> PENDING = new ConcurrentLinkedQueue<>();
    private static final Map<String, Counts> COUNTS = new ConcurrentHashMap<>();
    private static final Map<ContractExceptions.Entry, LongAdder> EXCUSED = new ConcurrentHashMap<>();
    private static final Map<String, LongAdder> VIOLATIONS = new ConcurrentHashMap<>();
    private static final LongAdder NANOS = new LongAdder();

    private ContractOracle() {}

    /** A contract as loaded, or why it could not be. */
    private record Loading(PowerBiContract contract, RuntimeException failure) {
        static Loading of(Supplier<PowerBiContract> load) {
            try {
                return new Loading(load.get(), null);
            } catch (RuntimeException e) {
                return new Loading(null, e);
            }
        }
    }

    /** Each contract is loaded on its first call: parsing takes a moment, and runs without such calls skip it. */
    private static final class Loaded {
        static final Loading POWER_BI = Loading.of(PowerBiContract::load);
    }

    private static final class LoadedFabric {
        static final Loading FABRIC = Loading.of(PowerBiContract::loadFabric);
    }

    private static final class LoadedOneLake {
        static final Loading ONELAKE = Loading.of(PowerBiContract::loadOneLake);
    }

    static void enable() {
        enabled = true;
    }

    static boolean enabled() {
        return enabled;
    }

    /** Checks one exchange; its violations wait for {@link #drain()}. */
    static void observe(ContractExchange exchange) {
        if (!enabled) {
            return;
        }
        Loading loading;
        if (exchange.oneLake()) {
            loading = LoadedOneLake.ONELAKE;
        } else if (PowerBiContract.isPowerBiPath(exchange.rawPath())) {
            loading = Loaded.POWER_BI;
        } else if (PowerBiContract.isFabricPath(exchange.rawPath())) {
            loading = LoadedFabric.FABRIC;
        } else {
            return;
        }
        PowerBiContract contract = loading.contract();
        if (contract == null) {
            PENDING.add(new ContractViolation(
                    exchange.toString(),
                    PowerBiContract.NO_OPERATION,
                    "-",
                    "contract.load",
                    "-",
                    "the contract could not be loaded: " + loading.failure()));
            return;
        }
        long started = System.nanoTime();
        try {
            contract.check(exchange).ifPresent(check -> {
                Counts counts = COUNTS.computeIfAbsent(check.operation(), k -> new Counts());
                counts.exchanges().increment();
                counts.nanos().add(System.nanoTime() - started);
                if (check.requestChecked()) {
                    counts.requests().increment();
                }
                if (check.responseChecked()) {
                    counts.responses().increment();
                }
                check.excused()
                        .forEach(e -> EXCUSED.computeIfAbsent(e.entry(), k -> new LongAdder())
                                .increment());
                check.violations().forEach(v -> {
                    LOG.warn("contract violation: {}", v);
                    VIOLATIONS
                            .computeIfAbsent(exchange.source(), k -> new LongAdder())
                            .increment();
                    if (PENDING.size() < MAX_PENDING) {
                        PENDING.add(v);
                    }
                });
            });
        } catch (RuntimeException e) {
            PENDING.add(new ContractViolation(
                    exchange.toString(),
                    PowerBiContract.NO_OPERATION,
                    "-",
                    "contract.error",
                    "-",
                    "the validator failed: " + e));
        } finally {
            NANOS.add(System.nanoTime() - started);
        }
    }

    /** The violations seen since the last call, oldest first. */
    static List<ContractViolation> drain() {
        List<ContractViolation> out = new ArrayList<>();
        for (ContractViolation v; (v = PENDING.poll()) != null; ) {
            out.add(v);
        }
        return out;
    }

    /** Exchanges checked so far, all operations together. */
    static long exchangesChecked() {
        return COUNTS.values().stream().mapToLong(c -> c.exchanges().sum()).sum();
    }

    /** The run's summary: checks per operation, excuses used, entries that matched nothing. */
    static String summary() {
        Map<String, Counts> sorted = new TreeMap<>(COUNTS);
        long exchanges = exchangesChecked();
        long requests =
                sorted.values().stream().mapToLong(c -> c.requests().sum()).sum();
        long responses =
                sorted.values().stream().mapToLong(c -> c.responses().sum()).sum();
        StringBuilder sb = new StringBuilder();
        long violations = VIOLATIONS.values().stream().mapToLong(LongAdder::sum).sum();
        sb.append(String.format(
                "Contract oracle: %d request/response pairs checked against %s "
                        + "(%d requests sent by the component, %d answers of the sandbox), %d operations, %d violations, "
                        + "%.1f s spent checking%n",
                exchanges,
                PowerBiContract.CONTRACTS,
                requests,
                responses,
                sorted.size(),
                violations,
                NANOS.sum() / 1e9));
        if (violations > 0) {
            sb.append("violations by where they were seen (each failed its test): ")
                    .append(new TreeMap<>(VIOLATIONS))
                    .append('\n');
        }
        sb.append(String.format("%n%-52s %9s %9s %9s %9s%n", "operationId", "pairs", "requests", "answers", "ms"));
        sorted.forEach((op, c) -> sb.append(String.format(
                "%-52s %9d %9d %9d %9d%n",
                op,
                c.exchanges().sum(),
                c.requests().sum(),
                c.responses().sum(),
                c.nanos().sum() / 1_000_000)));
        if (!COUNTS.isEmpty()) {
            sb.append(String.format(
                    "%nexcuses used (exceptions.yaml: public sources; known-violations.yaml: temporary)%n"));
            for (ContractExceptions.Entry entry : ContractExceptions.load().entries()) {
                LongAdder used = EXCUSED.get(entry);
                sb.append(String.format(
                        "%7d  %s%s%n", used == null ? 0 : used.sum(), entry.temporary() ? "TEMPORARY " : "", entry));
            }
        }
        return sb.toString();
    }

    static void writeSummary(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, summary());
        } catch (IOException e) {
            LOG.warn("cannot write the contract summary to {}: {}", file, e.toString());
        }
    }
}
