package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The action image's entry point, in process: what it offers, and what it says about the commands it has not. */
class ActionImageTest {

    private static CliRun run(String... args) {
        return CliRun.of(ActionImage::run, args);
    }

    @Test
    void helpListsTheActionAndNamesTheFullCliForTheRest() {
        CliRun help = run("--help");
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
        CliRun serve = run("serve", "--config", "service.yaml");
        assertThat(serve.exitCode()).isEqualTo(2);
        assertThat(serve.err()).contains("serve").contains("ephemeral-credentials.jar");
    }

    @Test
    void actionHelpGoesThroughPicocliAndListsBothSteps() {
        CliRun help = run("help", "action");
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
