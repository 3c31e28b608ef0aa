package io.github.ephemeralcredentials.jenkins.apicheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The access annotations of the API classes a scan meets ({@code @Restricted} and {@code @Deprecated} on types, fields
 * and methods, with their supertypes for resolving inherited members), read from class files through a class loader
 * without loading any class.
 */
final class ApiAnnotations {

    static final String RESTRICTED = "Lorg/kohsuke/accmod/Restricted;";
    static final String DEPRECATED = "Ljava/lang/Deprecated;";

    /** What one type or member carries: the restriction classes' internal names, and whether and since when deprecated. */
    record Marks(List<String> restrictions, boolean deprecated, String since) {
        static final Marks NONE = new Marks(List.of(), false, null);

        boolean any() {
            return !restrictions.isEmpty() || deprecated;
        }
    }

    /** One API class: its supertypes, its own marks, and those of its members ({@code name+descriptor}, fields by name). */
    record ApiClass(String name, String superName, List<String> interfaces, Marks marks, Map<String, Marks> methods,
            Map<String, Marks> fields) {
    }

    private final ClassLoader classes;
    private final Map<String, Optional<ApiClass>> cache = new HashMap<>();

    ApiAnnotations(ClassLoader classes) {
        this.classes = classes;
    }

    /** The class, or empty when the class path has no such class file. */
    Optional<ApiClass> find(String internalName) {
        return cache.computeIfAbsent(internalName, this::read);
    }

    private Optional<ApiClass> read(String internalName) {
        try (InputStream in = classes.getResourceAsStream(internalName + ".class")) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(parse(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the class file of " + internalName.replace('/', '.'), e);
        }
    }

    static ApiClass parse(byte[] classFile) {
        Collector collector = new Collector();
        new ClassReader(classFile).accept(collector, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
        return new ApiClass(collector.name, collector.superName, collector.interfaces, collector.marks.build(),
                collector.methods, collector.fields);
    }

    /** Builds the {@link Marks} of one element from its annotations and its access flags. */
    private static final class MarksBuilder {
        final List<String> restrictions = new ArrayList<>();
        boolean deprecated;
        String since;

        MarksBuilder(int access) {
            deprecated = (access & Opcodes.ACC_DEPRECATED) != 0;
        }

        AnnotationVisitor visit(String descriptor) {
            if (RESTRICTED.equals(descriptor)) {
                return new AnnotationVisitor(Opcodes.ASM9) {
                    @Override
                    public AnnotationVisitor visitArray(String name) {
                        return new AnnotationVisitor(Opcodes.ASM9) {
                            @Override
                            public void visit(String ignored, Object value) {
                                if (value instanceof Type type) {
                                    restrictions.add(type.getInternalName());
                                }
                            }
                        };
                    }
                };
            }
            if (DEPRECATED.equals(descriptor)) {
                deprecated = true;
                return new AnnotationVisitor(Opcodes.ASM9) {
                    @Override
                    public void visit(String name, Object value) {
                        if ("since".equals(name) && value instanceof String s && !s.isEmpty()) {
                            since = s;
                        }
                    }
                };
            }
            return null;
        }

        Marks build() {
            return restrictions.isEmpty() && !deprecated ? Marks.NONE
                    : new Marks(List.copyOf(restrictions), deprecated, since);
        }
    }

    private static final class Collector extends ClassVisitor {
        String name;
        String superName;
        List<String> interfaces = List.of();
        MarksBuilder marks;
        final Map<String, Marks> methods = new HashMap<>();
        final Map<String, Marks> fields = new HashMap<>();

        Collector() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            this.name = name;
            this.superName = superName;
            this.interfaces = interfaces == null ? List.of() : List.of(interfaces);
            this.marks = new MarksBuilder(access);
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            return marks.visit(descriptor);
        }

        @Override
        public FieldVisitor visitField(int access, String field, String descriptor, String signature, Object value) {
            MarksBuilder own = new MarksBuilder(access);
            return new FieldVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                    return own.visit(annotation);
                }

                @Override
                public void visitEnd() {
                    fields.put(field, own.build());
                }
            };
        }

        @Override
        public MethodVisitor visitMethod(int access, String method, String descriptor, String signature,
                String[] exceptions) {
            MarksBuilder own = new MarksBuilder(access);
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                    return own.visit(annotation);
                }

                @Override
                public void visitEnd() {
                    methods.put(method + descriptor, own.build());
                }
            };
        }
    }
}
