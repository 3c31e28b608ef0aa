package io.github.ephemeralcredentials.core.provider;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What a provider is, without its code: its parameters and scope entries, the {@code aud} its trust configuration
 * expects by default, the lifetimes it can issue, and whether it presents the CI token to a verifier itself. The
 * policy loader checks profiles against it and hosts derive their inputs from it, so no host spells a provider's
 * parameter names.
 *
 * @param id               the provider id profiles and inputs name ({@code aws}, {@code gcp}, ...)
 * @param summary          one line for help and docs
 * @param parameters       what {@code parameters:} may hold
 * @param scope            what {@code scope:} may hold
 * @param minLifetime      the shortest lifetime the provider issues
 * @param maxLifetime      the longest lifetime the provider issues for the given parameters (AWS: one hour for a
 *                         chained role)
 * @param defaultAudience  the {@code aud} the provider's own documentation tells administrators to trust, for the
 *                         given parameters; empty when it has none (the host then asks for one or leaves the CI
 *                         system's default)
 * @param presentsCiToken  whether the provider hands the CI token to a party that verifies it (a cloud STS, Vault, an
 *                         OAuth server). A provider that does not (GitHub App tokens are issued on the job's word alone)
 *                         must only ever run on verified claims
 * @param lifetimeInput    the GitHub Action input that carries the lifetime in the provider's own action's terms
 *                         ({@code role-duration-seconds}), or {@code null}
 * @param markerInputs     action inputs whose presence names this provider when {@code provider:} is not given
 * @param tokenFileParameter the parameter that makes the provider hand over the CI token in a file for its SDKs to
 *                         exchange themselves ({@code web-identity-token-file}), or {@code null} when it has none
 * @param ownVariable      whether a variable name is one this provider exports (the fixed names of its credential
 *                         values, or any name a profile may choose where the provider lets it choose): a host blanks
 *                         at cleanup only names that pass, whatever a cleanup record it did not write may say
 * <p>The lifetime bounds and the default audience are functions of the parameters, evaluated on whatever a profile
 * holds: they read only what they need and treat a malformed value as absent (the provider reports it).
 */
public record ProviderDescriptor(String id, String summary, List<ParameterSpec> parameters, List<ParameterSpec> scope,
                                 Duration minLifetime, Function<Map<String, Object>, Duration> maxLifetime,
                                 Function<Map<String, Object>, Optional<String>> defaultAudience,
                                 boolean presentsCiToken, String lifetimeInput, Set<String> markerInputs,
                                 String tokenFileParameter, Predicate<String> ownVariable) {

    /** A provider that exports no variable of its own. */
    public ProviderDescriptor(String id, String summary, List<ParameterSpec> parameters, List<ParameterSpec> scope,
                              Duration minLifetime, Function<Map<String, Object>, Duration> maxLifetime,
                              Function<Map<String, Object>, Optional<String>> defaultAudience,
                              boolean presentsCiToken, String lifetimeInput, Set<String> markerInputs,
                              String tokenFileParameter) {
        this(id, summary, parameters, scope, minLifetime, maxLifetime, defaultAudience, presentsCiToken, lifetimeInput,
                markerInputs, tokenFileParameter, name -> false);
    }

    public ProviderDescriptor {
        Objects.requireNonNull(ownVariable, "ownVariable");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(summary, "summary");
        parameters = List.copyOf(parameters);
        scope = List.copyOf(scope);
        Objects.requireNonNull(minLifetime, "minLifetime");
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        Objects.requireNonNull(defaultAudience, "defaultAudience");
        markerInputs = Set.copyOf(markerInputs);
        Set<String> names = new java.util.HashSet<>();
        for (ParameterSpec p : parameters) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException(id + " declares parameter '" + p.name() + "' twice");
            }
        }
    }

    /** This descriptor, exporting exactly {@code names}. */
    public ProviderDescriptor exporting(Set<String> names) {
        Set<String> own = Set.copyOf(names);
        return exporting(own::contains);
    }

    /** This descriptor, exporting the names {@code own} accepts. */
    public ProviderDescriptor exporting(Predicate<String> own) {
        return new ProviderDescriptor(id, summary, parameters, scope, minLifetime, maxLifetime, defaultAudience,
                presentsCiToken, lifetimeInput, markerInputs, tokenFileParameter, own);
    }

    /** The names {@code parameters:} may hold. */
    public Set<String> parameterNames() {
        return parameters.stream().map(ParameterSpec::name).collect(Collectors.toUnmodifiableSet());
    }

    /** The names {@code scope:} may hold. */
    public Set<String> scopeNames() {
        return scope.stream().map(ParameterSpec::name).collect(Collectors.toUnmodifiableSet());
    }

    /** The parameter called {@code name}, if the provider reads one. */
    public Optional<ParameterSpec> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The scope entry called {@code name}, if the provider reads one. */
    public Optional<ParameterSpec> scopeEntry(String name) {
        return scope.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The longest lifetime the provider issues with these parameters. */
    public Duration maxLifetime(Map<String, Object> parameters) {
        return maxLifetime.apply(parameters);
    }

    /** The {@code aud} to ask the CI system for when nobody names one; empty when the CI system's default is right. */
    public Optional<String> defaultAudience(Map<String, Object> parameters) {
        return defaultAudience.apply(parameters);
    }

    /**
     * What is wrong with a profile's {@code parameters:} for this provider, every problem at once: unknown names
     * (with the closest known one), missing required ones, values of the wrong shape. Empty when nothing is.
     */
    public List<ParameterProblem> checkParameters(Map<String, Object> values) {
        return ParameterCheck.check(this, "parameter", parameters, values);
    }

    /** As {@link #checkParameters}, for a profile's {@code scope:}. */
    public List<ParameterProblem> checkScope(Map<String, Object> values) {
        return ParameterCheck.check(this, "scope entry", scope, values);
    }

    /** A lifetime outside {@link #minLifetime()} and {@link #maxLifetime(Map)} for these parameters, else empty. */
    public Optional<ParameterProblem> checkLifetime(Duration lifetime, Map<String, Object> parameters) {
        return ParameterCheck.lifetime(this, lifetime, parameters);
    }
}
