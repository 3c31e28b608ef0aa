package io.github.ephemeralcredentials.core.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IssuerUrlsTest {

    @Test
    void acceptsHttpsAndLoopbackHttp() {
        assertThat(IssuerUrls.validate("https://ci.example.com/ephemeral-credentials-oidc"))
                .isEqualTo("https://ci.example.com/ephemeral-credentials-oidc");
        assertThat(IssuerUrls.validate(" https://keys.example.com ")).isEqualTo("https://keys.example.com");
        assertThat(IssuerUrls.validate("http://127.0.0.1:8080/jenkins/ephemeral-credentials-oidc"))
                .isEqualTo("http://127.0.0.1:8080/jenkins/ephemeral-credentials-oidc");
    }

    @Test
    void theJenkinsDefaultIsValid() {
        assertThat(IssuerUrls.validate(KnownIssuers.jenkins("https://ci.example.com/")))
                .isEqualTo("https://ci.example.com/ephemeral-credentials-oidc");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|is empty",
            "ci.example.com/x|must be absolute",
            "http://ci.example.com/x|must use https",
            "ftp://ci.example.com/x|must use https",
            "https://user:pw@ci.example.com/x|user info",
            "https://ci.example.com/x?a=b|query or fragment",
            "https://ci.example.com/x#f|query or fragment",
            "https://ci.example.com/x/|trailing slash",
            "https://ci.example.com/x/.well-known/openid-configuration|discovery document's URL",
            "https://ci example.com|not a URL",
    })
    void refusesWhatRelyingPartiesCannotUse(String url, String message) {
        assertThatThrownBy(() -> IssuerUrls.validate(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> IssuerUrls.validate(null)).hasMessageContaining("is empty");
    }
}
