package io.github.ephemeralcredentials.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident memory now ({@code VmRSS}) and at its peak ({@code VmHWM}), from {@code /proc/PID/status}. */
record ProcessMemory(long rssKib, long hwmKib) {

    static ProcessMemory of(long pid) {
        try {
            long rss = -1;
            long hwm = -1;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kib(line);
                }
            }
            return new ProcessMemory(rss, hwm);
        } catch (IOException e) {
            return new ProcessMemory(-1, -1);
        }
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    double rssMib() {
        return rssKib / 1024.0;
    }

    double hwmMib() {
        return hwmKib / 1024.0;
    }
}
