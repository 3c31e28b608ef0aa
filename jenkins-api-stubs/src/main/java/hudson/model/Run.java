package hudson.model;

import jenkins.util.io.OnMaster;

import java.nio.charset.Charset;
import java.util.List;

/** Compile-only stub of hudson.model.Run from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> implements OnMaster {
    public final Charset getCharset() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public List<Cause> getCauses() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public JobT getParent() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public int getNumber() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public String getUrl() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public boolean isBuilding() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public String getExternalizableId() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
