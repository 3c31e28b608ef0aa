package io.github.ephemeralcredentials.core.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A token signed by someone else's issuer (navikt mock-oauth2-server, a real OIDC server) verifies. */
class ThirdPartyIssuerTest {

    private static final MockOAuth2Server SERVER = new MockOAuth2Server();

    @BeforeAll
    static void start() {
        SERVER.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterAll
    static void stop() {
        SERVER.shutdown();
    }

    private static TokenVerifier verifierFor(String issuer, String audience) {
        JwksCache cache = new JwksCache(HttpClients.create(HttpSettings.DEFAULT), JwksCache.Settings.DEFAULT, Clock.systemUTC());
        return TokenVerifier.builder(issuer, audience, cache).build();
    }

    @Test
    void verifiesAGithubShapedTokenFromMockOauth2Server() {
        String issuer = SERVER.issuerUrl("github").toString();
        String token = SERVER.issueToken("github", "repo:acme/app:ref:refs/heads/main", "sts.amazonaws.com",
                Map.of("repository", "acme/app", "ref_protected", "true", "run_id", "42"), 300).serialize();

        Claims claims = verifierFor(issuer, "sts.amazonaws.com").verify(token).claims();

        assertThat(claims.subject()).isEqualTo("repo:acme/app:ref:refs/heads/main");
        assertThat(claims.string("repository")).contains("acme/app");
    }

    @Test
    void refusesATokenOfAnotherIssuerOnTheSameServer() {
        String token = SERVER.issueToken("other", "s", "aud", Map.of(), 300).serialize();

        assertThatThrownBy(() -> verifierFor(SERVER.issuerUrl("github").toString(), "aud").verify(token))
                .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.reason()).isEqualTo(OidcException.Reason.BAD_ISSUER));
    }
}
