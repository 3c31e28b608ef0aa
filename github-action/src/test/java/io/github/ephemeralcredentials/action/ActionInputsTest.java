package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionInputsTest {

    @Test
    void namesFollowTheRunner() {
        assertThat(ActionInputs.variable("role-to-assume")).isEqualTo("INPUT_ROLE-TO-ASSUME");
        assertThat(ActionInputs.variable("my input")).isEqualTo("INPUT_MY_INPUT");
    }

    @Test
    void trimsAndTreatsBlankAsAbsent() {
        ActionInputs inputs = new ActionInputs(Map.of("INPUT_AWS-REGION", "  eu-west-1 \n", "INPUT_AUDIENCE", "  "));
        assertThat(inputs.get("aws-region")).contains("eu-west-1");
        assertThat(inputs.get("audience")).isEmpty();
        assertThat(inputs.get("missing")).isEmpty();
    }

    @Test
    void booleansAreYamlCoreSchemaOnly() {
        ActionInputs inputs = new ActionInputs(Map.of("INPUT_A", "True", "INPUT_B", "FALSE", "INPUT_C", "yes"));
        assertThat(inputs.bool("a", false)).isTrue();
        assertThat(inputs.bool("b", true)).isFalse();
        assertThat(inputs.bool("unset", true)).isTrue();
        assertThatThrownBy(() -> inputs.bool("c", false))
                .isInstanceOf(ActionException.class)
                .hasMessageContaining("`c`").hasMessageContaining("write true or false");
    }

    @Test
    void numbersSayWhatToWrite() {
        ActionInputs inputs = new ActionInputs(Map.of("INPUT_ROLE-DURATION-SECONDS", "1h"));
        assertThatThrownBy(() -> inputs.number("role-duration-seconds"))
                .hasMessageContaining("`role-duration-seconds` is '1h'").hasMessageContaining("whole number");
    }

    @Test
    void listsAcceptCommasOrLines() {
        ActionInputs inputs = new ActionInputs(Map.of(
                "INPUT_SCOPES", "a, b\n c,,\n",
                "INPUT_ARNS", "arn:aws:iam::aws:policy/A\narn:aws:iam::1:policy/B,C\n"));
        assertThat(inputs.list("scopes")).containsExactly("a", "b", "c");
        assertThat(inputs.lines("arns")).containsExactly("arn:aws:iam::aws:policy/A", "arn:aws:iam::1:policy/B,C");
    }

    @Test
    void aMissingRequiredInputSaysWhereToAddIt() {
        assertThatThrownBy(() -> new ActionInputs(Map.of()).required("role-to-assume", "for provider aws"))
                .hasMessage("input `role-to-assume` is required for provider aws; add `role-to-assume: ...` under "
                        + "`with:` in the step");
    }
}
