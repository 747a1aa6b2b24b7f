package org.dialtune.eval.instructions;

import org.dialtune.format.Instruction;
import org.dialtune.format.InstructionFileParser;
import org.dialtune.format.InstructionSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads the wordings of the analysed tasks from {@code instructions/<task>.json}
 * with the project's instruction-file parser (which validates them as {@code tasks validate} does).
 */
public final class WordingFiles {
    private WordingFiles() {}

    public static List<Wording> load(Path dir, Collection<String> tasks) {
        List<Wording> out = new ArrayList<>();
        for (String task : tasks) out.addAll(load(dir.resolve(task + ".json"), task));
        return out;
    }

    static List<Wording> load(Path file, String task) {
        InstructionSet set = InstructionFileParser.parse(file); // also checks "task" against the file name
        List<Wording> out = new ArrayList<>();
        for (Instruction i : set.instructions()) out.add(new Wording(task, i.id(), i.text().strip()));
        return out;
    }
}
