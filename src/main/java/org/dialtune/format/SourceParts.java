package org.dialtune.format;

import java.util.ArrayList;
import java.util.List;

/**
 * A formatted source in the parts {@link SourceFitter} may shorten. {@code head} ({@code Instruction: …\nInput:}
 * or {@code Task: …\nInput:}) and {@code tail} (utterance, response, question, options, each with its marker)
 * are never cut; grounding texts may be shortened from their end; dialogue turns may be dropped from the
 * start, and the last turn (what a response must answer) only cut from its start when nothing else is left.
 * {@link #render} writes exactly what {@link Formatter} writes.
 */
public record SourceParts(String head, List<Grounding> grounding, List<String> turns, int lastTurnPrefix,
                          List<String> tail) {
    public static final String CONTEXT_MARKER = "[CONTEXT]";

    /** A grounding section: its marker ({@code [KNOWLEDGE]}) and text. */
    public record Grounding(String marker, String text) {}

    public SourceParts {
        grounding = List.copyOf(grounding);
        turns = List.copyOf(turns);
        tail = List.copyOf(tail);
    }

    /** The whole source as formatted. */
    public String render() {
        return render(0, grounding.stream().map(Grounding::text).toList(), turns.isEmpty() ? null : turns.get(turns.size() - 1));
    }

    /**
     * The source with the turns before {@code firstTurn} dropped, these grounding texts and this last
     * turn (when there are turns).
     */
    public String render(int firstTurn, List<String> groundingTexts, String lastTurn) {
        StringBuilder s = new StringBuilder(head);
        for (int i = 0; i < grounding.size(); i++) s.append(' ').append(grounding.get(i).marker()).append(' ').append(groundingTexts.get(i));
        if (!turns.isEmpty()) {
            List<String> kept = new ArrayList<>(turns.subList(firstTurn, turns.size() - 1));
            kept.add(lastTurn);
            s.append(' ').append(CONTEXT_MARKER).append(' ').append(String.join(ContextLinearizer.TURN_SEPARATOR, kept));
        }
        for (String t : tail) s.append(' ').append(t);
        return s.toString();
    }
}
