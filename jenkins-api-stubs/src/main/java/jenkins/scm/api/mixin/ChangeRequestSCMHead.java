package jenkins.scm.api.mixin;

import jenkins.scm.api.SCMHead;

/** Compile-only stub of jenkins.scm.api.mixin.ChangeRequestSCMHead from org.jenkins-ci.plugins:scm-api 728.vc30dcf7a_0df5: only the signatures the plugin calls. */
public interface ChangeRequestSCMHead extends SCMHeadMixin {
    String getId();

    SCMHead getTarget();
}
