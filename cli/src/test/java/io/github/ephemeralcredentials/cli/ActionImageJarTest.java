package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action image's jar itself (built and tested by {@code -Paction-image}; the container tests run against it in
 * the same execution): what the shrinking left out, how it is stored, and that it starts.
 */
class ActionImageJarTest {

    @TempDir
    Path dir;

    private Path jar;

    @BeforeEach
    void theJar() {
        String property = System.getProperty(Container.IMAGE_JAR);
        assumeTrue(property != null, "the action image's jar is built and tested with -Paction-image");
        jar = Path.of(property);
    }

    private List<ZipEntry> entries() throws Exception {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return new ArrayList<>(zip.stream().toList());
        }
    }

    @Test
    void holdsNoneOfTheServiceNorTheOtherCommands() throws Exception {
        List<String> names = entries().stream().map(ZipEntry::getName).toList();
        assertThat(names).contains("io/github/ephemeralcredentials/cli/ActionImage.class",
                "io/github/ephemeralcredentials/action/MainStep.class");
        assertThat(names).noneMatch(n -> n.startsWith("org/eclipse/jetty/") || n.startsWith("redis/clients/")
                || n.startsWith("io/prometheus/") || n.startsWith("io/github/ephemeralcredentials/service/")
                || n.startsWith("com/google/crypto/tink/") || n.startsWith("META-INF/versions/")
                || n.equals("io/github/ephemeralcredentials/cli/Main.class")
                || n.equals("io/github/ephemeralcredentials/cli/ServeCommand.class")
                || n.equals("io/github/ephemeralcredentials/cli/ExchangeCommand.class"));
    }

    @Test
    void startsAtTheActionImagesOwnEntryPoint() throws Exception {
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(ActionImage.class.getName());
        }
    }

    private record Output(int exitCode, String text) {
    }

    private Output java(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Output(process.exitValue(), text);
    }

    @Test
    void answersVersionAndHelpAndRefusesAnotherCommandNamingTheFullCli() throws Exception {
        Output version = java("--version");
        assertThat(version.exitCode()).as(version.text()).isZero();
        assertThat(version.text()).startsWith("ephemeral-credentials ");

        Output help = java("help", "action");
        assertThat(help.exitCode()).as(help.text()).isZero();
        assertThat(help.text()).contains("main").contains("post");

        Output serve = java("serve", "--check");
        assertThat(serve.exitCode()).as(serve.text()).isEqualTo(2);
        assertThat(serve.text()).contains("ephemeral-credentials.jar");
    }
}
