package io.github.ephemeralcredentials.core.policy;

import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
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
    /** Aliases of mappings or lists allowed in one file: enough for sharing a few blocks, far from a bomb. */
    static final int MAX_COLLECTION_ALIASES = 20;

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
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw tooLarge(start, size);
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new PolicyException(new PolicyProblem(PolicyProblem.Code.UNREADABLE, start,
                    "no such file; check the path to the policy file"));
        } catch (IOException e) {
            throw new PolicyException(new PolicyProblem(PolicyProblem.Code.UNREADABLE, start,
                    "cannot read the policy file: " + e.getMessage()));
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(start, bytes.length);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PolicyException(new PolicyProblem(PolicyProblem.Code.SYNTAX, start,
                    "the policy file is not UTF-8 text; save it as UTF-8"));
        }
        return parseChecked(text, name, descriptors);
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
                .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES)
                .setCodePointLimit(MAX_BYTES)
                .setUseMarks(true)
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            SourcePosition at = mark == null ? start
                    : new SourcePosition(sourceName, mark.getLine() + 1, mark.getColumn() + 1);
            throw new PolicyException(new PolicyProblem(PolicyProblem.Code.SYNTAX, at,
                    "not valid YAML or JSON: " + (e.getContext() == null ? "" : e.getContext() + ", ")
                            + e.getProblem()));
        } catch (YamlEngineException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.contains("aliases")) {
                throw new PolicyException(new PolicyProblem(PolicyProblem.Code.TOO_COMPLEX, start,
                        "the policy uses more than " + MAX_COLLECTION_ALIASES + " aliases of lists or mappings "
                                + "(the shape of a 'billion laughs' attack); write it out without anchors and aliases"));
            }
            if (message.contains("code point")) {
                throw tooLarge(start, text.length());
            }
            throw new PolicyException(new PolicyProblem(PolicyProblem.Code.SYNTAX, start,
                    "not valid YAML or JSON: " + message));
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
