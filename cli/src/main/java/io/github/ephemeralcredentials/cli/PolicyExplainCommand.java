package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.oidc.OidcException;
import io.github.ephemeralcredentials.core.oidc.UnverifiedClaims;
import io.github.ephemeralcredentials.core.policy.Decision;
import io.github.ephemeralcredentials.core.policy.DisplayText;
import io.github.ephemeralcredentials.core.policy.Policy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code policy explain FILE --profile NAME (--claims FILE | --token JWT)}. */
@Command(name = "explain",
        mixinStandardHelpOptions = true,
        description = {"Decide whether a token's claims may have a profile and say why: for a denial, every rule "
                + "naming the profile with each condition's expected pattern and presented value.",
                "--token decodes a JWT WITHOUT checking its signature: for debugging only."},
        footerHeading = ExitCodes.FOOTER_HEADING,
        footer = {"  0  allowed",
                "  1  denied",
                "  2  usage error",
                "  3  the policy file, the claims file or the token cannot be used"})
final class PolicyExplainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The policy file (YAML or JSON).")
    Path file;

    @Option(names = "--profile", required = true, paramLabel = "NAME", description = "The profile requested.")
    String profile;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--claims", paramLabel = "CLAIMS.json", description = "A JSON object of token claims.")
        Path claims;

        @Option(names = "--token", paramLabel = "JWT",
                description = "A JWT whose claims are decoded without checking its signature; '-' reads it from "
                        + "standard input (keeps it out of the process list and shell history).")
        String token;
    }

    @Option(names = "--at", paramLabel = "INSTANT",
            description = "Evaluate at this instant (e.g. 2025-01-31T12:00:00Z) instead of now; matters for maxAge.")
    String at;

    @Option(names = "--json", description = "Print the decision as JSON instead of text.")
    boolean json;

    private static final int MAX_CLAIMS_BYTES = 1024 * 1024;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Policy> loaded = PolicyFiles.load(file, err);
        if (loaded.isEmpty()) {
            return ExitCodes.BAD_INPUT;
        }
        Claims claims;
        try {
            claims = source.claims != null ? claimsFile(source.claims) : decodeUnverified(source.token, err);
        } catch (IllegalArgumentException e) {
            err.println(DisplayText.escape(e.getMessage()));
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        Instant now;
        try {
            now = at == null ? Instant.now() : Instant.parse(at);
        } catch (DateTimeParseException e) {
            err.println(DisplayText.escape("--at '" + at + "' is not an instant; write e.g. 2025-01-31T12:00:00Z"));
            err.flush();
            return ExitCodes.USAGE;
        }
        Decision decision = loaded.get().evaluate(claims, profile, now);
        out.print(json ? decision.toJson() + System.lineSeparator() : decision.explain());
        out.flush();
        return decision.allowed() ? ExitCodes.OK : ExitCodes.NO;
    }

    private static Claims claimsFile(Path path) {
        byte[] bytes;
        // At most the limit plus one byte: Files.size() is 0 for /dev/zero and a FIFO.
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_CLAIMS_BYTES + 1);
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": cannot read the claims file: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_CLAIMS_BYTES) {
            throw new IllegalArgumentException(path + ": claims file over 1 MiB; a token's claims are a few KB");
        }
        try {
            return Claims.fromJson(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    private static Claims decodeUnverified(String token, PrintWriter err) {
        String jwt = token;
        if ("-".equals(token)) {
            try {
                jwt = new String(System.in.readNBytes(64 * 1024), StandardCharsets.US_ASCII).trim();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the token from standard input: " + e.getMessage(), e);
            }
        }
        try {
            Claims claims = UnverifiedClaims.decode(jwt).claims();
            err.println("NOTE: claims decoded from --token WITHOUT checking its signature or expiry (debugging only; "
                    + "a real exchange verifies the token first).");
            err.flush();
            return claims;
        } catch (OidcException e) {
            // The token itself is never echoed (the core's messages never quote it): it may be a live credential.
            throw new IllegalArgumentException(e.reason() == OidcException.Reason.MALFORMED
                    ? "--token is not a JWT (expected three base64url parts separated by dots)"
                    : "--token cannot be used: " + e.getMessage(), e);
        }
    }
}
