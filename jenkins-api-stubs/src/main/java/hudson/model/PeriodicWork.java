package hudson.model;

import hudson.ExtensionPoint;

/** Compile-only stub of hudson.model.PeriodicWork from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public abstract class PeriodicWork implements ExtensionPoint {
    protected static final long MIN = 1000 * 60;
    protected static final long HOUR = 60 * MIN;
    protected static final long DAY = 24 * HOUR;

    public abstract long getRecurrencePeriod();

    public long getInitialDelay() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
