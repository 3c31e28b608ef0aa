package hudson.model;

import java.io.PrintStream;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

/** Compile-only stub of hudson.model.TaskListener from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public interface TaskListener extends SerializableOnlyOverRemoting {
    PrintStream getLogger();
}
