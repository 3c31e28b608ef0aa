package io.github.ephemeralcredentials.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.oidc.Claims;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * For every profile, the exported IAM trust policy, judged by {@link IamConditionEvaluator}, agrees with the engine
 * on every claim set: the real-shaped fixtures, the policy's own tests, and each fixture with one claim removed or
 * changed. (Against the real thing, the Ceph STS peer from the providers work enforces these statements.)
 */
class AwsExportRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIXTURES = List.of("github-push-main", "github-push-feature", "github-tag",
            "github-pull-request", "github-environment", "github-reusable-workflow", "github-immutable-ids",
            "github-self-hosted", "github-other-owner", "ghes-push-main", "jenkins-main", "jenkins-pull-request",
            "jenkins-manual");

    @Test
    void theExportedTrustPolicyAgreesWithTheEngineOnEveryClaimSet() throws Exception {
        Policy policy = PolicyLoader.load(Fixtures.path("/policy/aws-roundtrip.yaml"), Providers.descriptors());
        List<Claims> corpus = corpus();
        int allowed = 0;
        int denied = 0;
        for (String profile : policy.profiles().keySet()) {
            ExportResult export = policy.export(profile, ExportFormat.AWS, false);
            assertThat(export.warnings()).isEmpty();
            JsonNode trust = JSON.readTree(export.document());
            for (Claims claims : corpus) {
                Instant now = claims.issuedAt().orElse(Instant.EPOCH).plusSeconds(30);
                boolean engine = policy.evaluate(claims, profile, now).allowed();
                boolean iam = claims.issuer() != null && IamConditionEvaluator.allows(trust,
                        AwsTrustPolicyExport.providerPath(claims.issuer()), context(claims));
                assertThat(iam).as("profile %s, claims %s%n%s", profile, claims.toJson(), export.document())
                        .isEqualTo(engine);
                if (engine) {
                    allowed++;
                } else {
                    denied++;
                }
            }
        }
        assertThat(allowed).as("the corpus must exercise allowed decisions").isGreaterThan(10);
        assertThat(denied).as("the corpus must exercise denied decisions").isGreaterThan(100);
    }

    @Test
    void theExportHasTheDocumentedShape() throws Exception {
        Policy policy = PolicyLoader.load(Fixtures.path("/policy/aws-roundtrip.yaml"), Providers.descriptors());
        JsonNode trust = JSON.readTree(policy.export("app-main", ExportFormat.AWS, false).document());
        assertThat(trust.get("Version").asText()).isEqualTo("2012-10-17");
        JsonNode main = trust.get("Statement").get(0);
        assertThat(main.get("Sid").asText()).isEqualTo("mainorproduction");
        assertThat(main.get("Principal").get("Federated").asText())
                .isEqualTo("arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com");
        assertThat(main.get("Condition").get("StringEquals").get("token.actions.githubusercontent.com:aud").asText())
                .isEqualTo("sts.amazonaws.com");
        assertThat(main.get("Condition").get("StringNotEquals")
                .get("token.actions.githubusercontent.com:actor").asText()).isEqualTo("dependabot[bot]");
        assertThat(main.get("Condition").get("Null").get("token.actions.githubusercontent.com:actor").asText())
                .as("a negation in IAM is true for a missing key; ours is not").isEqualTo("false");
        assertThat(trust.toString()).doesNotContain("ForAllValues").doesNotContain("ForAnyValue");
        JsonNode deny = trust.get("Statement").get(2);
        assertThat(deny.get("Effect").asText()).isEqualTo("Deny");
        assertThat(trust.get("Statement").get(1).get("Principal").get("Federated").asText())
                .endsWith(":oidc-provider/github.example.com/_services/token");
    }

    @Test
    void whatIamCannotExpressFailsTheExportNamingTheCondition() {
        Policy policy = Fixtures.ciPolicy();
        assertThatThrownBy(() -> policy.export("deploy-prod", ExportFormat.AWS, false))
                .isInstanceOfSatisfying(ExportException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ExportException.Reason.NOT_EXPRESSIBLE);
                    assertThat(e.getMessage()).contains("rule 'prod-from-main-or-environment' condition ref_protected")
                            .contains("ci-policy.yaml:").contains("cannot be expressed in an AWS IAM trust policy")
                            .contains("IAM does not evaluate the claim 'ref_protected'").contains("--lossy");
                });
        assertThatThrownBy(() -> policy.export("release", ExportFormat.AWS, false))
                .hasMessageContaining("condition ref glob \"refs/tags/v*\"")
                .hasMessageContaining("IAM's * also matches '/' and ':'");
        assertThatThrownBy(() -> policy.export("ci-read", ExportFormat.AWS, false))
                .hasMessageContaining("IAM does not evaluate the claim 'job_full_name'");
        Policy regex = PolicyLoader.parseStructure("""
                version: 1
                profiles: {p: {provider: aws, maxLifetime: 15m}}
                rules:
                  - {name: r, issuer: "https://token.actions.githubusercontent.com", profiles: [p],
                     claims: {aud: sts.amazonaws.com, sub: {regex: "repo:acme/[a-z]+:ref:refs/heads/main"}}}
                """, "r.yaml");
        assertThatThrownBy(() -> regex.export("p", ExportFormat.AWS, false))
                .hasMessageContaining("regex").hasMessageContaining("IAM has no regular expressions");
    }

    @Test
    void lossyExportsABroaderFormAndListsWhatIamWillNotCheck() throws Exception {
        ExportResult r = Fixtures.ciPolicy().export("release", ExportFormat.AWS, true);
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w)
                .contains("will not check rule 'releases-from-tags' condition ref glob \"refs/tags/v*\"")
                .contains("as StringLike \"refs/tags/v*\", which also matches across '/' and ':'"));
        JsonNode trust = JSON.readTree(r.document());
        JsonNode condition = trust.get("Statement").get(0).get("Condition");
        assertThat(condition.get("StringLike").get("token.actions.githubusercontent.com:ref").asText())
                .isEqualTo("refs/tags/v*");
        assertThat(condition.get("StringEquals").get("token.actions.githubusercontent.com:repository").asText())
                .isEqualTo("acme/app");

        ExportResult dropped = Fixtures.ciPolicy().export("deploy-prod", ExportFormat.AWS, true);
        assertThat(dropped.warnings()).anySatisfy(w -> assertThat(w).contains("condition iat at most 10m")
                .contains("exported without this condition"));
        assertThat(dropped.document()).doesNotContain(":iat");
    }

    /** IAM's request context: the claims it evaluates for the token's issuer, and no others. */
    /**
     * IAM never sees a claim outside the keys it evaluates for the issuer, so a condition on one would lock everyone
     * out (Allow) or never apply (Deny): the export refuses it, naming the claim and the keys IAM has.
     */
    @Test
    void aClaimIamDoesNotEvaluateFailsTheExportAndIsDroppedWhenLossy() {
        Policy policy = PolicyLoader.parseStructure("""
                version: 1
                profiles:
                  p: {provider: aws, maxLifetime: 15m, parameters: {role-arn: "arn:aws:iam::123456789012:role/p"}}
                rules:
                  - name: hosted
                    issuer: https://token.actions.githubusercontent.com
                    profiles: [p]
                    claims: {aud: sts.amazonaws.com, repository: acme/app, runner_environment: github-hosted}
                  - name: jenkins
                    issuer: https://jenkins.example.com/ephemeral-credentials-oidc
                    profiles: [p]
                    claims: {aud: sts.amazonaws.com, job_full_name: payments/deploy}
                """, "p.yaml");
        assertThatThrownBy(() -> policy.export("p", ExportFormat.AWS, false))
                .isInstanceOfSatisfying(ExportException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ExportException.Reason.NOT_EXPRESSIBLE);
                    assertThat(e.getMessage()).contains("rule 'hosted' condition runner_environment")
                            .contains("IAM does not evaluate the claim 'runner_environment' for "
                                    + "token.actions.githubusercontent.com")
                            .contains("repository").contains("customized sub claim").contains("--lossy");
                });

        ExportResult lossy = policy.export("p", ExportFormat.AWS, true);
        assertThat(lossy.warnings()).anySatisfy(w -> assertThat(w).contains("runner_environment"))
                .anySatisfy(w -> assertThat(w).contains("IAM does not evaluate the claim 'job_full_name' for "
                        + "jenkins.example.com/ephemeral-credentials-oidc (only amr, aud, sub)"));
        assertThat(lossy.document()).contains("token.actions.githubusercontent.com:repository")
                .doesNotContain("runner_environment").doesNotContain("job_full_name");
    }

    private static Map<String, String> context(Claims claims) {
        String prefix = AwsTrustPolicyExport.providerPath(claims.issuer()) + ":";
        java.util.Set<String> evaluated = AwsTrustPolicyExport.evaluatedClaims(claims.issuer());
        Map<String, String> context = new HashMap<>();
        claims.values().forEach((k, v) -> {
            if (v != null && evaluated.contains(k)) {
                context.put(prefix + k, ClaimText.text(v));
            }
        });
        return context;
    }

    private static List<Claims> corpus() {
        List<Claims> corpus = new ArrayList<>();
        for (String name : FIXTURES) {
            Claims base = Fixtures.claims(name);
            corpus.add(base);
            for (String claim : base.values().keySet()) {
                if (claim.equals("iss")) {
                    continue;
                }
                Map<String, Object> removed = new LinkedHashMap<>(base.values());
                removed.remove(claim);
                corpus.add(Claims.of(removed));
                Map<String, Object> changed = new LinkedHashMap<>(base.values());
                changed.put(claim, "zz-changed");
                corpus.add(Claims.of(changed));
                Map<String, Object> upper = new LinkedHashMap<>(base.values());
                upper.put(claim, ClaimText.text(base.values().get(claim)).toUpperCase(java.util.Locale.ROOT));
                corpus.add(Claims.of(upper));
            }
        }
        Policy withTests = PolicyLoader.load(java.nio.file.Path.of("..", "examples", "policy.yaml"),
                Providers.descriptors());
        withTests.tests().forEach(t -> corpus.add(t.claims()));
        return corpus;
    }
}
