package org.dialtune.eval.instructions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WordingFeaturesTest {
    @Test
    void featuresOfTypicalWordings() {
        assertEquals(new WordingFeatures(15, true, true, true),
                WordingFeatures.of("What does this banking customer want to do? Answer with one of the listed intents."));
        assertEquals(new WordingFeatures(4, false, false, false), WordingFeatures.of("Classify the banking intent."));
        assertEquals(new WordingFeatures(8, false, true, false), WordingFeatures.of("Choose one of the options for this message."));
        assertEquals(new WordingFeatures(6, false, false, true), WordingFeatures.of("Reply only with yes or no."));
        assertEquals(new WordingFeatures(6, false, false, true), WordingFeatures.of("Give the label, exactly as written."));
        // punctuation and markers alone are not words
        assertEquals(new WordingFeatures(2, true, false, false), WordingFeatures.of("  Intent  — please ? "));
        assertEquals(new WordingFeatures(3, false, false, false), WordingFeatures.of("Summarise the dialogue."));
        // "format" counts, "formal" does not
        assertEquals(true, WordingFeatures.of("Use this format: A or B").mentionsFormat());
        assertEquals(false, WordingFeatures.of("Write a formal reply").mentionsFormat());
    }
}
