package jenkins.scm.api.mixin;

import java.io.Serializable;
import jenkins.scm.api.SCMHead;

/** Compile-only stub of jenkins.scm.api.mixin.SCMHeadMixin from org.jenkins-ci.plugins:scm-api 728.vc30dcf7a_0df5: only the signatures the plugin calls. */
public interface SCMHeadMixin extends Comparable<SCMHead>, Serializable {
    String getName();
}
