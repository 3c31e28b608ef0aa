package io.github.ephemeralcredentials.jenkins.apicheck;

/**
 * One use of a restricted or deprecated API member in the inspected classes.
 *
 * @param location {@code SourceFile.java:line (Class.method)} of the use
 * @param target   the member or type used, e.g. {@code hudson.ProxyConfiguration.noProxyHost}
 * @param problem  why that use is refused and what to do instead
 */
public record Finding(String location, String target, String problem) {

    @Override
    public String toString() {
        return location + ": " + target + " " + problem;
    }
}
