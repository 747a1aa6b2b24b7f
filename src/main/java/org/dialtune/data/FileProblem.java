package org.dialtune.data;

/** Why one file of a data directory does not match its manifest entry. */
public record FileProblem(String dataset, String path, Kind kind, String detail) {
    public enum Kind {
        MISSING("missing"),
        SIZE_DIFFERS("size differs"),
        SHA256_DIFFERS("sha256 differs"),
        UNREADABLE("cannot read"),
        DOWNLOAD_FAILED("download failed");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One line for the user, e.g. {@code size differs: banking77/x.csv (expected 10 bytes, found 7)}. */
    public String line() {
        return kind.label() + ": " + path + (detail == null ? "" : " (" + detail + ")");
    }
}
