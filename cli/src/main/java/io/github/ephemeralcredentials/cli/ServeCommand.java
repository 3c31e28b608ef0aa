package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.service.NativeCrypto;
import io.github.ephemeralcredentials.service.TokenExchangeService;
import io.github.ephemeralcredentials.service.config.ServiceConfig;
import io.github.ephemeralcredentials.service.config.ServiceConfigReader;
import io.github.ephemeralcredentials.core.policy.PolicyException;
import io.github.ephemeralcredentials.service.state.SharedState;
import io.github.ephemeralcredentials.service.state.SharedStates;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code serve}: the token-exchange service, in the foreground, until the process is told to stop. */
@Command(name = "serve",
        description = {"Run the token-exchange service: verify CI tokens, enforce the trust policy, issue credentials "
                + "(RFC 8693 at POST /token). The audit trail goes to stdout, one JSON line per exchange."},
        footerHeading = ExitCodes.FOOTER_HEADING,
        footer = {"  0  --check: the configuration and its policy are valid; otherwise stopped cleanly",
                "  2  the command line is wrong", "  3  the configuration, its policy or a file it names cannot be used"},
        mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "the service's configuration (YAML)")
    Path config;

    @Option(names = "--new-signing-keys", paramLabel = "FILE",
            description = "write a new ES256 key ring for the replicas to share (signing-keys: FILE), mode 0600, and exit")
    Path newSigningKeys;

    @Option(names = "--check", description = "validate the configuration and its trust policy, then exit")
    boolean check;

    /** The private keys are the service's dearest secret: created 0600 and new, never over an existing file. */
    private int writeSigningKeys(PrintWriter err) {
        String json = KeyRing.generate(SigningAlgorithm.ES256, Instant.now()).toSecretJson();
        try {
            Files.createFile(newSigningKeys, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(newSigningKeys, json + "\n", StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            err.println("error: " + newSigningKeys + " already exists; choose a new path (the replicas' keys are "
                    + "never overwritten)");
            return ExitCodes.BAD_INPUT;
        } catch (IOException | UnsupportedOperationException e) {
            err.println("error: cannot create " + newSigningKeys + " (" + e.getClass().getSimpleName() + ")");
            return ExitCodes.BAD_INPUT;
        }
        err.println("wrote a new ES256 key ring to " + newSigningKeys + "; name it as signing-keys in every replica's "
                + "configuration");
        return ExitCodes.OK;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (newSigningKeys != null) {
            return writeSigningKeys(err);
        }
        if (config == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --config FILE (or "
                    + "--new-signing-keys FILE)");
        }
        ServiceConfig parsed;
        try {
            parsed = ServiceConfigReader.read(config);
        } catch (PolicyException e) {
            e.problems().forEach(p -> err.println(p + " [" + p.code() + "]"));
            return ExitCodes.BAD_INPUT;
        }
        if (check) {
            if (PolicyFiles.load(parsed.policy(), err).isEmpty()) {
                return ExitCodes.BAD_INPUT;
            }
            err.println(config + ": valid (listens on " + parsed.host() + ":" + parsed.port() + ", policy "
                    + parsed.policy() + ", store " + (parsed.store().equals("memory") ? "memory" : "redis") + ")");
            return ExitCodes.OK;
        }
        SharedState state;
        try {
            state = SharedStates.open(parsed.store(), Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        TokenExchangeService service;
        try {
            service = TokenExchangeService.start(parsed, state, System::getenv, System.out, Clock.systemUTC());
        } catch (PolicyException e) {
            // The policy is read once, by the service itself, so what it enforces is what was checked.
            state.close();
            e.problems().forEach(p -> err.println(p + " [" + p.code() + "]"));
            return ExitCodes.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            state.close();
            err.println("error: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        NativeCrypto.Choice crypto;
        try {
            // Once the service has started, so that a configuration or policy it refuses leaves the process's providers
            // alone. Signers are made at the first token and find AWS-LC first; keys the JDK generated at start work
            // with it as they are.
            crypto = NativeCrypto.apply(parsed.crypto());
        } catch (IllegalStateException e) {
            service.close();
            err.println("error: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        // SIGTERM and Ctrl-C: stop taking requests, finish those in flight, close the store.
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "ec-service-stop"));
        try {
            // SIGHUP: look at the policy file now rather than at the next periodic check.
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> service.reloadPolicy());
        } catch (IllegalArgumentException e) {
            err.println("ephemeral-credentials serve: no SIGHUP on this system; the policy file is still checked "
                    + "every few seconds");
        }
        err.println("ephemeral-credentials serve: listening on " + service.uri() + " (policy " + parsed.policy() + "; "
                + crypto.description() + ")");
        err.flush();
        service.join();
        return ExitCodes.OK;
    }
}
