package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image build cannot run here (no Docker), so what it needs is checked as text: Maven reads every module the root
 * pom lists before it selects {@code -pl cli}, so each one's pom must be copied, and the sources of every module the
 * CLI is built from.
 */
class DockerfileTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void copiesThePomOfEveryModuleTheRootPomListsByDefault() throws Exception {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        // The default <modules>, not a profile's.
        String modules = pom.substring(pom.indexOf("<modules>"), pom.indexOf("</modules>"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(modules);
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        int found = 0;
        while (module.find()) {
            found++;
            assertThat(dockerfile).as("Dockerfile copies %s/pom.xml", module.group(1))
                    .contains("COPY " + module.group(1) + "/pom.xml " + module.group(1) + "/");
        }
        assertThat(found).isGreaterThanOrEqualTo(5);
    }

    @Test
    void copiesTheSourcesOfEveryModuleTheCliIsBuiltFrom() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        for (String module : List.of("shared", "github-action", "service", "demo", "cli")) {
            assertThat(dockerfile).contains("COPY " + module + "/src " + module + "/src");
        }
    }
}
