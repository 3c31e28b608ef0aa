package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.demo.Demo;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: the whole flow on loopback, narrated; a smoke test too. */
@Command(name = "demo",
        description = {"Show the project at work in seconds, on loopback only, with no cloud account: a GitHub Actions "
                + "runner and a Jenkins controller sign CI tokens, the token-exchange service enforces a built-in "
                + "trust policy, and a deploy API trusts what it signs. Narrates an allowed exchange, a denied one, "
                + "the credential used, revoked and refused, a replayed token refused, and the inventory of the audit trail with an "
                + "anomaly flagged."},
        footerHeading = ExitCodes.FOOTER_HEADING,
        footer = {"  0  every step behaved as narrated", "  1  some step did not (the narration marks which)",
                "  2  the command line is wrong"},
        mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--json", description = "one JSON document for machines instead of the narration")
    boolean json;

    @Option(names = "--keep", paramLabel = "DIR",
            description = "keep the demo's files (configuration, policy, audit trails) in DIR instead of a temp dir")
    Path keep;

    @Override
    public Integer call() throws Exception {
        // Colour only on a terminal that wants it (picocli's rule: a console, no NO_COLOR, TERM not dumb).
        boolean colour = CommandLine.Help.Ansi.AUTO.enabled();
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        return Demo.run(out, colour, json, keep);
    }
}
