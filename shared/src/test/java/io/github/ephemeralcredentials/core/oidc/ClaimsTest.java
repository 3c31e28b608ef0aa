package io.github.ephemeralcredentials.core.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimsTest {

    @Test
    void matchingFormOfNumbersAndBooleansIsTheirJsonText() {
        Claims claims = Claims.fromJson("{\"run_id\":\"42\",\"build_number\":7,\"ref_protected\":true,\"ratio\":1.5,\"groups\":[\"a\",\"b\"],\"nothing\":null}");

        assertThat(claims.string("run_id")).contains("42");
        assertThat(claims.string("build_number")).contains("7");
        assertThat(claims.string("ref_protected")).contains("true");
        assertThat(claims.string("ratio")).contains("1.5");
        assertThat(claims.string("groups")).contains("[\"a\",\"b\"]");
        assertThat(claims.string("nothing")).isEmpty();
        assertThat(claims.has("nothing")).isFalse();
        assertThat(claims.string("absent")).isEmpty();
    }

    @Test
    void isImmutableEvenWhenTheSourceMapChanges() {
        Map<String, Object> source = new HashMap<>();
        List<Object> groups = new ArrayList<>(List.of("a"));
        source.put("groups", groups);
        Claims claims = Claims.of(source);
        groups.add("b");
        source.put("sub", "late");

        assertThat(claims.string("groups")).contains("[\"a\"]");
        assertThat(claims.has("sub")).isFalse();
        assertThatThrownBy(() -> claims.values().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void audienceIsAListEitherWay() {
        assertThat(Claims.fromJson("{\"aud\":\"one\"}").audience()).containsExactly("one");
        assertThat(Claims.fromJson("{\"aud\":[\"one\",\"two\"]}").audience()).containsExactly("one", "two");
        assertThat(Claims.fromJson("{}").audience()).isEmpty();
    }

    @Test
    void badJsonSaysWhere() {
        assertThatThrownBy(() -> Claims.fromJson("{\"a\": }")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
    }
}
