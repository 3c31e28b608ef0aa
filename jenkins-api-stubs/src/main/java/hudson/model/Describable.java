package hudson.model;

/** Compile-only stub of hudson.model.Describable from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public interface Describable<T extends Describable<T>> {
    default Descriptor<T> getDescriptor() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
