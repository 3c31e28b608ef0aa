package io.github.ephemeralcredentials.jenkins.apicheck;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/** Compiles small sources against this test's class path (the Jenkins API stubs) into a directory, as javac would. */
final class Compiler {

    private Compiler() {
    }

    /** @param sources class name → source text; {@code classPath} is added before this test's own */
    static Path compile(Path output, Map<String, String> sources, Path... classPath) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, text) -> units.add(new SimpleJavaFileObject(
                URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        }));
        StringWriter errors = new StringWriter();
        // No -Werror here: the scan, not javac's lint, is under test (javac only warns on deprecation).
        StringBuilder path = new StringBuilder();
        for (Path entry : classPath) {
            path.append(entry).append(File.pathSeparator);
        }
        path.append(System.getProperty("java.class.path"));
        boolean ok = javac.getTask(errors, null, null, List.of("-d", output.toString(), "-classpath", path.toString(),
                "-proc:none", "-nowarn"), null, units).call();
        if (!ok) {
            throw new IllegalStateException("test sources do not compile:\n" + errors);
        }
        return output;
    }
}
