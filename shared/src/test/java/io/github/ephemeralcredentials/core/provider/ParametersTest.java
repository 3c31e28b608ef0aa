package io.github.ephemeralcredentials.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParametersTest {

    @Test
    void urlsMustBeHttpsExceptOnLoopbackAddresses() {
        assertThat(url("https://vault.example.com:8200")).isEqualTo("https://vault.example.com:8200/");
        assertThat(url("http://127.0.0.1:8200")).isEqualTo("http://127.0.0.1:8200/");
        assertThat(url("http://[::1]:8200")).isEqualTo("http://[::1]:8200/");
        assertThat(url("http://localhost:8200")).isEqualTo("http://localhost:8200/");
        assertThatThrownBy(() -> url("http://vault.example.com")).hasMessageContaining("uses http");
        assertThatThrownBy(() -> url("http://10.0.0.1")).hasMessageContaining("uses http");
        assertThatThrownBy(() -> url("http://127.0.0.1.example.com")).as("a name is never taken for loopback")
                .hasMessageContaining("uses http");
        assertThatThrownBy(() -> url("vault:8200")).hasMessageContaining("is not a URL");
        assertThatThrownBy(() -> url("https://x.example.com/?a=b")).hasMessageContaining("without user info, query");
        assertThat(Parameters.of("p", Map.of()).url("u", "e")).isEmpty();
    }

    @Test
    void readsListsTextsMapsAndFlagsWithNamedErrors() {
        Parameters p = Parameters.of("demo", Map.of("l", "a, b c", "ll", List.of("x", "y"), "m", Map.of("contents", "read"),
                "f", "true", "n", 42));
        assertThat(p.list("l")).containsExactly("a", "b", "c");
        assertThat(p.list("ll")).containsExactly("x", "y");
        assertThat(p.text("ll")).isEqualTo("x\ny");
        assertThat(p.map("m")).containsEntry("contents", "read");
        assertThat(p.flag("f", false)).isTrue();
        assertThat(p.optional("n")).contains("42");
        assertThatThrownBy(() -> p.map("l")).hasMessage("demo: parameter 'l' must be a map, not String");
        assertThatThrownBy(() -> p.optional("ll")).hasMessageContaining("must be a single value, not a list");
        assertThatThrownBy(() -> p.required("missing", "x")).hasMessage("demo: parameter 'missing' is required (e.g. x)");
        assertThatThrownBy(() -> p.onlyKnown(Set.of("l"))).hasMessageContaining("unknown parameter(s) [f, ll, m, n]");
        assertThatThrownBy(() -> Parameters.scope("demo", Map.of("s", 1)).onlyKnown(Set.of()))
                .isInstanceOf(ProviderException.class).hasMessageContaining("unknown scope entry(s) [s]");
    }

    @Test
    void serverTextLosesSecretsAndTokenShapesAndStaysShort() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.c2lnbmF0dXJlc2ln";
        assertThat(ServerText.clean("bad token " + jwt + " for s3cr3t-value", "s3cr3t-value"))
                .isEqualTo("bad token **** for ****");
        assertThat(ServerText.clean("token hvs.CAESIJ1234567890abcdefghij and ghs_16CharactersOrMore123"))
                .isEqualTo("token **** and ****");
        assertThat(ServerText.clean("line one\n\tline two")).isEqualTo("line one line two");
        assertThat(ServerText.clean("x".repeat(1000))).hasSize(401);
        assertThat(ServerText.clean(null)).isNull();
    }

    private static String url(String text) {
        return Parameters.of("vault", Map.of("address", text)).url("address", "https://vault.example.com").orElseThrow()
                .toString();
    }

    @Test
    void oauthListsSplitOnSpacesOnlyAndRefuseEntriesWithSpaces() {
        Parameters p = Parameters.of("token-exchange", Map.of("scope", "read:a,b  write", "audience", List.of("api one")));

        assertThat(p.spaceSeparated("scope")).containsExactly("read:a,b", "write");
        assertThat(p.list("scope")).as("the general list form also splits on commas").containsExactly("read:a", "b", "write");
        assertThat(p.spaceSeparated("absent")).isEmpty();
        assertThatThrownBy(() -> p.spaceSeparated("audience")).hasMessage(
                "token-exchange: every entry of 'audience' must be a non-empty string without spaces");
    }
}
