package org.dialtune.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.dialtune.common.UserError;
import org.dialtune.format.FormatterConfig;
import org.dialtune.format.TaskExamples;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.checkpoint.Checkpoint;
import org.dialtune.model.tokenizer.Seq2SeqTokenizer;
import org.dialtune.model.trim.CoveredTexts;
import org.dialtune.model.trim.VocabularyTrimmer;
import org.dialtune.task.Task;
import org.dialtune.task.TaskFileParser;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dialtune model trim}: a checkpoint cut down to the vocabulary of some tasks' data. */
@Command(name = "trim", mixinStandardHelpOptions = true,
        description = "Write a copy of a model whose vocabulary holds only the tokens the chosen tasks' data uses"
                + " (plus the special tokens): smaller embeddings and LM head, the same token ids (renumbered) on that"
                + " data. trim.json maps new ids to the original's.")
public final class ModelTrimCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Checkpoint to trim (with its tokenizer.json).")
    Path model;

    static final class Selection {
        @Option(names = "--tasks", paramLabel = "A,B|all", description = "Task names, comma-separated, or all.")
        String tasks;

        @Option(names = "--tasks-file", paramLabel = "FILE",
                description = "A file of task names (one per line or comma-separated; # starts a comment).")
        Path tasksFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    @Option(names = "--max-source-tokens", split = ",", paramLabel = "N", defaultValue = "64,128,256,512",
            description = "Source budgets (tokens) the model will be trained or evaluated with: sources are also"
                    + " covered as fitted to each (capped by the model's positions). Default: ${DEFAULT-VALUE}.")
    List<Integer> budgets;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Checkpoint directory to write (atomically).")
    Path out;

    @Mixin
    TaskSourceOptions sources;

    @Spec
    CommandSpec spec;

    private final TaskFileParser parser;
    private final FormatterConfig formatterConfig;

    @Inject
    ModelTrimCommand(TaskFileParser parser, FormatterConfig formatterConfig) {
        this.parser = parser;
        this.formatterConfig = formatterConfig;
    }

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        for (int b : budgets) {
            if (b < 3) throw new UserError("--max-source-tokens: must be at least 3 (special tokens and some text), got " + b);
        }
        if (model.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new UserError("--out " + out + ": is the model being trimmed: choose another directory");
        }
        if (!Files.isDirectory(model)) {
            throw new UserError("--model " + model + ": not a checkpoint directory (config.json, model.safetensors,"
                    + " tokenizer.json)");
        }
        Path tokFile = model.resolve(Checkpoint.TOKENIZER);
        if (!Files.isRegularFile(tokFile)) {
            throw new UserError(model + ": no " + Checkpoint.TOKENIZER + " (trimming rewrites the model's own tokenizer:"
                    + " copy the tokenizer.json of the model's checkpoint there)");
        }
        ModelConfig config = ModelFamilies.readConfig(model);
        TaskSourceOptions.Catalog c = sources.load(parser).requireValid();
        List<Task> tasks = c.tasks().select(selection.tasks != null ? selection.tasks : readTasksFile(selection.tasksFile));
        TaskExamples examples = new TaskExamples(c.tasks(), c.instructions(), c.dataDir(), formatterConfig);
        long start = System.nanoTime();
        CoveredTexts covered;
        try (Seq2SeqTokenizer tok = Seq2SeqTokenizer.load(tokFile)) {
            covered = CoveredTexts.collect(examples, tasks, budgets, config.maxPositions(), tok);
        }
        for (CoveredTexts.TaskCoverage t : covered.tasks()) o.println(t.describe());
        JsonObject provenance = new JsonObject();
        JsonArray names = new JsonArray();
        tasks.forEach(t -> names.add(t.name()));
        provenance.add("tasks", names);
        JsonArray caps = new JsonArray();
        covered.budgets().forEach(caps::add);
        provenance.add("max_source_tokens", caps);
        VocabularyTrimmer.Result r = VocabularyTrimmer.trim(model, covered, provenance, out);
        o.printf("covered %,d examples as %,d distinct %s (%,d tokens, %,d distinct token ids)%n",
                covered.tasks().stream().mapToLong(CoveredTexts.TaskCoverage::records).sum(), r.texts(),
                covered.pieces() ? "pieces (texts cut before spaces, which this tokenizer encodes on their own)" : "texts",
                r.tokens(), r.usedTokens());
        o.printf("kept %,d of %,d token ids%s; %,d → %,d parameters; every covered text encodes to the same tokens%n",
                r.vocab(), r.originalVocab(), r.mergesBefore() > 0
                        ? String.format(" and %,d of %,d merges", r.mergesAfter(), r.mergesBefore()) : "",
                r.parametersBefore(), r.parametersAfter());
        o.printf("wrote %s in %.1f s (%s maps new ids to the original's)%n", out, (System.nanoTime() - start) / 1e9,
                VocabularyTrimmer.PROVENANCE);
        return 0;
    }

    private static String readTasksFile(Path file) {
        if (!Files.isRegularFile(file)) throw new UserError("--tasks-file " + file + ": no such file");
        List<String> names = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int hash = line.indexOf('#');
                String kept = hash >= 0 ? line.substring(0, hash) : line;
                for (String n : kept.split(",")) if (!n.isBlank()) names.add(n.strip());
            }
        } catch (IOException e) {
            throw new UserError("--tasks-file " + file + ": cannot read: " + e.getMessage(), e);
        }
        if (names.isEmpty()) throw new UserError("--tasks-file " + file + ": names no task (one name per line)");
        return String.join(",", names);
    }
}
