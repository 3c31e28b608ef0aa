package io.github.ephemeralcredentials.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used so far (user + system, from {@code /proc/PID/stat}), so that a series can say what one
 * request costs its server in CPU: on a machine the load generator shares, that is the figure that carries over.
 */
final class ProcessCpu {

    /** {@code USER_HZ}: the unit of {@code /proc/PID/stat}'s times, 100 on every Linux architecture in use. */
    private static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** Seconds of CPU {@code pid} has used, or NaN when {@code /proc} cannot tell. */
    static double seconds(long pid) {
        // After "(comm)": state is field 3, utime field 14, stime field 15.
        return ticks("/proc/" + pid + "/stat", 11);
    }

    /**
     * Seconds of CPU this process's ended and reaped children have used (cutime + cstime): the load generator's, once
     * its run is over.
     */
    static double childrenSeconds() {
        return ticks("/proc/self/stat", 13);
    }

    private static double ticks(String stat, int index) {
        try {
            String text = Files.readString(Path.of(stat));
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[index]) + Long.parseLong(fields[index + 1])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
