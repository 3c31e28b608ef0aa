package hudson.model;

import java.io.IOException;

/** Compile-only stub of hudson.model.Saveable from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public interface Saveable {
    void save() throws IOException;
}
