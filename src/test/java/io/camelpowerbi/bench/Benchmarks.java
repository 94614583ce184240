package io.camelpowerbi.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the JMH benchmarks ({@code mvn -B -q -Pbench verify}) and prints each comparison as a ratio measured in the
 * same run. An optional argument is a regex selecting benchmarks.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        String include = args.length > 0 ? args[0] : "io.camelpowerbi.bench.*";
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(include).build()).run();
        Map<String, Double> score = new HashMap<>();
        Map<String, String> unit = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            score.put(name, r.getPrimaryResult().getScore());
            unit.put(name, r.getPrimaryResult().getScoreUnit());
        }
        System.out.println();
        System.out.println("== camel-powerbi benchmark figures ==");
        score.forEach((k, v) -> System.out.printf("%-28s %,16.1f %s%n", k, v, unit.get(k)));
        ratio(score, "camelPowerBiCacheHit", "msal4jCacheHit", "token cache hit throughput, ours / MSAL4J (4 threads; target >= 10)");
        if (score.containsKey("signOneAssertion")) {
            System.out.printf("signing one assertion: %.3f ms%n", 1.0 / score.get("signOneAssertion"));
        }
    }

    static void ratio(Map<String, Double> score, String ours, String baseline, String label) {
        if (score.containsKey(ours) && score.containsKey(baseline)) {
            System.out.printf("%s: %.1f%n", label, score.get(ours) / score.get(baseline));
        }
    }
}
