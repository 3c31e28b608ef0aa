package hudson.model;

import java.io.PrintStream;
import java.io.Serializable;

/** Compile-only stub of hudson.model.TaskListener from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public interface TaskListener extends Serializable {
    PrintStream getLogger();
}
