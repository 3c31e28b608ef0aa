package hudson.util;

import java.io.IOException;
import java.util.Collection;
import org.kohsuke.stapler.HttpResponse;

/** Compile-only stub of hudson.util.FormValidation from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public abstract class FormValidation extends IOException implements HttpResponse {
    private static final long serialVersionUID = 1L;

    private FormValidation() {
    }

    public static FormValidation error(String message) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static FormValidation warning(String message) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static FormValidation ok(String message) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static FormValidation ok() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static FormValidation aggregate(Collection<FormValidation> validations) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
