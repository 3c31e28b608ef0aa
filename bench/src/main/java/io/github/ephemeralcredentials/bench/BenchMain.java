package io.github.ephemeralcredentials.bench;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the JMH benchmarks and prints, for every benchmark method named {@code ours_X} that has a twin
 * {@code baseline_X} in the same class, the ratio of their scores: that ratio is what our targets are stated in,
 * because absolute times differ from machine to machine.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        String[] jmhArgs = args.length == 1 ? args[0].trim().split("\\s+") : args;
        Collection<RunResult> results = new Runner(new CommandLineOptions(jmhArgs)).run();
        Map<String, Double> scores = new TreeMap<>();
        Map<String, String> units = new TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            String params = r.getParams().getParamsKeys().stream()
                    .map(k -> k + "=" + r.getParams().getParam(k)).reduce("", (a, b) -> a + "," + b);
            scores.put(name + params, r.getPrimaryResult().getScore());
            units.put(name + params, r.getPrimaryResult().getScoreUnit());
        }
        System.out.println();
        System.out.println("== Ephemeral Credentials benchmark summary ==");
        scores.forEach((name, score) -> System.out.printf("%-90s %12.3f %s%n", name, score, units.get(name)));
        System.out.println();
        scores.forEach((name, score) -> {
            int dot = name.lastIndexOf('.');
            String method = name.substring(dot + 1);
            if (method.startsWith("ours_")) {
                String twin = name.substring(0, dot + 1) + "baseline_" + method.substring("ours_".length());
                Double base = scores.get(twin);
                if (base != null) {
                    System.out.printf("RATIO %s / %s = %.2fx%n", name.substring(dot + 1), twin.substring(dot + 1), score / base);
                }
            }
        });
    }
}
