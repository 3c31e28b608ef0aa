package io.github.ephemeralcredentials.cli;

import com.nimbusds.jose.Header;
import io.github.ephemeralcredentials.core.audit.inventory.Printable;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.oidc.JwksCache;
import io.github.ephemeralcredentials.core.oidc.OidcException;
import io.github.ephemeralcredentials.core.oidc.OidcException.Reason;
import io.github.ephemeralcredentials.core.oidc.TrustedIssuers;
import io.github.ephemeralcredentials.core.oidc.UnverifiedClaims;
import io.github.ephemeralcredentials.core.oidc.VerifiedClaims;
import io.github.ephemeralcredentials.core.policy.Decision;
import io.github.ephemeralcredentials.core.policy.Policy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code token verify}: the service's own verification ({@link TrustedIssuers}, the same construction and defaults),
 * shown check by check. The verifier stops at the first failing check; the checks are listed in the order it runs
 * them, so those above the failure passed and those below were not reached.
 */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        description = {"Verify a CI token exactly as the token-exchange service would, and print each check's "
                + "outcome (format, iss, algorithm, signature and key, exp/nbf/iat, aud), then the claims. "
                + "With --policy and --profile, add the policy's decision explained claim by claim.",
                "The token itself is never printed; read it from standard input with '-' to keep it out of the "
                        + "process list and shell history."},
        footerHeading = ExitCodes.FOOTER_HEADING,
        footer = {"  0  the token verifies (and, with --profile, the policy allows it)",
                "  1  the token is refused (the failed check is named), or the policy denies the profile",
                "  2  usage error",
                "  3  the token cannot be read, the issuer's keys cannot be fetched, or the policy file is unusable"})
final class TokenVerifyCommand implements Callable<Integer> {

    /** The checks in the order the verifier runs them. */
    enum Check {
        FORMAT("format"), ISS("iss"), ALGORITHM("algorithm"), SIGNATURE("signature and key"),
        TIMES("exp/nbf/iat"), AUD("aud");

        final String label;

        Check(String label) {
            this.label = label;
        }

        static Check of(OidcException e) {
            Reason r = e.reason();
            return switch (r) {
                case MALFORMED -> e.getMessage().contains("'exp'") || e.getMessage().contains("'nbf'")
                        || e.getMessage().contains("'iat'") ? TIMES : FORMAT;
                case TOO_LARGE -> FORMAT;
                case BAD_ISSUER -> ISS;
                case MISSING_CLAIM -> e.getMessage().contains("'iss'") ? ISS : TIMES;
                case UNSUPPORTED_ALGORITHM, UNSUPPORTED_CRITICAL_HEADER -> ALGORITHM;
                case UNKNOWN_KEY, BAD_SIGNATURE, JWKS_UNAVAILABLE, JWKS_INVALID, ISSUE_REFUSED -> SIGNATURE;
                case EXPIRED, NOT_YET_VALID, ISSUED_IN_FUTURE, TOO_OLD -> TIMES;
                case BAD_AUDIENCE -> AUD;
            };
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--issuer", required = true, paramLabel = "URL",
            description = "A trusted issuer URL, exactly as in the service's configuration; repeatable.")
    List<String> issuers;

    @Option(names = "--audience", required = true, paramLabel = "AUD",
            description = "The audience the service expects (its 'audience' setting).")
    String audience;

    @Parameters(arity = "0..1", paramLabel = "TOKEN | -",
            description = "The token, or '-' (the default) to read it from standard input.")
    String token = "-";

    @Option(names = "--policy", paramLabel = "FILE", description = "A policy to decide the token's request with.")
    java.nio.file.Path policy;

    @Option(names = "--profile", paramLabel = "NAME", description = "With --policy: the profile requested.")
    String profile;

    InputStream stdin = System.in;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((policy == null) != (profile == null)) {
            err.println("--policy and --profile go together: name the policy file and the profile to decide");
            err.flush();
            return ExitCodes.USAGE;
        }
        String jwt;
        try {
            jwt = "-".equals(token) ? readStdin() : token;
        } catch (IOException e) {
            err.println("cannot read the token from standard input: " + e.getMessage());
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        TrustedIssuers trusted;
        try {
            trusted = new TrustedIssuers(issuers, new JwksCache(CoreRuntime.http(), JwksCache.Settings.DEFAULT,
                    Clock.systemUTC()), Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            err.println("--issuer: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        Optional<Policy> loaded = Optional.empty();
        if (policy != null) {
            loaded = PolicyFiles.load(policy, err);
            if (loaded.isEmpty()) {
                return ExitCodes.BAD_INPUT;
            }
        }
        Claims unverified = null;
        try {
            unverified = UnverifiedClaims.decode(jwt).claims();
        } catch (RuntimeException ignored) {
            // The verifier below reports what is wrong with the format.
        }
        Header header = header(jwt);
        VerifiedClaims verified = null;
        OidcException refusal = null;
        try {
            verified = trusted.verify(jwt, audience);
        } catch (OidcException e) {
            refusal = e;
        }
        Check failed = refusal == null ? null : Check.of(refusal);
        out.println("Checks (in the order the service runs them):");
        for (Check check : Check.values()) {
            String status;
            if (failed == null || check.ordinal() < failed.ordinal()) {
                status = "ok      " + detail(check, unverified, header);
            } else if (check == failed) {
                status = "FAILED  " + refusal.reason() + ": " + Printable.of(refusal.getMessage());
            } else {
                status = "-       not checked (an earlier check failed)";
            }
            out.printf("  %-17s %s%n", check.label, status);
        }
        if (unverified != null) {
            out.println();
            out.println(verified != null ? "Claims (verified):" : "Claims (NOT verified; shown to help debugging):");
            new TreeMap<>(unverified.values()).forEach((name, value) ->
                    out.printf("  %s: %s%n", Printable.of(name), Printable.of(String.valueOf(value))));
        }
        if (refusal != null) {
            out.println();
            out.println("Refused by the " + failed.label + " check.");
            out.flush();
            boolean unreadable = refusal.reason() == Reason.MALFORMED && failed == Check.FORMAT
                    || refusal.reason() == Reason.TOO_LARGE || refusal.reason() == Reason.JWKS_UNAVAILABLE
                    || refusal.reason() == Reason.JWKS_INVALID;
            return unreadable ? ExitCodes.BAD_INPUT : ExitCodes.NO;
        }
        out.println();
        out.println("The token verifies.");
        if (loaded.isPresent()) {
            Decision decision = loaded.get().evaluate(verified.claims(), profile);
            out.println();
            out.print(decision.explain());
            out.flush();
            return decision.allowed() ? ExitCodes.OK : ExitCodes.NO;
        }
        out.flush();
        return ExitCodes.OK;
    }

    private String readStdin() throws IOException {
        byte[] bytes = stdin.readNBytes(64 * 1024 + 1);
        if (bytes.length > 64 * 1024) {
            throw new IOException("more than 64 KiB; a CI token is a few KB");
        }
        return new String(bytes, StandardCharsets.US_ASCII).strip();
    }

    private static Header header(String jwt) {
        try {
            int dot = jwt.indexOf('.');
            return dot < 0 ? null : Header.parse(new com.nimbusds.jose.util.Base64URL(jwt.substring(0, dot)));
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    private String detail(Check check, Claims claims, Header header) {
        if (claims == null) {
            return "";
        }
        Map<String, Object> v = claims.values();
        return switch (check) {
            case FORMAT -> "compact JWS";
            case ISS -> "'" + Printable.of(claims.issuer()) + "' is trusted";
            case ALGORITHM -> header == null ? "" : header.getAlgorithm() + " is allowed";
            case SIGNATURE -> header instanceof com.nimbusds.jose.JWSHeader jws && jws.getKeyID() != null
                    ? "verified with key '" + Printable.of(jws.getKeyID()) + "' from the issuer's JWKS"
                    : "verified with a key from the issuer's JWKS";
            case TIMES -> "exp " + claims.expiresAt().map(Object::toString).orElse("-")
                    + ", nbf " + claims.notBefore().map(Object::toString).orElse("-")
                    + ", iat " + claims.issuedAt().map(Object::toString).orElse("-");
            case AUD -> "'" + Printable.of(audience) + "' is in " + Printable.of(String.valueOf(v.get("aud")));
        };
    }
}
