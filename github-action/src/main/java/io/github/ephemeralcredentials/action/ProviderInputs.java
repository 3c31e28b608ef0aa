package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.action.ActionException.Reason;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns the step's inputs into the provider's parameters, under the names the provider reads (the same names a
 * policy profile uses). Only the host's own rules live here — which input feeds which parameter, the OIDC audience
 * each provider expects by default, input syntax; the provider validates values (ARNs, duration ranges, URLs) and
 * its message is shown as it is.
 */
final class ProviderInputs {

    /** An input, the parameter it becomes, and whether it is a list. */
    private record Mapping(String input, String parameter, boolean list) {
    }

    private record Spec(String provider, List<Mapping> parameters, List<Mapping> scope, String lifetimeInput,
                        Set<String> markers) {
    }

    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);

    private static final Pattern SECONDS = Pattern.compile("(\\d+)\\s*s?");

    private static final List<Spec> SPECS = List.of(
            new Spec("aws", List.of(
                    new Mapping("role-to-assume", "role-arn", false),
                    new Mapping("aws-region", "region", false),
                    new Mapping("role-session-name", "session-name", false),
                    new Mapping("role-chaining", "chain-role-arn", false),
                    new Mapping("aws-sts-endpoint", "endpoint", false)),
                    List.of(new Mapping("inline-session-policy", "session-policy", false),
                            new Mapping("managed-session-policies", "policy-arns", true)),
                    "role-duration-seconds", Set.of("role-to-assume")),
            new Spec("gcp", List.of(
                    new Mapping("workload-identity-provider", "workload-identity-provider", false),
                    new Mapping("service-account", "service-account", false),
                    new Mapping("create-credentials-file", "credentials-file", false)),
                    List.of(new Mapping("access-token-scopes", "scopes", true)),
                    "access-token-lifetime", Set.of("workload-identity-provider")),
            new Spec("azure", List.of(
                    new Mapping("client-id", "client-id", false),
                    new Mapping("tenant-id", "tenant-id", false),
                    new Mapping("token-endpoint", "token-endpoint", false)),
                    List.of(new Mapping("scope", "scopes", true)),
                    null, Set.of("tenant-id")),
            new Spec("vault", List.of(
                    new Mapping("vault-url", "address", false),
                    new Mapping("vault-role", "role", false),
                    new Mapping("vault-namespace", "namespace", false),
                    new Mapping("vault-secrets", "secrets", false),
                    new Mapping("vault-path", "mount", false)),
                    List.of(),
                    null, Set.of("vault-url")),
            new Spec("token-exchange", List.of(
                    new Mapping("token-endpoint", "token-endpoint", false),
                    new Mapping("issuer", "issuer", false),
                    new Mapping("client-id", "client-id", false),
                    new Mapping("client-secret-env", "client-secret-env", false),
                    new Mapping("subject-issuer", "subject-issuer", false),
                    new Mapping("subject-token-type", "subject-token-type", false),
                    new Mapping("requested-token-type", "requested-token-type", false),
                    new Mapping("target-audience", "audience", true),
                    new Mapping("resource", "resource", true)),
                    List.of(new Mapping("scope", "scopes", true)),
                    null, Set.of()),
            new Spec("jwt-bearer", List.of(
                    new Mapping("token-endpoint", "token-endpoint", false),
                    new Mapping("issuer", "issuer", false),
                    new Mapping("client-id", "client-id", false),
                    new Mapping("client-secret-env", "client-secret-env", false)),
                    List.of(new Mapping("scope", "scopes", true)),
                    null, Set.of()));

    private ProviderInputs() {
    }

    static Set<String> providers() {
        Set<String> ids = new TreeSet<>();
        SPECS.forEach(s -> ids.add(s.provider()));
        return ids;
    }

    /** Every provider-specific input, for the "not with a policy profile" check. */
    static Set<String> providerSpecificInputs() {
        Set<String> inputs = new TreeSet<>();
        for (Spec spec : SPECS) {
            spec.parameters().forEach(m -> inputs.add(m.input()));
            spec.scope().forEach(m -> inputs.add(m.input()));
        }
        return inputs;
    }

    /** Every input this class reads: the provider-specific ones and the lifetime inputs. */
    static Set<String> inputs() {
        Set<String> inputs = new TreeSet<>(providerSpecificInputs());
        SPECS.stream().map(Spec::lifetimeInput).filter(java.util.Objects::nonNull).forEach(inputs::add);
        return inputs;
    }

    static ExchangePlan plan(ActionInputs inputs) {
        Spec spec = spec(providerId(inputs));
        Map<String, Object> parameters = collect(inputs, spec.parameters());
        Map<String, Object> scope = collect(inputs, spec.scope());
        Duration lifetime = requestedLifetime(inputs, spec.provider()).orElse(DEFAULT_LIFETIME);
        if (spec.provider().equals("aws")) {
            checkAwsDuration(inputs, lifetime);
        }
        String audience = inputs.get("audience").orElseGet(() -> defaultAudience(spec.provider(), parameters));
        return new ExchangePlan(spec.provider(), parameters, scope, lifetime, audience);
    }

    /**
     * STS's own range for DurationSeconds (AssumeRoleWithWebIdentity: 900 to 43200, and no more than an hour for a
     * chained role): a value the user wrote is refused, never quietly cut, so the step never hands out a lifetime
     * other than the one asked for. (A profile's lifetime is a cap, which the core may shorten to.)
     */
    private static void checkAwsDuration(ActionInputs inputs, Duration lifetime) {
        if (inputs.get("role-duration-seconds").isEmpty()) {
            return;
        }
        long seconds = lifetime.toSeconds();
        boolean chained = inputs.get("role-chaining").isPresent();
        long max = chained ? 3_600 : 43_200;
        if (seconds < 900 || seconds > max) {
            throw new ActionException(Reason.INVALID_INPUT, "input `role-duration-seconds` is " + seconds + "; AWS STS "
                    + "issues role credentials for 900 to " + max + " seconds" + (chained ? " when `role-chaining` "
                    + "assumes a second role" : "") + " (and no longer than the role's maximum session duration); "
                    + "pick a value in that range");
        }
    }

    /**
     * A provider's message in the terms of this step's inputs: the core names its parameters ({@code role-arn}),
     * the user wrote inputs ({@code role-to-assume}).
     */
    static String inInputTerms(String provider, String message) {
        String out = message;
        for (Mapping m : providerMappings(provider)) {
            out = out.replace("parameter '" + m.parameter() + "'", "input `" + m.input() + "`");
        }
        return out;
    }

    private static List<Mapping> providerMappings(String provider) {
        return SPECS.stream().filter(s -> s.provider().equals(provider))
                .flatMap(s -> Stream.concat(s.parameters().stream(), s.scope().stream())).toList();
    }

    /** The provider named by {@code provider}, or the one whose marker inputs are set. */
    static String providerId(ActionInputs inputs) {
        Optional<String> named = inputs.get("provider");
        if (named.isPresent()) {
            String id = named.get();
            if (!providers().contains(id)) {
                throw new ActionException(Reason.INVALID_INPUT, "input `provider` is '" + id + "'; use one of "
                        + String.join(", ", providers()));
            }
            return id;
        }
        List<String> marked = SPECS.stream()
                .filter(s -> s.markers().stream().anyMatch(m -> inputs.get(m).isPresent()))
                .map(Spec::provider).toList();
        if (marked.size() == 1) {
            return marked.get(0);
        }
        throw new ActionException(Reason.INVALID_INPUT, (marked.isEmpty() ? "no provider given" : "the inputs "
                + "name several providers (" + String.join(", ", marked) + ")") + "; add `provider:` with one of "
                + String.join(", ", providers()) + " (or `policy:` and `profile:`)");
    }

    /** The {@code aud} a provider's documentation tells administrators to trust by default. */
    static String defaultAudience(String provider, Map<String, Object> parameters) {
        return switch (provider) {
            case "aws" -> "sts.amazonaws.com";
            case "azure" -> "api://AzureADTokenExchange";
            case "gcp" -> parameter(parameters, "workload-identity-provider")
                    .map(p -> "https://iam.googleapis.com/" + p.replaceFirst("^/+", "").replaceFirst("^iam\\.googleapis\\.com/", ""))
                    .orElse(null);
            // No audience asked for: GitHub's own default, https://github.com/OWNER, the one GitHub's guide to Vault
            // has roles bind (bound_audiences).
            case "vault" -> null;
            default -> parameter(parameters, "issuer").or(() -> parameter(parameters, "token-endpoint")).orElse(null);
        };
    }

    private static Optional<String> parameter(Map<String, Object> parameters, String name) {
        Object value = parameters.get(name);
        return value instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    /** The lifetime the provider's own input asks for ({@code role-duration-seconds}, {@code access-token-lifetime}). */
    static Optional<Duration> requestedLifetime(ActionInputs inputs, String provider) {
        return SPECS.stream().filter(s -> s.provider().equals(provider) && s.lifetimeInput() != null).findFirst()
                .flatMap(s -> lifetime(inputs, s.lifetimeInput()));
    }

    /** {@code 900}, {@code 900s} → 15 minutes; anything else is an input error naming the input. */
    static Optional<Duration> lifetime(ActionInputs inputs, String input) {
        return inputs.get(input).map(value -> {
            Matcher m = SECONDS.matcher(value);
            if (!m.matches()) {
                throw new ActionException(Reason.INVALID_INPUT, "input `" + input + "` is '" + value
                        + "'; write a number of seconds, e.g. 900 or 900s");
            }
            try {
                return Duration.ofSeconds(Long.parseLong(m.group(1)));
            } catch (NumberFormatException e) {
                throw new ActionException(Reason.INVALID_INPUT, "input `" + input + "` is too large");
            }
        });
    }

    private static Spec spec(String provider) {
        return SPECS.stream().filter(s -> s.provider().equals(provider)).findFirst().orElseThrow();
    }

    private static Map<String, Object> collect(ActionInputs inputs, List<Mapping> mappings) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Mapping m : mappings) {
            if (m.list()) {
                List<String> items = m.parameter().equals("policy-arns") ? inputs.lines(m.input()) : inputs.list(m.input());
                if (!items.isEmpty()) {
                    out.put(m.parameter(), items);
                }
            } else {
                inputs.get(m.input()).ifPresent(v -> out.put(m.parameter(), v));
            }
        }
        return out;
    }
}
