package io.github.ephemeralcredentials.core.policy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * The YAML event stream between snakeyaml-engine's parser and its composer, refusing a document before the composer
 * builds what it describes: nesting deeper than {@link #MAX_DEPTH} (the composer recurses once per level, so 2,000
 * nested flow lists overflow the stack), more than {@link #MAX_COLLECTION_ALIASES} aliases of lists or mappings,
 * and more than {@link #MAX_EXPANDED_CHARS} characters of scalars once every alias is counted as the text it stands
 * for (one 500 KB anchored string repeated by 30,000 aliases is 15 billion characters to every reader of the tree).
 * Each refusal names its limit and the position of the event that crossed it.
 */
final class GuardedEvents implements Parser {

    /** Lists and mappings inside each other: real policies nest about six levels. */
    static final int MAX_DEPTH = 64;
    /** Aliases of mappings or lists allowed in one file: enough for sharing a few blocks, far from a bomb. */
    static final int MAX_COLLECTION_ALIASES = 20;
    /** Scalar characters after expanding aliases: twice what the largest accepted file can hold without them. */
    static final long MAX_EXPANDED_CHARS = 2L * PolicyLoader.MAX_BYTES;

    private final Parser parser;
    private final String source;
    /** Characters of scalars inside each open list or mapping, and the anchor it will be known by. */
    private final Deque<Open> open = new ArrayDeque<>();
    private final Map<Anchor, Long> anchoredChars = new HashMap<>();
    private final Map<Anchor, Boolean> anchoredCollections = new HashMap<>();
    private long expandedChars;
    private int collectionAliases;

    private static final class Open {
        final Optional<Anchor> anchor;
        long chars;

        Open(Optional<Anchor> anchor) {
            this.anchor = anchor;
        }
    }

    GuardedEvents(Parser parser, String source) {
        this.parser = parser;
        this.source = source;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
        return parser.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
        return parser.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return parser.hasNext();
    }

    @Override
    public Event next() {
        Event event = parser.next();
        if (event instanceof CollectionStartEvent start) {
            if (open.size() >= MAX_DEPTH) {
                throw refuse(event, "nested deeper than " + MAX_DEPTH + " lists or mappings; a policy needs far "
                        + "fewer levels, so flatten it");
            }
            start.getAnchor().ifPresent(a -> {
                anchoredCollections.put(a, Boolean.TRUE);
                // A redefined anchor names this open collection from here on: an alias inside it is a loop (merging
                // it into itself kept snakeyaml-engine's merge flattening busy for good; PolicyLoaderFuzzTest).
                anchoredChars.remove(a);
            });
            open.push(new Open(start.getAnchor()));
        } else if (event.getEventId() == Event.ID.SequenceEnd || event.getEventId() == Event.ID.MappingEnd) {
            Open closed = open.pop();
            closed.anchor.ifPresent(a -> anchoredChars.put(a, closed.chars));
            if (!open.isEmpty()) {
                open.peek().chars += closed.chars;
            }
        } else if (event instanceof ScalarEvent scalar) {
            long chars = scalar.getValue().length();
            scalar.getAnchor().ifPresent(a -> {
                anchoredChars.put(a, chars);
                anchoredCollections.remove(a);
            });
            add(event, chars);
        } else if (event instanceof AliasEvent alias) {
            Anchor anchor = alias.getAlias();
            if (Boolean.TRUE.equals(anchoredCollections.get(anchor))) {
                collectionAliases++;
                if (collectionAliases > MAX_COLLECTION_ALIASES) {
                    throw refuse(event, "uses more than " + MAX_COLLECTION_ALIASES + " aliases of lists or mappings "
                            + "(the shape of a 'billion laughs' attack); write it out without anchors and aliases");
                }
                if (!anchoredChars.containsKey(anchor)) {
                    throw refuse(event, "refers to itself: alias '*" + anchor.getValue() + "' stands inside the "
                            + "list or mapping it names; write it out without anchors and aliases");
                }
            }
            // An unknown anchor is the composer's to report, with its own position.
            add(event, anchoredChars.getOrDefault(anchor, 0L));
        }
        return event;
    }

    private void add(Event event, long chars) {
        expandedChars += chars;
        if (expandedChars > MAX_EXPANDED_CHARS) {
            throw refuse(event, String.format("more than %,d characters of text once its aliases are expanded "
                    + "(an anchored text repeated by aliases is copied into every rule that reads it); write it "
                    + "out without anchors and aliases", MAX_EXPANDED_CHARS));
        }
        if (!open.isEmpty()) {
            open.peek().chars += chars;
        }
    }

    private PolicyException refuse(Event event, String why) {
        Optional<Mark> mark = event.getStartMark();
        SourcePosition at = mark.map(m -> new SourcePosition(source, m.getLine() + 1, m.getColumn() + 1))
                .orElse(new SourcePosition(source, 1, 1));
        return new PolicyException(new PolicyProblem(PolicyProblem.Code.TOO_COMPLEX, at, "the policy " + why));
    }
}
