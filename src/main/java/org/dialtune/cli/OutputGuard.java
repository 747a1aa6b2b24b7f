package org.dialtune.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.dialtune.common.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Refuses to run a command whose output file is one of its input files: outputs are renamed over their
 * target when complete, so {@code --out} equal to {@code --input} (or a link to it) would replace the
 * input with what was computed from it. Installed as the execution strategy of the whole command tree,
 * it compares {@code --out} with every other file argument of any command; commands whose inputs are
 * not arguments (convert reads the data files its task files name) call {@link #requireDistinct} too.
 */
final class OutputGuard {
    static final String OUT = "--out";

    /** An input file and how the user named it ("--input pairs.jsonl"). */
    record Input(String label, Path file) {}

    private OutputGuard() {}

    /** picocli execution strategy: checks the chosen command's arguments, then runs it. */
    static int execute(ParseResult parsed) {
        ParseResult leaf = parsed;
        while (leaf.subcommand() != null) leaf = leaf.subcommand();
        if (!leaf.isUsageHelpRequested() && !leaf.isVersionHelpRequested() && leaf.hasMatchedOption(OUT)) {
            try {
                requireDistinct(leaf.matchedOptionValue(OUT, (Path) null), inputs(leaf));
            } catch (UserError e) {
                throw new CommandLine.ExecutionException(leaf.commandSpec().commandLine(), e.getMessage(), e);
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /** Every file argument of the command other than {@code --out}. */
    private static List<Input> inputs(ParseResult leaf) {
        List<Input> out = new ArrayList<>();
        List<ArgSpec> args = new ArrayList<>(leaf.matchedArgs());
        for (ArgSpec a : args) {
            if (a instanceof OptionSpec o && o.longestName().equals(OUT)) continue;
            String name = a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
            Object v = a.getValue();
            Collection<?> values = v instanceof Collection<?> c ? c : v == null ? List.of() : List.of(v);
            for (Object x : values) if (x instanceof Path p) out.add(new Input(name + " " + p, p));
        }
        return out;
    }

    /** Throws when {@code out} is the same file as one of {@code inputs} (also through links). */
    static void requireDistinct(Path out, Collection<Input> inputs) {
        if (out == null || !Files.isRegularFile(out)) return; // a file that does not exist yet is no input
        for (Input in : inputs) {
            if (sameFile(out, in.file())) {
                throw new UserError(OUT + " " + out + ": is the same file as " + in.label()
                        + " (writing it would replace the input): choose another output file");
            }
        }
    }

    private static boolean sameFile(Path a, Path b) {
        if (!Files.isRegularFile(b)) return false;
        try {
            return Files.isSameFile(a, b); // real paths and file keys: symbolic and hard links included
        } catch (IOException e) {
            throw new UserError(a + ": cannot compare with " + b + ": " + e.getMessage(), e);
        }
    }
}
