package io.jenkins.plugins.ephemeral_credentials.issuer;

import hudson.model.Job;
import hudson.model.Run;
import io.github.ephemeralcredentials.core.oidc.BuildFacts;
import java.util.List;
import jenkins.model.Jenkins;
import jenkins.scm.api.SCMHead;
import jenkins.scm.api.mixin.ChangeRequestSCMHead;

/**
 * A build's facts, read from Jenkins' own records of it (job, number, SCM head, causes), never from its environment
 * variables, which the build can set itself.
 */
final class BuildIdentity {

    private BuildIdentity() {
    }

    static BuildFacts of(Run<?, ?> run) {
        Job<?, ?> job = run.getParent();
        String root = Jenkins.get().getRootUrl();
        if (root == null) {
            throw new IllegalStateException("Jenkins URL is not set: set it in Manage Jenkins > System; tokens name "
                    + "the controller and the build by their URLs");
        }
        // Branch projects of a multibranch project know their head; other jobs have none.
        SCMHead head = SCMHead.HeadByItem.findHead(job);
        String project = head == null ? null : job.getParent().getFullName();
        String branch = head == null ? null : head.getName();
        String changeId = null;
        String changeTarget = null;
        if (head instanceof ChangeRequestSCMHead change) {
            changeId = change.getId();
            changeTarget = change.getTarget().getName();
        }
        List<String> causes = run.getCauses().stream().map(c -> c.getClass().getName()).toList();
        return new BuildFacts(root, job.getFullName(), project, branch, changeId, changeTarget, run.getNumber(),
                root + run.getUrl(), BuildFacts.trigger(causes), run.getExternalizableId());
    }
}
