package io.github.ephemeralcredentials.jenkins.apicheck;

import io.github.ephemeralcredentials.jenkins.apicheck.ApiAnnotations.ApiClass;
import io.github.ephemeralcredentials.jenkins.apicheck.ApiAnnotations.Marks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Finds, in a module's compiled classes, every use of an API type or member that is {@code @Restricted} (what
 * Jenkins' access-modifier-checker refuses in a plugin's real build) or {@code @Deprecated}, reading the annotations
 * from the class files on the given class path (here: the Jenkins API stubs, which carry the real annotations).
 *
 * <p>Uses are what the real checker looks at (supertypes, {@code new}, calls, field reads and writes), plus what it
 * misses: method references ({@code invokedynamic} handles), lambda bodies, casts, {@code instanceof}, class literals
 * and the types in the module's own field and method declarations. Members are resolved as the JVM resolves them, from
 * the static owner up through its supertypes, so a restricted method called through a subclass is still found.
 * Restrictions on a class apply to its members and nested classes, as {@code DoNotUse}, {@code NoExternalUse} and
 * {@code Beta} do in the real checker. JDK classes are left to javac's own deprecation lint.
 */
public final class RestrictedUseScan {

    private static final String NO_EXTERNAL_USE = "org/kohsuke/accmod/restrictions/NoExternalUse";
    private static final String DO_NOT_USE = "org/kohsuke/accmod/restrictions/DoNotUse";
    private static final String BETA = "org/kohsuke/accmod/restrictions/Beta";
    private static final String PROTECTED_EXTERNALLY = "org/kohsuke/accmod/restrictions/ProtectedExternally";
    private static final String NONE = "org/kohsuke/accmod/restrictions/None";

    private final ApiAnnotations api;
    private final boolean useBeta;
    /** The inspected module's classes: what they declare is theirs to use. */
    private final Map<String, ApiClass> own = new HashMap<>();

    /**
     * @param dependencies the class path of the API (class files only are read; nothing is loaded or initialised)
     * @param useBeta      as the plugin POM's {@code useBeta}: whether {@code @Restricted(Beta.class)} may be used
     */
    public RestrictedUseScan(ClassLoader dependencies, boolean useBeta) {
        this.api = new ApiAnnotations(dependencies);
        this.useBeta = useBeta;
    }

    /** Every finding in the class files under {@code classes}, in a stable order. */
    public List<Finding> scan(Path classes) throws IOException {
        List<byte[]> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(file);
                files.add(bytes);
                ApiClass parsed = ApiAnnotations.parse(bytes);
                own.put(parsed.name(), parsed);
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (byte[] file : files) {
            // One finding per class and target (the first use): a deprecated superclass is also the owner of the
            // implicit super() call, and a member used ten times is one thing to fix.
            Map<String, Finding> inClass = new LinkedHashMap<>();
            new ClassReader(file).accept(new Inspector(inClass), ClassReader.SKIP_FRAMES);
            findings.addAll(inClass.values());
        }
        return List.copyOf(findings);
    }

    private static boolean jdk(String internalName) {
        return internalName.startsWith("java/") || internalName.startsWith("javax/") || internalName.startsWith("jdk/")
                || internalName.startsWith("sun/") || internalName.startsWith("com/sun/");
    }

    /** Why using the type is refused: its own marks, or a restriction of an enclosing class. */
    private Optional<String> typeProblem(String internalName, boolean invokeSpecial) {
        if (internalName == null || own.containsKey(internalName) || jdk(internalName)) {
            return Optional.empty();
        }
        Optional<ApiClass> type = api.find(internalName);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> problem = problem(type.get().marks(), invokeSpecial);
        return problem.isPresent() ? problem : enclosingRestriction(internalName, invokeSpecial);
    }

    /** Restrictions of {@code Outer} apply to {@code Outer$Nested} and its members (not deprecation, as in javac). */
    private Optional<String> enclosingRestriction(String internalName, boolean invokeSpecial) {
        String name = internalName;
        for (int dollar = name.lastIndexOf('$'); dollar > 0; dollar = name.lastIndexOf('$')) {
            name = name.substring(0, dollar);
            Optional<ApiClass> outer = api.find(name);
            if (outer.isPresent() && !outer.get().marks().restrictions().isEmpty()) {
                Marks restrictionsOnly = new Marks(outer.get().marks().restrictions(), false, null);
                Optional<String> problem = problem(restrictionsOnly, invokeSpecial);
                if (problem.isPresent()) {
                    return Optional.of(problem.get() + " (on the enclosing " + name.replace('/', '.') + ")");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The member {@code owner.key} as the JVM resolves it (the owner, then its superclasses, then its interfaces), and
     * why using it is refused: its own marks, or a restriction of the class that declares it.
     */
    private Optional<Finding> memberProblem(String owner, String key, boolean field, boolean invokeSpecial,
            String location) {
        Deque<String> pending = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        pending.add(owner);
        while (!pending.isEmpty()) {
            String name = pending.poll();
            if (!seen.add(name) || jdk(name)) {
                continue;
            }
            ApiClass type = own.get(name);
            boolean ours = type != null;
            if (!ours) {
                type = api.find(name).orElse(null);
            }
            if (type == null) {
                continue;
            }
            Marks marks = field ? type.fields().get(key) : type.methods().get(key);
            if (marks != null) {
                if (ours) {
                    return Optional.empty();
                }
                String target = name.replace('/', '.') + "." + display(key, field);
                Optional<String> problem = problem(marks, invokeSpecial);
                if (problem.isEmpty()) {
                    Marks restrictionsOnly = new Marks(type.marks().restrictions(), false, null);
                    problem = problem(restrictionsOnly, invokeSpecial).map(p -> p + " (on its class)");
                }
                if (problem.isEmpty()) {
                    problem = enclosingRestriction(name, invokeSpecial);
                }
                return problem.map(p -> new Finding(location, target, p));
            }
            if (type.superName() != null) {
                pending.add(type.superName());
            }
            pending.addAll(type.interfaces());
        }
        return Optional.empty();
    }

    private static String display(String key, boolean field) {
        if (field) {
            return key;
        }
        int paren = key.indexOf('(');
        String name = key.substring(0, paren);
        List<String> parameters = new ArrayList<>();
        for (Type t : Type.getArgumentTypes(key.substring(paren))) {
            String className = t.getClassName();
            parameters.add(className.substring(className.lastIndexOf('.') + 1));
        }
        return name + "(" + String.join(", ", parameters) + ")";
    }

    private Optional<String> problem(Marks marks, boolean invokeSpecial) {
        for (String restriction : marks.restrictions()) {
            switch (restriction) {
                case NONE -> {
                    // explicitly unrestricted
                }
                case BETA -> {
                    if (!useBeta) {
                        return Optional.of("is @Restricted(Beta.class): still in beta, so the plugin's real build "
                                + "refuses it unless the plugin POM sets <useBeta>true</useBeta>");
                    }
                }
                case NO_EXTERNAL_USE -> {
                    return Optional.of("is @Restricted(NoExternalUse.class): only its own module may use it, and "
                            + "access-modifier-checker fails the plugin's real build here; use its public API instead");
                }
                case PROTECTED_EXTERNALLY -> {
                    if (!invokeSpecial) {
                        return Optional.of("is @Restricted(ProtectedExternally.class): outside its module it may "
                                + "only be overridden or called on super");
                    }
                }
                case DO_NOT_USE -> {
                    return Optional.of("is @Restricted(DoNotUse.class): no plugin may use it");
                }
                default -> {
                    return Optional.of("is @Restricted(" + restriction.substring(restriction.lastIndexOf('/') + 1)
                            + ".class), a restriction this check does not know: treat it as not for plugins");
                }
            }
        }
        if (marks.deprecated()) {
            return Optional.of("is @Deprecated" + (marks.since() == null ? "" : " since " + marks.since())
                    + ": use the replacement its Javadoc names");
        }
        return Optional.empty();
    }

    /** Walks one class of the inspected module and records every refused use. */
    private final class Inspector extends ClassVisitor {
        private final Map<String, Finding> findings;
        private String className;
        private String source = "?";
        private String member = "";
        private int line;
        private final List<Runnable> header = new ArrayList<>();

        Inspector(Map<String, Finding> findings) {
            super(Opcodes.ASM9);
            this.findings = findings;
        }

        private String location() {
            String simple = className.substring(className.lastIndexOf('/') + 1);
            return source + (line > 0 ? ":" + line : "") + " (" + simple + (member.isEmpty() ? "" : "." + member) + ")";
        }

        private void add(Finding finding) {
            findings.putIfAbsent(finding.target() + " " + finding.problem(), finding);
        }

        private void type(String internalName) {
            String location = location();
            typeProblem(internalName, false).ifPresent(p -> add(
                    new Finding(location, internalName.replace('/', '.'), p)));
        }

        private void types(Type type) {
            switch (type.getSort()) {
                case Type.ARRAY -> types(type.getElementType());
                case Type.OBJECT -> type(type.getInternalName());
                case Type.METHOD -> {
                    types(type.getReturnType());
                    for (Type argument : type.getArgumentTypes()) {
                        types(argument);
                    }
                }
                default -> {
                    // primitives
                }
            }
        }

        private void member(String owner, String key, boolean field, boolean invokeSpecial) {
            if (owner.startsWith("[")) {
                return; // array clone() and length
            }
            memberProblem(owner, key, field, invokeSpecial, location()).ifPresent(this::add);
            type(owner);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            className = name;
            // Reported after visitSource, so that the location names the file.
            header.add(() -> {
                if (superName != null) {
                    type(superName);
                }
                if (interfaces != null) {
                    for (String i : interfaces) {
                        type(i);
                    }
                }
            });
        }

        @Override
        public void visitSource(String file, String debug) {
            source = file == null ? "?" : file;
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            flushHeader();
            member = name;
            line = 0;
            types(Type.getType(descriptor));
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            flushHeader();
            if ((access & Opcodes.ACC_BRIDGE) != 0) {
                return null; // compiler-made, repeats what the real method uses
            }
            member = name;
            line = 0;
            types(Type.getMethodType(descriptor));
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitLineNumber(int number, Label start) {
                    line = number;
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    types(Type.getObjectType(type));
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean itf) {
                    member(owner, name + descriptor, false, opcode == Opcodes.INVOKESPECIAL);
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
                    member(owner, name, true, false);
                }

                @Override
                public void visitLdcInsn(Object value) {
                    if (value instanceof Type type) {
                        types(type);
                    } else if (value instanceof Handle handle) {
                        handle(handle);
                    }
                }

                @Override
                public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
                    for (Object argument : arguments) {
                        if (argument instanceof Handle handle) {
                            handle(handle);
                        }
                    }
                }

                @Override
                public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
                    types(Type.getType(descriptor));
                }

                private void handle(Handle handle) {
                    boolean field = handle.getTag() <= Opcodes.H_PUTSTATIC;
                    member(handle.getOwner(), field ? handle.getName() : handle.getName() + handle.getDesc(), field,
                            handle.getTag() == Opcodes.H_INVOKESPECIAL);
                }
            };
        }

        @Override
        public void visitEnd() {
            flushHeader();
        }

        private void flushHeader() {
            header.forEach(Runnable::run);
            header.clear();
        }
    }
}
