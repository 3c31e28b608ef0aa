package io.github.ephemeralcredentials.jenkins.apicheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalizerMessagesTest {

    @TempDir
    Path dir;

    @Test
    void generatesTheMessagesClassLocalizerMavenPluginWould() throws Exception {
        Path resources = Files.createDirectories(dir.resolve("resources/p/q"));
        Files.writeString(resources.resolve("Messages.properties"), """
                Thing.DisplayName=A thing
                Thing.OutOfRange={0} must be between {1} and {2}
                """, StandardCharsets.ISO_8859_1);

        LocalizerMessages.generate(dir.resolve("resources"), dir.resolve("out"));

        String generated = Files.readString(dir.resolve("out/p/q/Messages.java"));
        assertThat(generated).contains("package p.q;")
                .contains("@Restricted(org.kohsuke.accmod.restrictions.NoExternalUse.class)\npublic class Messages")
                .contains("public static String Thing_DisplayName()")
                .contains("public static Localizable _Thing_DisplayName()")
                .contains("public static String Thing_OutOfRange(Object arg0, Object arg1, Object arg2)");
    }
}
