package io.github.ephemeralcredentials.core.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenIssuerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    private final KeyRing ring = KeyRing.generate(SigningAlgorithm.RS256, clock.instant());
    private final TokenIssuer issuer = new TokenIssuer("https://jenkins.example/ephemeral-credentials-oidc", () -> ring, clock);

    @Test
    void reservedClaimsCannotBeOverridden() {
        for (String reserved : TokenIssuer.RESERVED_CLAIMS) {
            assertThatThrownBy(() -> issuer.mint("job", List.of("aud"), Duration.ofMinutes(5), Map.of(reserved, "smuggled")))
                    .isInstanceOfSatisfying(OidcException.class, e -> {
                        assertThat(e.reason()).isEqualTo(OidcException.Reason.ISSUE_REFUSED);
                        assertThat(e.getMessage()).contains(reserved);
                    });
        }
    }

    @Test
    void issuerSetsTheRegisteredClaims() throws Exception {
        SignedJWT jwt = SignedJWT.parse(issuer.mint("job:a", List.of("one", "two"), Duration.ofMinutes(5), Map.of("branch", "main")));

        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("https://jenkins.example/ephemeral-credentials-oidc");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("one", "two");
        assertThat(jwt.getJWTClaimsSet().getIssueTime().toInstant()).isEqualTo(clock.instant());
        assertThat(jwt.getJWTClaimsSet().getNotBeforeTime().toInstant()).isEqualTo(clock.instant());
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(clock.instant().plusSeconds(300));
        assertThat(jwt.getJWTClaimsSet().getJWTID()).isNotBlank();
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(ring.active().kid());
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
    }

    @Test
    void refusesBadRequests() {
        assertThatThrownBy(() -> issuer.mint(" ", List.of("aud"), Duration.ofMinutes(5), Map.of())).hasMessageContaining("subject");
        assertThatThrownBy(() -> issuer.mint("s", List.of(), Duration.ofMinutes(5), Map.of())).hasMessageContaining("audience");
        assertThatThrownBy(() -> issuer.mint("s", List.of("a"), Duration.ofHours(2), Map.of())).hasMessageContaining("lifetime");
        assertThatThrownBy(() -> new TokenIssuer("https://x/", () -> ring, clock)).hasMessageContaining("trailing slash");
    }

    @Test
    void discoveryDocumentHasTheFieldsRelyingPartiesNeed() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(issuer.discoveryDocument());

        assertThat(doc.get("issuer").asText()).isEqualTo("https://jenkins.example/ephemeral-credentials-oidc");
        assertThat(doc.get("jwks_uri").asText()).isEqualTo("https://jenkins.example/ephemeral-credentials-oidc/jwks");
        assertThat(doc.get("response_types_supported").toString()).isEqualTo("[\"id_token\"]");
        assertThat(doc.get("subject_types_supported").toString()).isEqualTo("[\"public\"]");
        assertThat(doc.get("id_token_signing_alg_values_supported").toString()).isEqualTo("[\"RS256\"]");
    }

    @Test
    void jwksHoldsOnlyPublicKeysWithKidUseAndAlg() throws Exception {
        JsonNode key = new ObjectMapper().readTree(issuer.jwks()).get("keys").get(0);

        assertThat(key.get("kid").asText()).isEqualTo(ring.active().kid());
        assertThat(key.get("use").asText()).isEqualTo("sig");
        assertThat(key.get("alg").asText()).isEqualTo("RS256");
        assertThat(key.has("d")).isFalse();
        assertThat(key.has("p")).isFalse();
    }

    @Test
    void knownIssuers() {
        assertThat(KnownIssuers.githubEnterpriseServer("ghe.example.com")).isEqualTo("https://ghe.example.com/_services/token");
        assertThat(KnownIssuers.jenkins("https://ci.example.com/")).isEqualTo("https://ci.example.com/ephemeral-credentials-oidc");
        assertThat(KnownIssuers.jenkins("https://ci.example.com/jenkins")).isEqualTo("https://ci.example.com/jenkins/ephemeral-credentials-oidc");
        assertThatThrownBy(() -> KnownIssuers.githubEnterpriseServer("https://ghe.example.com")).hasMessageContaining("bare host");
    }
}
