package io.github.ephemeralcredentials.jenkins.apicheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jvnet.localizer.Generator;
import org.jvnet.localizer.GeneratorConfig;
import org.apache.tools.ant.Project;
import org.apache.tools.ant.types.FileSet;

/**
 * {@code LocalizerMessages RESOURCES_DIR OUTPUT_DIR}: writes a {@code Messages} class for every
 * {@code Messages.properties} under RESOURCES_DIR, with localizer's own generator and the settings plugin-pom gives
 * localizer-maven-plugin ({@code fileMask Messages.properties}, {@code accessModifierAnnotations true}), so the
 * offline type check compiles against the same class the plugin's real build generates.
 */
public final class LocalizerMessages {

    private LocalizerMessages() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: LocalizerMessages RESOURCES_DIR OUTPUT_DIR");
        }
        generate(Path.of(args[0]), Path.of(args[1]));
    }

    static void generate(Path resources, Path output) throws IOException {
        if (!Files.isDirectory(resources)) {
            throw new IllegalArgumentException("no resources directory at " + resources);
        }
        Files.createDirectories(output);
        GeneratorConfig config = GeneratorConfig.of(output.toFile(), null, message -> { }, null, false, true);
        Generator generator = new Generator(config);
        FileSet files = new FileSet();
        files.setDir(resources.toFile());
        files.createInclude().setName("**/Messages.properties");
        generator.generate(resources.toFile(), files.getDirectoryScanner(new Project()));
        generator.build();
    }
}
