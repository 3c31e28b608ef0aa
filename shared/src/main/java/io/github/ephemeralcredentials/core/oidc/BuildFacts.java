package io.github.ephemeralcredentials.core.oidc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a CI controller that signs its own tokens (our Jenkins plugin) knows about one build, and the claims it signs
 * from them. Every fact must come from the controller's own records of the build (its job, number, SCM head and
 * causes), never from the build's environment variables: a build can set those itself.
 *
 * @param ciUrl         the controller's root URL ({@code jenkins_url})
 * @param jobFullName   the job's full name, e.g. {@code team/deploy} or {@code team/repo/PR-12}
 * @param project       for a multibranch branch job, the full name of the multibranch project ({@code team/repo});
 *                      {@code null} for other jobs
 * @param branch        for a multibranch branch job, the SCM head name ({@code main}, {@code PR-12}); else {@code null}
 * @param changeId      for a change request (pull request), its id ({@code 12}); else {@code null}
 * @param changeTarget  for a change request, the branch it targets ({@code main}); else {@code null}
 * @param buildNumber   the build number, 1 or more
 * @param buildUrl      the build's absolute URL
 * @param trigger       what started the build, see {@link #trigger(List)}
 * @param runId         the build's id that stays unique across jobs ({@code team/deploy#42})
 */
public record BuildFacts(String ciUrl, String jobFullName, String project, String branch, String changeId,
                         String changeTarget, long buildNumber, String buildUrl, String trigger, String runId) {

    public static final String JENKINS_URL = "jenkins_url";
    public static final String JOB_FULL_NAME = "job_full_name";
    public static final String BUILD_NUMBER = "build_number";
    public static final String BUILD_URL = "build_url";
    public static final String BRANCH = "branch";
    public static final String CHANGE_ID = "change_id";
    public static final String CHANGE_TARGET = "change_target";
    public static final String TRIGGER = "trigger";
    public static final String RUN_ID = "run_id";

    /** Causes that are not the first one listed but must decide {@code trigger}: a replay runs edited code. */
    private static final Map<String, String> TRIGGERS = Map.ofEntries(
            Map.entry("org.jenkinsci.plugins.workflow.cps.replay.ReplayCause", "replay"),
            Map.entry("hudson.model.Cause$UserIdCause", "user"),
            Map.entry("hudson.model.Cause$UserCause", "user"),
            Map.entry("hudson.model.Cause$UpstreamCause", "upstream"),
            Map.entry("hudson.model.Cause$RemoteCause", "remote"),
            Map.entry("hudson.triggers.TimerTrigger$TimerTriggerCause", "timer"),
            Map.entry("hudson.triggers.SCMTrigger$SCMTriggerCause", "scm"),
            Map.entry("jenkins.branch.BranchIndexingCause", "branch-indexing"),
            Map.entry("jenkins.branch.BranchEventCause", "branch-event"));

    public BuildFacts {
        requireText(ciUrl, "ciUrl", "set the Jenkins URL in Manage Jenkins > System");
        requireText(jobFullName, "jobFullName", null);
        requireText(buildUrl, "buildUrl", null);
        requireText(runId, "runId", null);
        requireText(trigger, "trigger", null);
        if (buildNumber < 1) {
            throw new IllegalArgumentException("build number must be 1 or more, got " + buildNumber);
        }
        if ((project == null) != (branch == null)) {
            throw new IllegalArgumentException("a multibranch build needs both its project and its branch; got project="
                    + project + ", branch=" + branch);
        }
        if (changeId != null && branch == null) {
            throw new IllegalArgumentException("change " + changeId + " has no branch: change requests come from multibranch projects");
        }
        if ((changeId == null) != (changeTarget == null)) {
            throw new IllegalArgumentException("a change request needs both its id and its target; got change_id="
                    + changeId + ", change_target=" + changeTarget);
        }
    }

    /**
     * {@code sub}: {@code job:<job full name>}, or for a multibranch build {@code job:<project>:branch:<branch>}, so a
     * policy can tell {@code job:team/repo:branch:main} from a pull request's {@code job:team/repo:branch:PR-12} with
     * one exact pattern and no URL-encoded branch names.
     */
    public String subject() {
        return branch == null ? "job:" + jobFullName : "job:" + project + ":branch:" + branch;
    }

    /** The claims besides the registered ones ({@code sub}, {@code aud}, ... are set by the issuer). */
    public Map<String, Object> claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put(JENKINS_URL, ciUrl);
        claims.put(JOB_FULL_NAME, jobFullName);
        claims.put(BUILD_NUMBER, buildNumber);
        claims.put(BUILD_URL, buildUrl);
        claims.put(RUN_ID, runId);
        claims.put(TRIGGER, trigger);
        if (branch != null) {
            claims.put(BRANCH, branch);
        }
        if (changeId != null) {
            claims.put(CHANGE_ID, changeId);
            claims.put(CHANGE_TARGET, changeTarget);
        }
        return claims;
    }

    /**
     * {@code trigger} from the class names of a build's causes, in the order the build lists them: {@code replay}
     * whenever any cause is a replay (the build runs code that was edited in the browser, not the reviewed code),
     * else the first cause's short name ({@code user}, {@code timer}, {@code scm}, {@code upstream}, {@code remote},
     * {@code branch-indexing}, {@code branch-event}), else the first cause's simple class name, else {@code unknown}.
     */
    public static String trigger(List<String> causeClassNames) {
        if (causeClassNames.stream().anyMatch(c -> "replay".equals(TRIGGERS.get(c)))) {
            return "replay";
        }
        return causeClassNames.stream().findFirst().map(BuildFacts::shortName).orElse("unknown");
    }

    private static String shortName(String className) {
        String known = TRIGGERS.get(className);
        if (known != null) {
            return known;
        }
        int cut = Math.max(className.lastIndexOf('.'), className.lastIndexOf('$'));
        return className.substring(cut + 1);
    }

    private static void requireText(String value, String name, String hint) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is missing" + (hint == null ? "" : "; " + hint));
        }
    }
}
