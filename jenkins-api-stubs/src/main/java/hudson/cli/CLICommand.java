package hudson.cli;

import hudson.ExtensionPoint;
import java.io.PrintStream;

/** Compile-only stub of hudson.cli.CLICommand from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public abstract class CLICommand implements ExtensionPoint, Cloneable {
    public transient PrintStream stdout, stderr;

    public String getName() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public abstract String getShortDescription();

    protected abstract int run() throws Exception;
}
