package hudson.model;

import java.util.concurrent.ExecutorService;

/**
 * Compile-only stub of hudson.model.Computer from org.jenkins-ci.main:jenkins-core 2.541.3: only the member the plugin
 * uses (the real class is an {@code Actionable} with much more). {@link #threadPoolForRemoting} is core's unbounded
 * pool for blocking I/O off request and CPS threads.
 */
public abstract class Computer {
    public static final ExecutorService threadPoolForRemoting = null;

    protected Computer() {
    }
}
