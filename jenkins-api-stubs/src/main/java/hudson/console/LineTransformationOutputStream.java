package hudson.console;

import java.io.IOException;
import java.io.OutputStream;

/** Compile-only stub of hudson.console.LineTransformationOutputStream from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public abstract class LineTransformationOutputStream extends OutputStream {
    protected abstract void eol(byte[] b, int len) throws IOException;

    @Override
    public void write(int b) throws IOException {
        throw new UnsupportedOperationException("compile-only stub");
    }

    protected String trimEOL(String line) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public abstract static class Delegating extends LineTransformationOutputStream {
        protected final OutputStream out;

        protected Delegating(OutputStream out) {
            this.out = out;
        }
    }
}
