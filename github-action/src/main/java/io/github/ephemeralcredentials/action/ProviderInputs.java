package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.action.ActionException.Reason;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.provider.ParameterSpec;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns the step's inputs into the provider's parameters, under the names the provider reads (the same names a
 * policy profile uses). Which input feeds which parameter, the lifetime input, the marker inputs, the default
 * audience and the lifetime range all come from the providers' descriptors ({@link Providers#descriptors()}): this
 * class spells no provider's parameter. Only the host's own rules live here — input syntax, and refusing a lifetime
 * the user wrote rather than cutting it; the provider validates values (ARNs, URLs) and its message is shown in the
 * step's input names.
 */
final class ProviderInputs {

    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);

    private static final Pattern SECONDS = Pattern.compile("(\\d+)\\s*s?");

    private ProviderInputs() {
    }

    /** The providers this step can configure from its own inputs: those whose descriptor names action inputs. */
    static Set<String> providers() {
        Set<String> ids = new TreeSet<>();
        Providers.descriptors().values().stream().filter(d -> !mapped(d.parameters()).isEmpty())
                .forEach(d -> ids.add(d.id()));
        return ids;
    }

    /**
     * Every provider-specific input, for the "not with a policy profile" check: not the step's general inputs, which
     * a provider may also read (the token-exchange service's client reads `profile` as the service's profile).
     */
    static Set<String> providerSpecificInputs() {
        Set<String> inputs = new TreeSet<>();
        for (ProviderDescriptor d : descriptors()) {
            allMapped(d).stream()
                    .forEach(p -> inputs.add(p.actionInput()));
        }
        inputs.removeAll(MainStep.GENERAL_INPUTS);
        return inputs;
    }

    /** Every input this class reads: the provider-specific ones and the lifetime inputs. */
    static Set<String> inputs() {
        Set<String> inputs = new TreeSet<>(providerSpecificInputs());
        descriptors().stream().map(ProviderDescriptor::lifetimeInput).filter(Objects::nonNull).forEach(inputs::add);
        return inputs;
    }

    static ExchangePlan plan(ActionInputs inputs) {
        ProviderDescriptor descriptor = descriptor(providerId(inputs));
        Map<String, Object> parameters = collect(inputs, descriptor.parameters());
        Map<String, Object> scope = collect(inputs, descriptor.scope());
        checkFormats(descriptor, parameters);
        Duration lifetime = requestedLifetime(inputs, descriptor.id()).orElse(DEFAULT_LIFETIME);
        if (descriptor.lifetimeInput() != null && inputs.get(descriptor.lifetimeInput()).isPresent()) {
            checkLifetime(descriptor, parameters, lifetime);
        }
        String audience = inputs.get("audience").orElseGet(() -> defaultAudience(descriptor.id(), parameters));
        return new ExchangePlan(descriptor.id(), parameters, scope, lifetime, audience);
    }

    /** A value the provider would refuse for its form (an AWS region, a session name), before any token is asked for. */
    private static void checkFormats(ProviderDescriptor descriptor, Map<String, Object> parameters) {
        for (var spec : descriptor.parameters()) {
            Object value = parameters.get(spec.name());
            if (spec.format() != null && spec.actionInput() != null && value != null
                    && !spec.format().matcher(String.valueOf(value)).matches()) {
                throw new ActionException(Reason.INVALID_INPUT, "input `" + spec.actionInput() + "` is '"
                        + String.valueOf(value).replaceAll("\\p{Cntrl}", "?") + "'; write " + spec.formatHint());
            }
        }
    }

    /**
     * The provider's own range (AWS STS: 900 to 43200 seconds, an hour for a chained role): a value the user wrote
     * is refused, never quietly cut, so the step never hands out a lifetime other than the one asked for. (A
     * profile's lifetime is a cap, which the core may shorten to.)
     */
    private static void checkLifetime(ProviderDescriptor descriptor, Map<String, Object> parameters, Duration lifetime) {
        long seconds = lifetime.toSeconds();
        long min = descriptor.minLifetime().toSeconds();
        long max = descriptor.maxLifetime(parameters).toSeconds();
        if (seconds < min || seconds > max) {
            throw new ActionException(Reason.INVALID_INPUT, "input `" + descriptor.lifetimeInput() + "` is " + seconds
                    + "; " + descriptor.id() + " issues credentials for " + min + " to " + max + " seconds"
                    + narrowedBy(descriptor, parameters) + "; pick a value in that range");
        }
    }

    /** " when `role-chaining` is set" for the inputs whose parameters lower the maximum, else nothing. */
    private static String narrowedBy(ProviderDescriptor descriptor, Map<String, Object> parameters) {
        Duration max = descriptor.maxLifetime(parameters);
        List<String> narrowing = parameters.keySet().stream().filter(name -> {
            Map<String, Object> without = new HashMap<>(parameters);
            without.remove(name);
            return descriptor.maxLifetime(without).compareTo(max) > 0;
        }).map(name -> descriptor.parameter(name).map(ParameterSpec::actionInput).orElse(name)).sorted().toList();
        return narrowing.isEmpty() ? "" : " when `" + String.join("`, `", narrowing) + "` "
                + (narrowing.size() == 1 ? "is" : "are") + " set";
    }

    /**
     * A provider's message in the terms of this step's inputs: the core names the parameter at fault as data
     * ({@link ProviderException#parameter()}, {@code role-arn}); the user wrote an input ({@code role-to-assume}).
     */
    static String inInputTerms(ProviderException e) {
        return e.parameter().flatMap(p -> actionInput(e.provider(), p))
                .map(input -> e.messageNaming("input `" + input + "`")).orElse(e.getMessage());
    }

    private static Optional<String> actionInput(String provider, String parameter) {
        return Providers.descriptor(provider)
                .flatMap(d -> d.parameter(parameter).or(() -> d.scopeEntry(parameter)))
                .map(ParameterSpec::actionInput);
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
        List<String> marked = marked(inputs);
        if (marked.size() == 1) {
            return marked.get(0);
        }
        throw new ActionException(Reason.INVALID_INPUT, (marked.isEmpty() ? "no provider given" : "the inputs "
                + "name several providers (" + String.join(", ", marked) + ")") + "; add `provider:` with one of "
                + String.join(", ", providers()) + " (or `policy:` and `profile:`)");
    }

    /** The providers whose marker inputs are set ({@code role-to-assume} names aws, {@code broker-url} broker). */
    static List<String> marked(ActionInputs inputs) {
        return descriptors().stream()
                .filter(d -> d.markerInputs().stream().anyMatch(m -> inputs.get(m).isPresent()))
                .map(ProviderDescriptor::id).toList();
    }

    /** The {@code aud} a provider's documentation tells administrators to trust by default, or {@code null}. */
    static String defaultAudience(String provider, Map<String, Object> parameters) {
        return Providers.descriptor(provider).flatMap(d -> d.defaultAudience(parameters)).orElse(null);
    }

    /** The lifetime the provider's own input asks for ({@code role-duration-seconds}, {@code access-token-lifetime}). */
    static Optional<Duration> requestedLifetime(ActionInputs inputs, String provider) {
        return Providers.descriptor(provider).map(ProviderDescriptor::lifetimeInput)
                .flatMap(input -> lifetime(inputs, input));
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

    private static List<ProviderDescriptor> descriptors() {
        return List.copyOf(Providers.descriptors().values());
    }

    private static ProviderDescriptor descriptor(String provider) {
        return Providers.descriptor(provider).orElseThrow();
    }

    private static List<ParameterSpec> mapped(List<ParameterSpec> specs) {
        return specs.stream().filter(p -> p.actionInput() != null).toList();
    }

    private static List<ParameterSpec> allMapped(ProviderDescriptor d) {
        return Stream.concat(mapped(d.parameters()).stream(), mapped(d.scope()).stream()).toList();
    }

    /** Each set input under its parameter's name; a list-typed parameter's input is split as its type says. */
    private static Map<String, Object> collect(ActionInputs inputs, List<ParameterSpec> specs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ParameterSpec p : mapped(specs)) {
            switch (p.type()) {
                case LIST, LINES -> {
                    List<String> items = p.type() == ParameterSpec.Type.LINES
                            ? inputs.lines(p.actionInput()) : inputs.list(p.actionInput());
                    if (!items.isEmpty()) {
                        out.put(p.name(), items);
                    }
                }
                default -> inputs.get(p.actionInput()).ifPresent(v -> out.put(p.name(), v));
            }
        }
        return out;
    }
}
