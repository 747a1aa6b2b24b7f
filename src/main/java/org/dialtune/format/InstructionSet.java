package org.dialtune.format;

import java.nio.file.Path;
import java.util.List;
import org.dialtune.common.UserError;

/** The instruction wordings of one task, from {@code instructions/<task>.json}. */
public record InstructionSet(String task, List<Instruction> instructions, Path file) {
    public InstructionSet {
        instructions = List.copyOf(instructions);
    }

    public Instruction get(String id) {
        for (Instruction i : instructions) if (i.id().equals(id)) return i;
        throw new UserError(file + ": task \"" + task + "\" has no instruction \"" + id + "\" (ids: "
                + String.join(", ", instructions.stream().map(Instruction::id).toList()) + ")");
    }
}
