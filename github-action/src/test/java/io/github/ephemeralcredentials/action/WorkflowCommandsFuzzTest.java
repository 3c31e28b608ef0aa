package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the workflow-command writer against the runner's own reading of stdout ({@link RunnerStdout}): text that
 * is not the step's (a claim, a server's message) never becomes a command, a command the step means is exactly
 * one, and the text a reader sees is the text given.
 *
 * <p>The default build runs jqwik's default number of tries (1,000 per property, a few seconds). The long run:
 * {@code ./mvnw -B -o -pl github-action -am verify -Dtest=WorkflowCommandsFuzzTest -Dsurefire.failIfNoSpecifiedTests=false -Djqwik.tries.default=2000000}.
 * A sample that fails is kept by jqwik's database and tried first next time; add it below as an {@code @Example}.
 */
class WorkflowCommandsFuzzTest {

    /** Pieces that have broken command writers: command starts, every space and line break, escapes. */
    @Provide
    Arbitrary<String> hostileText() {
        List<String> pieces = new ArrayList<>(List.of("::", "::add-mask::", "::set-output name=x::", "##[", "##[error]",
                "::stop-commands::", "::resume-", "::endgroup::", "%", "%0A", "%25", "\r", "\n", "\r\n", ":", "#", "[",
                "a", "x y", "é", "\uD83D\uDE00", "\u202E", "\uFEFF"));
        for (char c : RunnerStdout.SPACES_AND_BREAKS.toCharArray()) {
            pieces.add(String.valueOf(c));
        }
        return Arbitraries.of(pieces).list().ofMaxSize(24).map(parts -> String.join("", parts));
    }

    private static String written(java.util.function.Consumer<WorkflowCommands> write) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        write.accept(new WorkflowCommands(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Property
    void plainTextIsNeverACommandAndReadsAsWritten(@ForAll("hostileText") String text) {
        String out = written(commands -> commands.info(text));
        assertThat(RunnerStdout.commands(out)).isEmpty();
        List<String> lines = new ArrayList<>(RunnerStdout.lines(out));
        if (!lines.isEmpty() && lines.get(0).startsWith("::stop-commands::")) {
            lines = lines.subList(1, lines.size() - 1);
        }
        assertThat(String.join("\n", lines)).isEqualTo(text.replace("\r\n", "\n").replace('\r', '\n'));
    }

    @Property
    void aMeantCommandIsExactlyOneWhateverItsData(@ForAll("hostileText") String text) {
        assertThat(RunnerStdout.commands(written(commands -> commands.error(text)))).containsExactly("error");
        assertThat(RunnerStdout.commands(written(commands -> commands.warning(text)))).containsExactly("warning");
        assertThat(RunnerStdout.commands(written(commands -> commands.debug(text)))).containsExactly("debug");
        assertThat(RunnerStdout.commands(written(commands -> {
            commands.group(text);
            commands.endGroup();
        }))).containsExactly("group", "endgroup");
    }

    @Property
    void aMaskIsOnlyMasks(@ForAll("hostileText") String secret) {
        assertThat(RunnerStdout.commands(written(commands -> commands.addMask(secret))))
                .allMatch("add-mask"::equals);
    }

    /** Issue 15, action finding 1: a workflow name carrying U+00A0 before a command, printed in the claims report. */
    @Example
    void nonBreakingSpaceBeforeACommandInAClaim() {
        plainTextIsNeverACommandAndReadsAsWritten("x\n\u00a0::set-output name=aws-account-id::X");
        plainTextIsNeverACommandAndReadsAsWritten("x\n\u2007::add-mask::y\n\u202f::warning::z");
    }

    /** Issue 15, action finding 1: characters Java's \R took for line breaks and the runner does not. */
    @Example
    void javaLineBreaksThatAreNotTheRunners() {
        plainTextIsNeverACommandAndReadsAsWritten("a\u2028::add-mask::b\u0085::x\u000B##[y]\u000C");
    }
}
