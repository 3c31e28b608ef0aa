package io.github.ephemeralcredentials.bench.load;

import java.util.List;

/** One server's measured series: its runs taken together, its memory after the last, and its CPU per request. */
record Series(String name, Run run, ProcessMemory memory, double cpuMicrosPerRequest) {

    /** The runs of {@code runs} as one series (see {@link Run#combined}), CPU per request over all of them. */
    static Series of(String name, List<Measured> runs, ProcessMemory memory) {
        Run run = Run.combined(runs.stream().map(Measured::run).toList());
        double cpu = runs.stream().mapToDouble(Measured::serverCpuSeconds).sum();
        return new Series(name, run, memory, cpu * 1e6 / run.requests());
    }

    String line() {
        return String.format("%-8s exchanges/s=%.0f  p50=%.2fms  p99=%.2fms  p999=%.2fms  rss=%.0fMiB  hwm=%.0fMiB"
                        + "  cpu=%.0fus/req  errors=%d", name, run.perSecond(), run.millisAt(0.5),
                run.millisAt(0.99), run.millisAt(0.999), memory.rssMib(), memory.hwmMib(), cpuMicrosPerRequest,
                run.errors());
    }
}
