package io.github.ephemeralcredentials.core.exchange;

import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.http.CredentialUrls;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.HttpUrl;

/**
 * What a cleanup may touch when its record crossed a boundary someone else can write to (the GitHub Action's
 * {@code STATE_*} variable, a state file): only files this host creates (its name prefix, directly in one of its
 * directories), only the variables the record's provider exports (its {@link ProviderDescriptor#ownVariable()}),
 * and revocations that send their token only over https or to loopback. A record that breaks any rule is refused
 * whole: one tampered field makes every other one suspect.
 *
 * @param directories where the host writes credential files
 * @param namePrefix  the start of every credential file's name the host writes
 * @param descriptors the descriptor of a provider id, if the host knows the provider
 */
public record CleanupScope(List<Path> directories, String namePrefix,
                           Function<String, Optional<ProviderDescriptor>> descriptors) {

    public CleanupScope {
        directories = directories.stream().map(d -> d.toAbsolutePath().normalize()).toList();
        if (namePrefix == null || namePrefix.isEmpty() || namePrefix.contains("/")) {
            throw new IllegalArgumentException("namePrefix must be a plain file name start");
        }
        Objects.requireNonNull(descriptors, "descriptors");
    }

    public static CleanupScope of(List<Path> directories, String namePrefix, Map<String, ProviderDescriptor> byId) {
        Map<String, ProviderDescriptor> copy = Map.copyOf(byId);
        return new CleanupScope(directories, namePrefix, id -> Optional.ofNullable(copy.get(id)));
    }

    /** What in {@code record} lies outside this scope, each in words that quote no secret; empty when nothing. */
    public List<String> problems(CleanupRecord record) {
        List<String> problems = new ArrayList<>();
        Optional<ProviderDescriptor> descriptor = descriptors.apply(record.provider());
        for (String variable : record.variables()) {
            if (descriptor.isEmpty() || !descriptor.get().ownVariable().test(variable)) {
                problems.add("variable " + printable(variable) + " is not one provider '" + printable(record.provider())
                        + "' exports");
            }
        }
        for (Revocation revocation : record.revocations()) {
            for (Map.Entry<String, String> parameter : revocation.parameters().entrySet()) {
                HttpUrl url = HttpUrl.parse(parameter.getValue().strip());
                if (url != null && !CredentialUrls.acceptable(url)) {
                    problems.add("revocation " + printable(revocation.provider()) + "/" + printable(revocation.kind())
                            + " would send its token to " + url.scheme() + "://" + url.host()
                            + ", which is neither https nor loopback");
                }
            }
        }
        for (String name : record.files()) {
            fileProblem(name).ifPresent(problems::add);
        }
        return problems;
    }

    private Optional<String> fileProblem(String name) {
        Path file;
        try {
            file = Path.of(name);
        } catch (InvalidPathException e) {
            return Optional.of("file " + printable(name) + " is not a path");
        }
        Path parent = file.getParent();
        boolean ours = file.isAbsolute() && file.normalize().equals(file) && parent != null
                && directories.contains(parent) && file.getFileName().toString().startsWith(namePrefix);
        return ours ? Optional.empty() : Optional.of("file " + printable(name) + " is not one this host writes (a "
                + namePrefix + "* file directly in " + directories + ")");
    }

    /** Names from a record nobody vouches for: shown, never interpreted by a terminal or a CI log. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder("'");
        text.codePoints().limit(200).forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append(text.length() > 200 ? "…'" : "'").toString();
    }
}
