package io.github.ephemeralcredentials.core.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The Jenkins plugin's issuer URL comes from configuration only, never from what a caller sent. */
class JenkinsIssuerTest {

    @Test
    void theConfiguredJenkinsUrlNamesTheIssuer() {
        assertThat(KnownIssuers.jenkinsIssuer("https://ci.example.com/", null))
                .contains("https://ci.example.com/ephemeral-credentials-oidc");
        assertThat(KnownIssuers.jenkinsIssuer("https://ci.example.com/jenkins", ""))
                .contains("https://ci.example.com/jenkins/ephemeral-credentials-oidc");
    }

    @Test
    void theAdministratorsOverrideWins() {
        assertThat(KnownIssuers.jenkinsIssuer("https://ci.example.com/", "https://keys.example.com/jenkins"))
                .contains("https://keys.example.com/jenkins");
        assertThat(KnownIssuers.jenkinsIssuer(null, "https://keys.example.com/jenkins"))
                .contains("https://keys.example.com/jenkins");
    }

    @Test
    void withoutAConfiguredUrlThereIsNoIssuer() {
        assertThat(KnownIssuers.jenkinsIssuer(null, null)).isEmpty();
        assertThat(KnownIssuers.jenkinsIssuer(" \t", " ")).isEmpty();
        // Every Unicode space: a blank that only looks configured is not configured.
        assertThat(KnownIssuers.jenkinsIssuer("\u2028\u2029\u00a0\u3000\u2007", "\u202f")).isEmpty();
    }

    @Test
    void aConfiguredUrlThatCannotBeAnIssuerIsRefusedNotUsed() {
        assertThatThrownBy(() -> KnownIssuers.jenkinsIssuer("http://ci.example.com/", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must use https");
        assertThatThrownBy(() -> KnownIssuers.jenkinsIssuer("https://ci.example.com/", "https://k.example.com/?x=1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query or fragment");
    }
}
