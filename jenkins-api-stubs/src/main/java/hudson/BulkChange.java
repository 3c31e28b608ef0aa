package hudson;

import hudson.model.Saveable;
import java.io.Closeable;
import java.io.IOException;

/** Compile-only stub of hudson.BulkChange from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public class BulkChange implements Closeable {
    public BulkChange(Saveable saveable) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public void commit() throws IOException {
        throw new UnsupportedOperationException("compile-only stub");
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public void abort() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
