package io.jenkins.plugins.ephemeral_credentials.issuer;

import hudson.model.Job;
import hudson.model.Run;
import io.github.ephemeralcredentials.core.oidc.BuildFacts;
import java.util.ArrayList;
import java.util.List;
import jenkins.scm.api.SCMHead;
import jenkins.scm.api.mixin.ChangeRequestSCMHead;

/**
 * A build's facts, read from Jenkins' own records of it (job, number, SCM head, causes), never from its environment
 * variables, which the build can set itself, and its URLs from the configured Jenkins URL.
 */
final class BuildIdentity {

    private BuildIdentity() {
    }

    static BuildFacts of(Run<?, ?> run) {
        Job<?, ?> job = run.getParent();
        // The configured URL only: getRootUrl() would fall back to a request's headers.
        String root = Issuer.configuredJenkinsUrl()
                .orElseThrow(() -> new IssuerNotConfiguredException(Messages.Issuer_NotConfigured()));
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
        List<String> causes = new ArrayList<>();
        run.getCauses().forEach(c -> causes.add(c.getClass().getName()));
        return new BuildFacts(root, job.getFullName(), project, branch, changeId, changeTarget, run.getNumber(),
                root + run.getUrl(), BuildFacts.trigger(causes), run.getExternalizableId());
    }
}
