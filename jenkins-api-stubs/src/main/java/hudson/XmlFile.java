package hudson;

import java.io.File;
import java.io.IOException;

/** Compile-only stub of hudson.XmlFile from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public final class XmlFile {
    public XmlFile(File file) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public Object unmarshal(Object o) throws IOException {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public void write(Object o) throws IOException {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public boolean exists() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
