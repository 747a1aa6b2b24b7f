package org.dialtune.eval.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AnswerNormalizerTest {
    private final AnswerNormalizer intent = AnswerNormalizer.forTemplate("The intent is {answer}.");

    @Test
    void stripsTheTemplateCaseAndSpacing() {
        assertEquals("card_arrival", intent.normalize("The intent is card_arrival."));
        assertEquals("card_arrival", intent.normalize("  the   INTENT is\tcard_arrival.  "));
        assertEquals("card arrival", intent.normalize("The intent is Card   Arrival."));
    }

    @Test
    void toleratesAPartialTemplate() {
        assertEquals("balance", intent.normalize("The intent is balance"));  // no final period
        assertEquals("balance", intent.normalize("balance."));               // no prefix
        assertEquals("balance", intent.normalize("balance"));                // raw label (gold side)
        assertEquals("balance", intent.normalize("The intent is: balance!")); // punctuation around the answer
    }

    @Test
    void keepsInnerPunctuation() {
        AnswerNormalizer plain = AnswerNormalizer.forTemplate("{answer}");
        assertEquals("don't know", plain.normalize("\"Don't know.\""));
        assertEquals("yes/no", plain.normalize("(Yes/No)"));
        assertEquals("", plain.normalize(" ... "));
        assertEquals("a b", plain.normalize("a\u00A0\u2003b")); // non-breaking and em spaces
    }

    @Test
    void templateMustHoldThePlaceholderOnce() {
        assertEquals("answer template \"The intent is.\" must contain {answer} exactly once",
                assertThrows(IllegalArgumentException.class, () -> AnswerNormalizer.forTemplate("The intent is."))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> AnswerNormalizer.forTemplate("{answer} or {answer}"));
    }
}
