package hudson.slaves;

import hudson.FilePath;

/** Compile-only stub of hudson.slaves.WorkspaceList from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public final class WorkspaceList {
    public static FilePath tempDir(FilePath ws) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
