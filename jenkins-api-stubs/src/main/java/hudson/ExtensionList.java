package hudson;

import jenkins.util.io.OnMaster;

import java.util.AbstractList;

/** Compile-only stub of hudson.ExtensionList from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public class ExtensionList<T> extends AbstractList<T> implements OnMaster {
    protected ExtensionList() {
    }

    public static <U> U lookupSingleton(Class<U> type) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    @Override
    public T get(int index) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    @Override
    public int size() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
