package io.camelpowerbi.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The benchmarks, not part of CI; each comparison is printed as a ratio measured in the same run.
 *
 * <pre>
 * mvn -B -q -Pbench verify                              # all of them, about 5 minutes on 2 cores
 * mvn -B -q -Pbench verify -Dbench.include=push         # one: token, push, memory or ratelimit
 * mvn -B -q -Pbench verify -Dbench.include=push,ratelimit
 * </pre>
 *
 * <ul>
 * <li>{@code token} ({@link TokenCacheBenchmark}, JMH): token cache hit throughput against MSAL4J's and against a bare
 * volatile read, signing cost.</li>
 * <li>{@code push} ({@link PushBenchmark}): rows/s of a 1,000,000-row CSV through {@code powerbi:pushRows} into the
 * sandbox (limits off) against a plain HTTP loop POSTing the same rows pre-serialised; ratio target at least 0.8.</li>
 * <li>{@code memory} ({@link PushMemoryBenchmark}): a 5,000,000-row CSV pushed by a {@code -Xmx256m} JVM completes;
 * rows, duration, peak heap.</li>
 * <li>{@code ratelimit} ({@link RateLimitBenchmark}): sandbox limits on at timeScale 60, the component's limiter set
 * to the same limits; sustained throughput as a fraction of the limit (target at least 95 %) and 429s (target 0).</li>
 * </ul>
 * Generated CSV files (fixed seed) and the sandbox's state go to {@code target/bench}. Each benchmark's sizes can be
 * changed with system properties (see each class), passed to the benchmark JVM with
 * {@code -Dbench.jvmArgs="-Dbench.push.rounds=3"}. A JMH regex (e.g. {@code -Dbench.include=.*CacheHit}) selects JMH
 * benchmarks only.
 */
public final class Benchmarks {

    private static final List<String> ALL = List.of("token", "push", "memory", "ratelimit", "tables");

    private Benchmarks() {}

    public static void main(String[] args) throws Exception {
        String include = args.length > 0 && !args[0].isBlank() ? args[0] : System.getProperty("bench.include", "all");
        Set<String> selected = new LinkedHashSet<>();
        String jmhInclude = null;
        for (String item : include.split(",")) {
            String name = item.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("all") || item.trim().equals("io.camelpowerbi.bench.*")) {
                selected.addAll(ALL);
            } else if (ALL.contains(name)) {
                selected.add(name);
            } else if (name.equals("rate")) {
                selected.add("ratelimit");
            } else {
                jmhInclude = item.trim(); // a JMH regex
                selected.add("token");
            }
        }
        BenchSupport.quietLogging();
        List<String> figures = new ArrayList<>();
        for (String name : ALL) {
            if (!selected.contains(name)) {
                continue;
            }
            System.out.println();
            System.out.println("== " + name + " ==");
            long t0 = System.nanoTime();
            try {
                switch (name) {
                    case "token" ->
                        figures.addAll(jmh(jmhInclude == null ? TokenCacheBenchmark.class.getName() : jmhInclude));
                    case "push" -> figures.addAll(PushBenchmark.run());
                    case "memory" -> figures.addAll(PushMemoryBenchmark.run());
                    case "ratelimit" -> figures.addAll(RateLimitBenchmark.run());
                    case "tables" -> figures.addAll(ManyTablesBenchmark.run());
                    default -> throw new IllegalStateException(name);
                }
            } catch (Exception | Error e) {
                e.printStackTrace(System.out);
                figures.add(name + ": FAILED: " + e);
            }
            System.out.printf(Locale.ROOT, "(%s took %.0f s)%n", name, (System.nanoTime() - t0) / 1e9);
        }
        System.out.println();
        System.out.println("== camel-powerbi benchmark figures ==");
        figures.forEach(System.out::println);
    }

    /** Runs the JMH benchmarks matching {@code include} and returns their figures and ratios. */
    private static List<String> jmh(String include) throws Exception {
        Collection<RunResult> results =
                new Runner(new OptionsBuilder().include(include).build()).run();
        Map<String, Double> score = new TreeMap<>();
        Map<String, String> unit = new TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            score.put(name, r.getPrimaryResult().getScore());
            unit.put(name, r.getPrimaryResult().getScoreUnit());
        }
        List<String> figures = new ArrayList<>();
        score.forEach((k, v) -> figures.add(String.format(Locale.ROOT, "%-28s %,16.1f %s", k, v, unit.get(k))));
        ratio(
                figures,
                score,
                "camelPowerBiCacheHit",
                "msal4jCacheHit",
                "token cache hit throughput, ours / MSAL4J (4 threads; target >= 10)");
        ratio(
                figures,
                score,
                "camelPowerBiCacheHit",
                "bareVolatileRead",
                "token cache hit throughput, ours / a bare volatile read of the token (4 threads; 1.0 is the floor's speed)");
        if (score.containsKey("signOneAssertion")) {
            figures.add(
                    String.format(Locale.ROOT, "signing one assertion: %.3f ms", 1.0 / score.get("signOneAssertion")));
        }
        return figures;
    }

    static void ratio(List<String> figures, Map<String, Double> score, String ours, String baseline, String label) {
        if (score.containsKey(ours) && score.containsKey(baseline)) {
            figures.add(String.format(Locale.ROOT, "%s: %.2f", label, score.get(ours) / score.get(baseline)));
        }
    }
}
