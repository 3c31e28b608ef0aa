package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The action image's entry point, in process: what it offers, and what it says about the commands it has not. */
class ActionImageTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = ActionImage.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpListsTheActionAndNamesTheFullCliForTheRest() {
        Run help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("ephemeral-credentials.jar");
        String commands = help.out().substring(help.out().indexOf("Commands:"));
        assertThat(commands.lines().filter(l -> l.matches("  \\S.*")).map(l -> l.trim().split("\\s+")[0]))
                .containsExactly("help", "action");
    }

    @Test
    void versionIsTheFullClisVersionLine() {
        assertThat(run("--version").out()).startsWith("ephemeral-credentials ");
    }

    @Test
    void anotherCommandIsRefusedWithTheJarThatHasIt() {
        Run serve = run("serve", "--config", "service.yaml");
        assertThat(serve.exitCode()).isEqualTo(2);
        assertThat(serve.err()).contains("serve").contains("ephemeral-credentials.jar");
    }

    @Test
    void actionHelpGoesThroughPicocliAndListsBothSteps() {
        Run help = run("help", "action");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("main").contains("post");
    }

    /** ActionImage must never reach Main: the image's shrunk jar follows this class's references. */
    @Test
    void theEntryPointNamesNoOtherCommand() throws Exception {
        byte[] bytes;
        try (var in = ActionImage.class.getResourceAsStream("ActionImage.class")) {
            bytes = in.readAllBytes();
        }
        String constants = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(constants).doesNotContain("cli/Main", "ServeCommand", "ExchangeCommand", "PolicyCommand",
                "RevokeCommand");
    }
}
