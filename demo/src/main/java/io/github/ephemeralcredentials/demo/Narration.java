package io.github.ephemeralcredentials.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.policy.DisplayText;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's story as it happens: one short section per step, coloured on a terminal, plain when piped, or one JSON
 * document at the end for machines.
 */
final class Narration {

    /** How a line reads: what the demo says, what a party printed, a check that held or failed, a value. */
    enum Kind { SAY, LOG, PASS, FAIL, VALUE }

    record Line(Kind kind, String text) {
    }

    /** One step: whether it behaved as narrated, and what it showed. */
    record Section(String title, boolean ok, List<Line> lines) {

        Section {
            lines = List.copyOf(lines);
        }
    }

    private static final String RESET = "\u001b[0m";
    private final PrintStream out;
    private final boolean colour;
    private final boolean json;
    private final List<Section> sections = new ArrayList<>();

    Narration(PrintStream out, boolean colour, boolean json) {
        this.out = out;
        this.colour = colour && !json;
        this.json = json;
    }

    void opening(String text) {
        if (!json) {
            out.println(style("\u001b[1m", printable(text)));
            out.println();
        }
    }

    void section(Section section) {
        sections.add(section);
        if (json) {
            return;
        }
        String mark = section.ok() ? style("\u001b[32m", "ok") : style("\u001b[31;1m", "NOT AS NARRATED");
        out.println(style("\u001b[1m", sections.size() + ". " + printable(section.title())) + "  [" + mark + "]");
        for (Line line : section.lines()) {
            String text = printable(line.text());
            out.println(switch (line.kind()) {
                case SAY -> "   " + text;
                case LOG -> "   " + style("\u001b[2m", "| " + text);
                case PASS -> "   " + style("\u001b[32m", text);
                case FAIL -> "   " + style("\u001b[31m", text);
                case VALUE -> "   " + style("\u001b[36m", text);
            });
        }
        out.println();
    }

    /** Prints the verdict (or the JSON document) and answers whether every step behaved as narrated. */
    boolean finish() {
        boolean ok = !sections.isEmpty() && sections.stream().allMatch(Section::ok);
        if (json) {
            List<Map<String, Object>> steps = new ArrayList<>();
            for (Section section : sections) {
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("step", steps.size() + 1);
                step.put("title", section.title());
                step.put("ok", section.ok());
                step.put("lines", section.lines().stream().map(l -> Map.of("kind", l.kind().name().toLowerCase(),
                        "text", l.text())).toList());
                steps.add(step);
            }
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("ok", ok);
            document.put("steps", steps);
            try {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(document));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the demo's report could not be written as JSON", e);
            }
        } else {
            out.println(ok ? style("\u001b[32;1m", "Every step behaved as narrated.")
                    : style("\u001b[31;1m", "Some step did not behave as narrated: see the sections marked above."));
        }
        return ok;
    }

    private String style(String sgr, String text) {
        return colour ? sgr + text + RESET : text;
    }

    /** Control and bidi characters shown as escapes (the core's one rule), so nothing printed can drive a terminal. */
    static String printable(String text) {
        return DisplayText.escape(text);
    }
}
