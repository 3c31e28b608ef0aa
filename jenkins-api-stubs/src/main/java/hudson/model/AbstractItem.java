package hudson.model;

/** Compile-only stub of hudson.model.AbstractItem from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public abstract class AbstractItem implements Item {
    @Override
    @SuppressWarnings("rawtypes")
    public ItemGroup getParent() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    @Override
    public final String getFullName() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
