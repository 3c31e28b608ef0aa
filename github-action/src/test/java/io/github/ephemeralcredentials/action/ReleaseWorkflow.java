package io.github.ephemeralcredentials.action;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What .github/workflows/release.yml must do, as a list of problems (empty: it does it): run on version tags only,
 * build for both runner architectures and push to ghcr.io with zstd layers, attest the provenance of the pushed digest, commit an
 * action.yml that pulls that digest (the commit step's script is run, in a throw-away repository), pin every action
 * to a commit, and ask each job for the least permissions. A checker, so that the test can show it rejects broken
 * copies of the workflow as well as accepting the real one.
 */
final class ReleaseWorkflow {

    static final Path FILE = Path.of("..", ".github", "workflows", "release.yml");
    static final String BUILD_ACTION = "docker/build-push-action";
    static final String ATTEST_ACTION = "actions/attest-build-provenance";
    static final Set<String> PLATFORMS = Set.of("linux/amd64", "linux/arm64");
    static final Map<String, String> IMAGE_JOB_PERMISSIONS = Map.of("contents", "read", "packages", "write",
            "id-token", "write", "attestations", "write");
    static final Map<String, String> COMMIT_JOB_PERMISSIONS = Map.of("contents", "write");
    /** What the build's output must set, beside its type. */
    static final String ZSTD_OUTPUT = "compression=zstd,compression-level=19,force-compression=true,oci-mediatypes=true";
    /** {@code owner/repo@<full commit SHA>}, then (on the same line) a comment naming the version. */
    private static final Pattern PINNED_USES = Pattern.compile(
            "^\\s*(?:-\\s+)?uses:\\s*[\\w.-]+/[\\w.-]+@[0-9a-f]{40}\\s+#\\s*v\\d+(\\.\\d+)*\\s*$");

    private final Map<String, Object> workflow;
    private final String text;
    private final Path scratch;
    private final List<String> problems = new ArrayList<>();

    private ReleaseWorkflow(String text, Path scratch) {
        this.text = text;
        this.scratch = scratch;
        this.workflow = map(new Load(LoadSettings.builder().build()).loadFromString(text));
    }

    /** The problems of the workflow {@code text}; {@code scratch} is an empty directory for the commit step's run. */
    static List<String> problems(String text, Path scratch) throws Exception {
        ReleaseWorkflow check = new ReleaseWorkflow(text, scratch);
        check.check();
        return check.problems;
    }

    static String text() throws IOException {
        return Files.readString(FILE);
    }

    private void check() throws Exception {
        triggers();
        pinnedActions();
        noExpressionsInScripts();
        if (!(workflow.get("permissions") instanceof Map<?, ?> top) || !top.isEmpty()) {
            problems.add("the workflow's top-level permissions must be {} (each job asks for its own)");
        }
        Map.Entry<String, Map<String, Object>> imageJob = jobWithStep(BUILD_ACTION);
        if (imageJob == null) {
            problems.add("no job builds with " + BUILD_ACTION);
            return;
        }
        Map<String, Object> build = step(imageJob.getValue(), BUILD_ACTION);
        String buildId = String.valueOf(build.get("id"));
        imageJob(imageJob.getValue(), build, buildId);
        Map.Entry<String, Map<String, Object>> commitJob = commitJob();
        if (commitJob == null) {
            problems.add("no job commits action.yml (a run step with DIGEST from the image job's outputs)");
            return;
        }
        permissions(commitJob.getKey(), commitJob.getValue(), COMMIT_JOB_PERMISSIONS);
        digestFlowsFromTheBuild(imageJob, buildId, commitJob.getValue());
        if (problems.isEmpty()) {
            // Only a workflow right so far is worth the git repositories.
            commitStepPinsTheDigest(commitJob.getValue());
        }
    }

    // ---- triggers

    private void triggers() {
        if (!(workflow.get("on") instanceof Map<?, ?> on) || !on.keySet().equals(Set.of("push"))
                || !(on.get("push") instanceof Map<?, ?> push) || !push.keySet().equals(Set.of("tags"))) {
            problems.add("the workflow must run on pushed tags only (on: push: tags:), no branch, pull request or "
                    + "other event");
            return;
        }
        List<String> patterns = strings(push.get("tags"));
        if (patterns.isEmpty()) {
            problems.add("on.push.tags lists no pattern");
        }
        for (String tag : List.of("v1.2.3", "v10.20.30", "v2.0.0-rc.1")) {
            if (patterns.stream().noneMatch(p -> globMatches(p, tag))) {
                problems.add("no tag pattern matches the version tag " + tag);
            }
        }
        for (String tag : List.of("v1", "v1.2", "main", "1.2.3", "latest", "nightly-v1.2.3")) {
            if (patterns.stream().anyMatch(p -> globMatches(p, tag))) {
                problems.add("a tag pattern matches " + tag + ", which is not a version tag (a moved major tag "
                        + "must not release)");
            }
        }
    }

    /**
     * GitHub's filter pattern, as far as release.yml's may use it (docs: "Filter pattern cheat sheet"): {@code *}
     * any characters but {@code /}, {@code **} any, {@code ?} and {@code +} zero-or-one and one-or-more of the
     * preceding character, {@code [..]} a class; anything else literal.
     */
    static boolean globMatches(String glob, String ref) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                boolean twice = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
                regex.append(twice ? ".*" : "[^/]*");
                i += twice ? 1 : 0;
            } else if (c == '?' || c == '+') {
                regex.append(c);
            } else if (c == '[') {
                int end = glob.indexOf(']', i);
                regex.append(glob, i, end + 1);
                i = end;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return ref.matches(regex.toString());
    }

    // ---- every action pinned, no expression spliced into a script

    private void pinnedActions() {
        for (String line : text.split("\n")) {
            if (line.trim().startsWith("uses:") || line.trim().startsWith("- uses:")) {
                if (!PINNED_USES.matcher(line).matches()) {
                    problems.add("not pinned to a full commit SHA with its version in a comment: " + line.trim());
                }
            }
        }
    }

    private void noExpressionsInScripts() {
        for (Map.Entry<String, Map<String, Object>> job : jobs().entrySet()) {
            for (Map<String, Object> step : steps(job.getValue())) {
                if (step.get("run") instanceof String run && run.contains("${{")) {
                    problems.add("job " + job.getKey() + " splices an expression into a run script (pass it "
                            + "through env:)");
                }
            }
        }
    }

    // ---- the image job

    private void imageJob(Map<String, Object> job, Map<String, Object> build, String buildId) {
        permissions("image", job, IMAGE_JOB_PERMISSIONS);
        List<Map<String, Object>> steps = steps(job);
        int at = steps.indexOf(build);
        for (String before : List.of("docker/setup-qemu-action", "docker/setup-buildx-action",
                "docker/login-action")) {
            int index = indexOf(steps, before);
            if (index < 0 || index > at) {
                problems.add(before + " must run before the build (QEMU for arm64, buildx for two platforms, the "
                        + "registry login for the push)");
            }
        }
        Map<String, Object> login = step(job, "docker/login-action");
        if (login != null && !"ghcr.io".equals(with(login).get("registry"))) {
            problems.add("the login must be to ghcr.io");
        }
        Map<String, Object> with = with(build);
        Set<String> platforms = new TreeSet<>();
        for (String p : String.valueOf(with.get("platforms")).split("[,\\s]+")) {
            if (!p.isBlank()) {
                platforms.add(p.trim());
            }
        }
        if (!platforms.equals(PLATFORMS)) {
            problems.add("the build's platforms must be " + PLATFORMS + ", not " + platforms);
        }
        if (!Boolean.TRUE.equals(with.get("push")) && !"true".equals(with.get("push"))) {
            problems.add("the build must push the image");
        }
        if (build.get("id") == null) {
            problems.add("the build step needs an id, for its digest output");
        }
        zstdLayers(with.get("outputs"));
        Map<String, Object> attest = step(job, ATTEST_ACTION);
        if (attest == null || steps.indexOf(attest) < at) {
            problems.add("no " + ATTEST_ACTION + " step after the build");
            return;
        }
        Map<String, Object> attestWith = with(attest);
        if (!Boolean.TRUE.equals(attestWith.get("push-to-registry"))
                && !"true".equals(attestWith.get("push-to-registry"))) {
            problems.add("the attestation must be pushed to the registry (push-to-registry: true), beside the image");
        }
        if (!expression("steps." + buildId + ".outputs.digest").equals(attestWith.get("subject-digest"))) {
            problems.add("the attestation's subject-digest must be the build's digest output, not "
                    + attestWith.get("subject-digest"));
        }
        String subject = String.valueOf(attestWith.get("subject-name"));
        List<String> tags = strings(String.valueOf(with.get("tags")).split("[,\\n]"));
        if (tags.stream().noneMatch(t -> t.trim().startsWith(subject + ":"))) {
            problems.add("the attestation's subject-name must be the pushed image's name (" + tags + "), not "
                    + subject);
        }
        boolean ghcr = subject.startsWith("ghcr.io/") || steps.stream()
                .anyMatch(s -> s.get("run") instanceof String run && run.contains("image=ghcr.io/"));
        if (!ghcr) {
            problems.add("the image must be pushed to ghcr.io");
        }
    }

    /**
     * The build's one output is the pushed image, with every layer zstd-compressed at BuildKit's best zstd encoder:
     * what github-action/bench/image-layers measures as the published pull. Its attributes are build-push-action's
     * {@code outputs} line, buildx's {@code --output} CSV ({@code key=value,...}).
     */
    private void zstdLayers(Object outputs) {
        List<String> lines = outputs == null ? List.of()
                : strings(String.valueOf(outputs).split("\n")).stream().filter(l -> !l.isBlank()).toList();
        if (lines.size() != 1) {
            problems.add("the build must have exactly one output, the image with zstd layers (outputs: type=image,"
                    + ZSTD_OUTPUT + "), not " + lines);
            return;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String pair : lines.get(0).trim().split(",")) {
            int eq = pair.indexOf('=');
            attributes.put(eq < 0 ? pair.trim() : pair.substring(0, eq).trim(),
                    eq < 0 ? "" : pair.substring(eq + 1).trim());
        }
        if (!Set.of("image", "registry").contains(attributes.get("type"))) {
            problems.add("the build's output must be the pushed image (type=image), not type=" + attributes.get("type"));
        }
        if (!"zstd".equals(attributes.get("compression"))) {
            problems.add("the image's layers must be zstd (compression=zstd): every job that uses a release pulls "
                    + "them; not compression=" + attributes.get("compression"));
        }
        if (!"true".equals(attributes.get("force-compression"))) {
            problems.add("force-compression=true is needed, or the Alpine base layer stays gzip");
        }
        if (!"true".equals(attributes.get("oci-mediatypes"))) {
            problems.add("zstd layers need oci-mediatypes=true");
        }
        String level = attributes.getOrDefault("compression-level", "");
        if (!level.matches("\\d{1,2}") || Integer.parseInt(level) < 10 || Integer.parseInt(level) > 22) {
            problems.add("compression-level must be 10 to 22, BuildKit's best zstd encoder (what the bench's "
                    + "figures are), not '" + level + "'");
        }
    }

    private void permissions(String name, Map<String, Object> job, Map<String, String> expected) {
        Object permissions = job.get("permissions");
        if (!(permissions instanceof Map<?, ?> granted) || !new LinkedHashMap<>(granted).equals(expected)) {
            problems.add("job " + name + " must ask for exactly " + expected + ", not " + permissions);
        }
    }

    // ---- the commit job

    private Map.Entry<String, Map<String, Object>> commitJob() {
        for (Map.Entry<String, Map<String, Object>> job : jobs().entrySet()) {
            if (commitStep(job.getValue()) != null) {
                return job;
            }
        }
        return null;
    }

    private static Map<String, Object> commitStep(Map<String, Object> job) {
        for (Map<String, Object> step : steps(job)) {
            if (step.get("run") instanceof String && step.get("env") instanceof Map<?, ?> env
                    && env.containsKey("DIGEST")) {
                return step;
            }
        }
        return null;
    }

    private void digestFlowsFromTheBuild(Map.Entry<String, Map<String, Object>> imageJob, String buildId,
            Map<String, Object> commitJob) {
        Map<String, Object> outputs = map(imageJob.getValue().get("outputs"));
        String digestOutput = null;
        for (Map.Entry<String, Object> output : outputs.entrySet()) {
            if (expression("steps." + buildId + ".outputs.digest").equals(output.getValue())) {
                digestOutput = output.getKey();
            }
        }
        if (digestOutput == null) {
            problems.add("the image job must output the build step's digest (steps." + buildId + ".outputs.digest)");
            return;
        }
        if (!strings(commitJob.get("needs")).contains(imageJob.getKey())) {
            problems.add("the commit job must need the image job");
        }
        Object digest = map(commitStep(commitJob).get("env")).get("DIGEST");
        if (!expression("needs." + imageJob.getKey() + ".outputs." + digestOutput).equals(digest)) {
            problems.add("the commit step's DIGEST must be needs." + imageJob.getKey() + ".outputs." + digestOutput
                    + ", not " + digest);
        }
    }

    /**
     * Runs the commit step's script as the runner would (bash, the step's environment with stand-in values) in a
     * clone of a throw-away repository holding this project's action.yml, and checks what it pushed.
     */
    private void commitStepPinsTheDigest(Map<String, Object> commitJob) throws Exception {
        String script = (String) commitStep(commitJob).get("run");
        CommitRun run = CommitRun.prepare(scratch, "v1.2.3", List.of("v1.0.0", "v1"));
        String image = "ghcr.io/octo-org/ephemeral-credentials";
        String digest = "sha256:" + "0123456789abcdef".repeat(4);
        CommitRun.Result result = run.script(script, Map.of("IMAGE", image, "DIGEST", digest, "TAG", "v1.2.3"));
        if (result.exitCode() != 0) {
            problems.add("the commit step failed on a good digest: " + result.output());
            return;
        }
        String pushed = run.originTag("v1.2.3");
        if (pushed.equals(run.taggedCommit())) {
            problems.add("the commit step did not move the release tag to a new commit");
            return;
        }
        if (!run.parentOf(pushed).equals(run.taggedCommit())) {
            problems.add("the release commit's parent must be the tagged commit the image was built from");
        }
        Map<String, Object> released = map(new Load(LoadSettings.builder().build())
                .loadFromString(run.fileAt(pushed, "action.yml")));
        Map<String, Object> original = map(new Load(LoadSettings.builder().build())
                .loadFromString(run.fileAt(run.taggedCommit(), "action.yml")));
        Object pinned = map(released.get("runs")).get("image");
        if (!("docker://" + image + "@" + digest).equals(pinned)) {
            problems.add("the released action.yml's runs.image must be docker://" + image + "@" + digest + ", not "
                    + pinned);
        }
        Map<String, Object> runs = map(original.get("runs"));
        runs.put("image", pinned);
        original.put("runs", runs);
        if (!original.equals(released)) {
            problems.add("the release commit changed more of action.yml than runs.image");
        }
        if (!pushed.equals(run.originTag("v1"))) {
            problems.add("the major tag v1 must move to the release commit");
        }
        if (!run.originBranchUnchanged()) {
            problems.add("the commit step must not push to a branch (main keeps image: Dockerfile)");
        }

        CommitRun bad = CommitRun.prepare(scratch.resolve("bad-digest"), "v1.2.3", List.of());
        CommitRun.Result refused = bad.script(script, Map.of("IMAGE", image, "DIGEST", "", "TAG", "v1.2.3"));
        if (refused.exitCode() == 0 || !bad.originTag("v1.2.3").equals(bad.taggedCommit())) {
            problems.add("the commit step must fail, pushing nothing, when the build gave no digest");
        }

        CommitRun older = CommitRun.prepare(scratch.resolve("older-patch"), "v1.2.4", List.of("v1.3.0", "v1"));
        String v1 = older.originTag("v1");
        older.script(script, Map.of("IMAGE", image, "DIGEST", digest, "TAG", "v1.2.4"));
        if (!older.originTag("v1").equals(v1)) {
            problems.add("a patch of an older minor version must not move v1 back");
        }
        CommitRun rc = CommitRun.prepare(scratch.resolve("pre-release"), "v1.3.0-rc.1", List.of("v1.2.0", "v1"));
        String v1BeforeRc = rc.originTag("v1");
        rc.script(script, Map.of("IMAGE", image, "DIGEST", digest, "TAG", "v1.3.0-rc.1"));
        if (!rc.originTag("v1").equals(v1BeforeRc)) {
            problems.add("a pre-release must not move v1");
        }
    }

    /** A bare "origin" with main and the tags, and a clone checked out at the release tag, as actions/checkout does. */
    private record CommitRun(Path origin, Path checkout, String mainHead, String taggedCommit) {

        record Result(int exitCode, String output) {
        }

        static CommitRun prepare(Path dir, String tag, List<String> existingTags) throws Exception {
            Files.createDirectories(dir);
            Path origin = dir.resolve("origin.git");
            Path work = dir.resolve("work");
            git(dir, "init", "-q", "--bare", "-b", "main", origin.toString());
            git(dir, "init", "-q", "-b", "main", work.toString());
            identity(work);
            Files.copy(Path.of("..", "action.yml"), work.resolve("action.yml"));
            git(work, "add", "action.yml");
            git(work, "commit", "-q", "-m", "older");
            for (String existing : existingTags) {
                git(work, "tag", existing);
            }
            Files.writeString(work.resolve("README"), "the release\n");
            git(work, "add", "README");
            git(work, "commit", "-q", "-m", "release");
            git(work, "tag", "-a", tag, "-m", tag);
            git(work, "remote", "add", "origin", origin.toString());
            git(work, "push", "-q", "origin", "main", "--tags");
            Path clone = dir.resolve("clone");
            git(dir, "clone", "-q", "--depth", "1", "--branch", tag, "file://" + origin, clone.toString());
            String head = git(clone, "rev-parse", "HEAD");
            return new CommitRun(origin, clone, git(origin, "rev-parse", "main"), head);
        }

        private static void identity(Path repo) throws Exception {
            git(repo, "config", "user.name", "test");
            git(repo, "config", "user.email", "test@example.com");
        }

        Result script(String script, Map<String, String> env) throws Exception {
            Path summary = checkout.resolveSibling("summary.md");
            Files.writeString(summary, "");
            ProcessBuilder builder = new ProcessBuilder("bash", "-e", "-c", script).directory(checkout.toFile())
                    .redirectErrorStream(true);
            builder.environment().putAll(env);
            builder.environment().put("GITHUB_SHA", taggedCommit);
            builder.environment().put("GITHUB_STEP_SUMMARY", summary.toString());
            builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out: " + output);
            }
            return new Result(process.exitValue(), output);
        }

        String originTag(String tag) throws Exception {
            return git(origin, "rev-parse", tag + "^{commit}");
        }

        String parentOf(String commit) throws Exception {
            return git(origin, "rev-parse", commit + "^");
        }

        String fileAt(String commit, String file) throws Exception {
            return git(origin, "show", commit + ":" + file);
        }

        boolean originBranchUnchanged() throws Exception {
            return git(origin, "rev-parse", "main").equals(mainHead)
                    && git(origin, "for-each-ref", "--format=%(refname)", "refs/heads").equals("refs/heads/main");
        }

        static String git(Path dir, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of("git"));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
            builder.environment().put("GIT_AUTHOR_NAME", "test");
            builder.environment().put("GIT_AUTHOR_EMAIL", "test@example.com");
            builder.environment().put("GIT_COMMITTER_NAME", "test");
            builder.environment().put("GIT_COMMITTER_EMAIL", "test@example.com");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("git " + args[0] + " failed: " + output);
            }
            return output;
        }
    }

    // ---- YAML helpers

    private Map<String, Map<String, Object>> jobs() {
        Map<String, Map<String, Object>> jobs = new LinkedHashMap<>();
        map(workflow.get("jobs")).forEach((name, job) -> jobs.put(name, map(job)));
        return jobs;
    }

    private Map.Entry<String, Map<String, Object>> jobWithStep(String action) {
        for (Map.Entry<String, Map<String, Object>> job : jobs().entrySet()) {
            if (step(job.getValue(), action) != null) {
                return job;
            }
        }
        return null;
    }

    private static List<Map<String, Object>> steps(Map<String, Object> job) {
        List<Map<String, Object>> steps = new ArrayList<>();
        if (job.get("steps") instanceof List<?> list) {
            list.forEach(s -> steps.add(map(s)));
        }
        return steps;
    }

    private static Map<String, Object> step(Map<String, Object> job, String action) {
        List<Map<String, Object>> steps = steps(job);
        int index = indexOf(steps, action);
        return index < 0 ? null : steps.get(index);
    }

    private static int indexOf(List<Map<String, Object>> steps, String action) {
        for (int i = 0; i < steps.size(); i++) {
            if (String.valueOf(steps.get(i).get("uses")).startsWith(action + "@")) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, Object> with(Map<String, Object> step) {
        return map(step.get("with"));
    }

    private static String expression(String body) {
        return "${{ " + body + " }}";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
    }

    private static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> strings.add(String.valueOf(v)));
        } else if (value instanceof Object[] array) {
            for (Object v : array) {
                strings.add(String.valueOf(v));
            }
        } else if (value != null) {
            strings.add(String.valueOf(value));
        }
        return strings;
    }
}
