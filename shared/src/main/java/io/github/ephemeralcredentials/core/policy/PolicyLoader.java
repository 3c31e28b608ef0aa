package io.github.ephemeralcredentials.core.policy;

import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads a policy file (YAML, or JSON, which is YAML too) into a validated {@link Policy}, each profile checked against
 * its provider's descriptor, which the caller passes: this package does not know the providers. Every problem is reported
 * with {@code file:line:column}; hostile input (alias bombs, huge files, deep nesting) is refused before it costs
 * more than a few milliseconds.
 */
public final class PolicyLoader {

    /** The largest policy file accepted. Real policies are a few kilobytes; 1 MiB leaves room for thousands of rules. */
    public static final int MAX_BYTES = 1024 * 1024;

    private PolicyLoader() {
    }

    /**
     * Loads a policy file and checks everything it says, each profile against its provider's descriptor included:
     * what every product path (CLI, action, Jenkins, the exchange service) calls with
     * {@code Providers.descriptors()}.
     *
     * @param descriptors the providers profiles may name, by id
     * @throws PolicyException with every problem found, each with its position
     */
    public static Policy load(Path path, Map<String, ProviderDescriptor> descriptors) {
        return read(path, Objects.requireNonNull(descriptors, "descriptors"));
    }

    /**
     * Loads a policy file's structure only: profiles' providers, parameters and scope are not checked. For tools
     * that read a file meant for another installation; a host that exchanges uses {@link #load(Path, Map)}.
     *
     * @throws PolicyException with every problem found, each with its position
     */
    public static Policy loadStructure(Path path) {
        return read(path, null);
    }

    private static Policy read(Path path, Map<String, ProviderDescriptor> descriptors) {
        String name = path.toString();
        SourcePosition start = new SourcePosition(name, 1, 1);
        return parseBytes(readLimited(path, start), name, descriptors);
    }

    /** The bytes of a policy file as read from disk: size limit, strict UTF-8, then {@link #parseChecked}. */
    static Policy parseBytes(byte[] bytes, String name, Map<String, ProviderDescriptor> descriptors) {
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(new SourcePosition(name, 1, 1), bytes.length);
        }
        return parseChecked(decode(bytes, name), name, descriptors);
    }

    /**
     * At most the limit plus one byte, whatever the file is: {@code Files.size()} is 0 for {@code /dev/zero} and for
     * a FIFO, whose writer may never stop.
     */
    private static byte[] readLimited(Path path, SourcePosition start) {
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw tooLarge(start, size);
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                throw new PolicyException(new PolicyProblem(PolicyProblem.Code.TOO_LARGE, start, String.format(
                        "the policy file is over the %,d-byte limit (reading stopped there); a trust policy this "
                                + "large cannot be reviewed - split it by team or remove generated rules", MAX_BYTES)));
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new PolicyException(new PolicyProblem(PolicyProblem.Code.UNREADABLE, start,
                    "no such file; check the path to the policy file"));
        } catch (IOException e) {
            throw new PolicyException(new PolicyProblem(PolicyProblem.Code.UNREADABLE, start,
                    "cannot read the policy file: " + e.getMessage()));
        }
    }

    /** Strict UTF-8; a malformed byte is reported at its line and column. */
    private static String decode(byte[] bytes, String name) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        out.flip();
        if (result.isError()) {
            throw new PolicyException(new PolicyProblem(PolicyProblem.Code.SYNTAX, positionAfter(out, name),
                    "the policy file is not UTF-8 text (a malformed byte sequence here); save it as UTF-8"));
        }
        return out.toString();
    }

    /** Where the next character after {@code text} would stand, counting lines as YAML does. */
    private static SourcePosition positionAfter(CharSequence text, String name) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')) {
                line++;
                column = 1;
            } else if (!Character.isLowSurrogate(c) && !(i == 0 && c == '\uFEFF')) {
                column++;
            }
        }
        return new SourcePosition(name, line, column);
    }

    /**
     * Parses policy text and checks everything it says, each profile against its provider's descriptor included;
     * {@code sourceName} is used in positions.
     *
     * @param descriptors the providers profiles may name, by id
     * @throws PolicyException with every problem found
     */
    public static Policy parse(String text, String sourceName, Map<String, ProviderDescriptor> descriptors) {
        return parseChecked(text, sourceName, Objects.requireNonNull(descriptors, "descriptors"));
    }

    /**
     * Parses policy text's structure only, as {@link #loadStructure}.
     *
     * @throws PolicyException with every problem found
     */
    public static Policy parseStructure(String text, String sourceName) {
        return parseChecked(text, sourceName, null);
    }

    private static Policy parseChecked(String text, String sourceName, Map<String, ProviderDescriptor> descriptors) {
        SourcePosition start = new SourcePosition(sourceName, 1, 1);
        if (text.length() > MAX_BYTES) {
            throw tooLarge(start, text.length());
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(sourceName)
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(true) // reported by the reader with both positions
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(GuardedEvents.MAX_COLLECTION_ALIASES)
                .setCodePointLimit(MAX_BYTES)
                // The 1 KiB default grows by copying once per chunk: a 1 MiB scalar allocated about 2 GB.
                .setBufferSize(text.length() + 1)
                .setUseMarks(true)
                .build();
        Optional<Node> root;
        try {
            Parser events = new GuardedEvents(new ParserImpl(settings, new StreamReader(settings, text)), sourceName);
            root = new Composer(settings, events).getSingleNode();
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            SourcePosition at = mark == null ? start
                    : new SourcePosition(sourceName, mark.getLine() + 1, mark.getColumn() + 1);
            throw new PolicyException(new PolicyProblem(PolicyProblem.Code.SYNTAX, at,
                    "not valid YAML or JSON: " + (e.getContext() == null ? "" : e.getContext() + ", ")
                            + e.getProblem()));
        } catch (PolicyException e) {
            throw e;
        } catch (YamlEngineException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.contains("code point")) {
                throw tooLarge(start, text.length());
            }
            throw new PolicyException(new PolicyProblem(PolicyProblem.Code.SYNTAX, start,
                    "not valid YAML or JSON: " + message));
        } catch (RuntimeException e) {
            // snakeyaml-engine lets a few of its own slips out, e.g. a NumberFormatException for an escape cut off
            // by the end of the file (found by PolicyLoaderFuzzTest): still a syntax error, never a stack trace.
            throw new PolicyException(new PolicyProblem(PolicyProblem.Code.SYNTAX, start,
                    "not valid YAML or JSON: the text ends or breaks inside a quoted value or an escape such as \\x41; "
                            + "check the quoting near the end of the file"));
        }
        if (root.isEmpty()) {
            throw new PolicyException(new PolicyProblem(PolicyProblem.Code.EMPTY, start,
                    "the policy file is empty; start with 'version: 1', then 'profiles:' and 'rules:'"));
        }
        return new PolicyReader(sourceName, descriptors).read(root.get());
    }

    private static PolicyException tooLarge(SourcePosition start, long size) {
        return new PolicyException(new PolicyProblem(PolicyProblem.Code.TOO_LARGE, start, String.format(
                "the policy file is %,d bytes, over the %,d-byte limit; a trust policy this large cannot be "
                        + "reviewed - split it by team or remove generated rules", size, MAX_BYTES)));
    }
}
