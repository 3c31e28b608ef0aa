package io.github.ephemeralcredentials.cli;

import picocli.CommandLine;

/** {@code --version} of both jars: the version Maven wrote into the jar's manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"ephemeral-credentials " + (version == null ? "(development build)" : version)};
    }
}
