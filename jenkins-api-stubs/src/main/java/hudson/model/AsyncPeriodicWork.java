package hudson.model;

import java.io.IOException;

/** Compile-only stub of hudson.model.AsyncPeriodicWork from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public abstract class AsyncPeriodicWork extends PeriodicWork {
    public final String name;

    protected AsyncPeriodicWork(String name) {
        this.name = name;
    }

    protected abstract void execute(TaskListener listener) throws IOException, InterruptedException;
}
