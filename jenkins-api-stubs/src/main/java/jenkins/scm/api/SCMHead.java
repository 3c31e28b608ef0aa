package jenkins.scm.api;

import hudson.ExtensionPoint;
import hudson.model.Item;
import jenkins.scm.api.mixin.SCMHeadMixin;

/** Compile-only stub of jenkins.scm.api.SCMHead from org.jenkins-ci.plugins:scm-api 728.vc30dcf7a_0df5: only the signatures the plugin calls. */
public class SCMHead implements SCMHeadMixin {
    private static final long serialVersionUID = 1L;

    public SCMHead(String name) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    @Override
    public String getName() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    @Override
    public int compareTo(SCMHead o) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public abstract static class HeadByItem implements ExtensionPoint {
        public abstract SCMHead getHead(Item item);

        public static SCMHead findHead(Item item) {
            throw new UnsupportedOperationException("compile-only stub");
        }
    }
}
