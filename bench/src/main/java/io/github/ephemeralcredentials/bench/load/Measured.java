package io.github.ephemeralcredentials.bench.load;

/**
 * One wrk run and the CPU its server spent during it (the load generator shares the machine's cores, so the server's
 * CPU per request is the cost that carries over to other hardware).
 */
record Measured(Run run, double serverCpuSeconds) {

    double cpuMicrosPerRequest() {
        return serverCpuSeconds * 1e6 / run.requests();
    }
}
