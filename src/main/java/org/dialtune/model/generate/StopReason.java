package org.dialtune.model.generate;

/** Why a generated sequence ended; shown next to every output so length caps are never silent. */
public enum StopReason {
    /** The model chose the end-of-sequence token. */
    EOS("eos"),
    /** The length cap ended it (the EOS there, if any, was forced). */
    MAX_LENGTH("max_length");

    private final String jsonName;

    StopReason(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name written to output files. */
    public String jsonName() {
        return jsonName;
    }
}
