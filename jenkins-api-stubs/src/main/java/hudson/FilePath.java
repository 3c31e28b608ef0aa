package hudson;

import java.io.IOException;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

/** Compile-only stub of hudson.FilePath from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public final class FilePath implements SerializableOnlyOverRemoting {
    private static final long serialVersionUID = 1L;

    public String getRemote() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public String getName() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public FilePath child(String relOrAbsolute) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public void mkdirs() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public void chmod(int mask) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public void write(String content, String encoding) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public boolean delete() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public FilePath createTempFile(String prefix, String suffix) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
