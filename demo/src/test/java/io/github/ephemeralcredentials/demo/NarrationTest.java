package io.github.ephemeralcredentials.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.demo.Narration.Kind;
import io.github.ephemeralcredentials.demo.Narration.Line;
import io.github.ephemeralcredentials.demo.Narration.Section;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NarrationTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void oneStepThatDidNotBehaveAsNarratedFailsTheWholeDemo() {
        Narration narration = new Narration(new PrintStream(out, true, StandardCharsets.UTF_8), false, false);
        narration.section(new Section("fine", true, List.of(new Line(Kind.SAY, "a"))));
        narration.section(new Section("broken", false, List.of(new Line(Kind.FAIL, "b"))));

        assertThat(narration.finish()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2. broken  [NOT AS NARRATED]")
                .contains("Some step did not behave as narrated");
    }

    @Test
    void noStepAtAllIsNotASuccess() {
        assertThat(new Narration(new PrintStream(out, true, StandardCharsets.UTF_8), false, true).finish()).isFalse();
    }

    @Test
    void whatAPartyPrintedCannotDriveTheTerminal() {
        Narration narration = new Narration(new PrintStream(out, true, StandardCharsets.UTF_8), true, false);
        narration.section(new Section("t", true, List.of(new Line(Kind.LOG,
                "x\u001b]0;owned\u0007 \u202Egnp.exe\u2028::add-mask::y"))));

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("x\\u001b]0;owned\\u0007 \\u202egnp.exe\\u2028::add-mask::y")
                .doesNotContain("\u202E").doesNotContain("\u2028").doesNotContain("\u0007");
    }
}
