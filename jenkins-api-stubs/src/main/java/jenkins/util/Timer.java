package jenkins.util;

import java.util.concurrent.ScheduledExecutorService;

/** Compile-only stub of jenkins.util.Timer from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public class Timer {
    public static ScheduledExecutorService get() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
